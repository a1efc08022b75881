"""The floors benchmarks/run.py times beside issue 17's two missed budgets (benchmarks/floors.py)
are honest: they read exactly the files floe-lint must read, and they run and report sane
numbers on a small generated tree."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from benchmarks import edit_floor, floors, sibling_floor
from benchmarks.budgets import cached_env, editor
from benchmarks.corpus import generate
from benchmarks.run import Case
from floe_lint.load.walk import files_of, folder_files, walk

BIN = Path(sys.executable).parent


def _odd_tree(tmp_path: Path) -> Path:
    """A small generated tree, plus what a walk must skip or sniff."""
    top = generate(tmp_path / "tree", 12, 6).root
    for folder in (".hidden", "node_modules/pkg", "venv", "deep/a/b"):
        (top / folder).mkdir(parents=True)
        (top / folder / "floe.yaml").write_text("apiVersion: floe.dev/v1\n", "utf-8")
    (top / "deep" / "x.yml").write_text("a: 1\n", "utf-8")
    (top / "deep" / "floe.json").write_text('{"apiVersion": "floe.dev/v1"}', "utf-8")
    (top / "deep" / "package.json").write_text('{"name": "x"}', "utf-8")
    (top / "deep" / "notes.txt").write_text("finance\n", "utf-8")
    (top / "deep" / "big.yaml").write_bytes(b"k: " + b"v" * 200_000 + b"\n")
    os.symlink(top / "products", top / "deep" / "linked")
    return top


def test_edit_floor_walks_and_reads_what_floe_lint_walks(tmp_path: Path) -> None:
    top = _odd_tree(tmp_path)
    theirs = sorted(absolute for _, absolute, _ in walk(str(top)))
    ours = sorted(edit_floor.files(str(top)))
    assert ours == theirs
    assert str(top / "deep" / "floe.json") in ours
    assert str(top / "deep" / "x.yml") in ours
    assert not any("/.hidden/" in p or "node_modules" in p or "/linked/" in p for p in ours)
    big = edit_floor.read(str(top / "deep" / "big.yaml"))
    assert big == (top / "deep" / "big.yaml").read_bytes()


def test_sibling_loop_reads_what_the_dependents_search_lists(tmp_path: Path) -> None:
    top = _odd_tree(tmp_path)
    # what the search's first pass goes through (floe_lint.model.dependents_scan.first_pass):
    # the folders of the walk (and those reached through links, which the loop leaves out: less)
    listed = sorted(absolute for _, absolute, _ in files_of(folder_files(str(top))))
    read, holding = sibling_floor.loop(str(top), b"finance")
    assert read == len(listed) == len(walk(str(top)))
    # the products of `finance` name it (notes.txt does too, and is not read)
    expected = [p for p in listed if b"finance" in Path(p).read_bytes()]
    assert any("/products/finance/" in p for p in expected)
    assert holding == len(expected)


def _cpu(line: str, label: str) -> float:
    found = re.search(re.escape(label) + r" = ([0-9.]+)", line)
    assert found is not None, line
    return float(found.group(1))


def test_floors_run_and_report_sane_numbers(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "c", 20, 6)
    domain = sorted(corpus.domains)[0]
    floe_lint = str(BIN / "floe-lint")
    env = cached_env(tmp_path, "edit")
    command = [floe_lint, "check", str(corpus.root)]
    found = {
        "ours": Case("cold", [[floe_lint, "check", str(corpus.root)]], 1, cwd=corpus.root),
        "warm": Case("warm", [command], 1, cwd=corpus.root, env=env),
        "edit": Case(
            "edit", [command], 1, cwd=corpus.root, env=env, prepare=editor(corpus.domains[domain])
        ),
    }
    found.update(floors.edit_cases(Case, found, BIN, tmp_path))
    modules = (tmp_path / "edited-run-modules.txt").read_text("utf-8").split()
    assert "floe_lint.lint.replay" in modules and "yaml" in modules
    assert "floe_lint.lint.lines" in modules  # (the store's reader: a run that replayed)
    for case in found.values():
        case.run(tmp_path)
    lines = floors.edit_report(found, corpus)
    text = "\n".join(lines)
    floor = _cpu(lines[0], "edit floor / cold")
    bound = _cpu(lines[1], "lower bound of a content-hashed replay")
    assert 0 < floor < 1.5, text
    assert 0 < bound < 2.5, text
    assert "out of reach on this machine" in text or "not proven out of reach" in text


def test_sibling_floor_runs_and_reports_sane_numbers(tmp_path: Path) -> None:
    alone = generate(tmp_path / "alone" / "a", 20, 6)
    pair = generate(tmp_path / "pair" / "a", 20, 6)
    generate(tmp_path / "pair" / "b", 20, 6)
    domain = sorted(alone.domains)[0]
    floe_lint = str(BIN / "floe-lint")
    twin = {
        "alone": Case(
            "alone",
            [[floe_lint, "check", "--workspace", str(alone.root), str(alone.domains[domain])]],
            len(alone.files),
            cwd=alone.root,
        ),
        "sibling": Case(
            "sibling",
            [[floe_lint, "check", "--workspace", str(pair.root.parent), str(pair.domains[domain])]],
            len(pair.files),
            cwd=pair.root.parent,
        ),
    }
    twin.update(floors.sibling_cases(Case, twin, BIN, domain))
    assert twin["twin_loop"].commands[0][-2:] == [str(pair.root.parent / "b"), domain]
    for case in twin.values():
        case.run(tmp_path)
    lines = floors.sibling_report(twin)
    bound = _cpu(lines[0], "(alone + twin read loop) / alone")
    assert 0.9 < bound < 3, lines


def test_floor_scripts_refuse_an_empty_tree(tmp_path: Path) -> None:
    """A floor that read nothing would time nothing: it fails instead."""
    empty = tmp_path / "empty"
    empty.mkdir()
    done = subprocess.run(
        [sys.executable, str(floors.SIBLING_FLOOR), str(empty), "x"], capture_output=True
    )
    assert done.returncode == 3 and b"no file read" in done.stderr


def test_edit_floor_refuses_to_time_less_than_it_says(tmp_path: Path) -> None:
    """No store to decode, or a recorded module it cannot import: it fails, not times less."""
    top = generate(tmp_path / "tree", 3, 6).root
    modules = tmp_path / "modules.txt"
    modules.write_text("json\nfloe_lint.lint.replay\n", "utf-8")
    (tmp_path / "cache").mkdir()
    script = str(floors.EDIT_FLOOR)
    done = subprocess.run(
        [sys.executable, script, "floor", str(modules), str(top), str(tmp_path / "cache")],
        capture_output=True,
    )
    assert done.returncode != 0 and b"no result store" in done.stderr
    ok = subprocess.run([sys.executable, script, "read", str(modules), str(top)])
    assert ok.returncode == 0
    modules.write_text("json\nfloe_lint.no_such_module\n", "utf-8")
    done = subprocess.run([sys.executable, script, "imports", str(modules)], capture_output=True)
    assert done.returncode == 3 and b"1 recorded modules could not be imported" in done.stderr


def test_edit_floor_imports_in_the_order_the_run_began_them(tmp_path: Path) -> None:
    """`record` lists the modules in the order their imports began, so that the floor imports
    them as the run does: floe-lint's PyYAML seed (floe_lint.load.pyyaml) before PyYAML. In
    `sys.modules`' order (the order they ended in) `yaml.reader` came first and the floor
    compiled PyYAML's NON_PRINTABLE pattern, 53 M instructions that the run does not spend."""
    corpus = generate(tmp_path / "c", 3, 6)
    modules = tmp_path / "modules.txt"
    record = [sys.executable, str(floors.EDIT_FLOOR), "record", str(modules), "--"]
    done = subprocess.run(
        [*record, "check", str(corpus.root)],
        cwd=corpus.root,
        env=cached_env(tmp_path, "record"),
        capture_output=True,
    )
    assert done.returncode in (0, 1), done.stderr
    names = modules.read_text("utf-8").split()
    assert len(names) == len(set(names))
    assert names.index("floe_lint.load.pyyaml") < names.index("yaml") < names.index("yaml.reader")
    assert names.index("floe_lint.commands.check") < names.index("floe_lint.config")
    probe = (
        "import sys\nfrom benchmarks import edit_floor\nedit_floor.start(sys.argv[1])\n"
        "import yaml.reader\nfrom floe_lint.load.pyyaml import SAME\n"
        "print(yaml.reader.Reader.NON_PRINTABLE.pattern == SAME)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe, str(modules)],
        cwd=Path(edit_floor.__file__).parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "True"
