"""floe_lint.code_bundle: modules served from one file are the modules a usual import makes,
only while their sources are unchanged; what it cannot serve is imported as usual and taken
into the file after the run; nothing is written where Python writes no `.pyc`."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from tests.conftest import REPO

pytestmark = pytest.mark.xdist_group("test_code_bundle")

#: imports the toy package's modules with the bundle's finder installed, then finishes it
TOY_RUN = """
import json, sys
sys.path.insert(0, sys.argv[1])
from floe_lint import code_bundle
finder = code_bundle.install(sys.argv[2], package="toy")
import toy.a, toy.sub.b
served = sorted(
    name for name, module in sys.modules.items()
    if type(getattr(module.__spec__, "loader", None)).__name__ == "_Loader"
)
facts = {
    "served": served,
    "values": [toy.a.VALUE, toy.sub.b.VALUE],
    "files": [toy.a.__file__, toy.sub.__file__, toy.sub.b.__cached__],
    "path": list(toy.sub.__path__),
    "source": toy.sub.b.__loader__.get_source("toy.sub.b"),
    "missed": sorted(finder.missed),
    "meta_path": finder in sys.meta_path,
}
code_bundle.finish(finder)
facts["left"] = finder in sys.meta_path
print(json.dumps(facts))
"""


def toy_package(root: Path) -> None:
    (root / "toy" / "sub").mkdir(parents=True)
    (root / "toy" / "__init__.py").write_text("")
    (root / "toy" / "a.py").write_text("VALUE = 'a'\n")
    (root / "toy" / "sub" / "__init__.py").write_text("from toy import a\n")
    (root / "toy" / "sub" / "b.py").write_text("VALUE = 'b' * 2\n")


def run_toy(root: Path, bundle: Path, *flags: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, *flags, "-c", TOY_RUN, str(root), str(bundle)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    facts: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return facts


def test_modules_come_from_the_bundle_as_a_usual_import_makes_them(tmp_path: Path) -> None:
    toy_package(tmp_path)
    bundle = tmp_path / "toy" / "__pycache__" / "bundle.bin"
    first = run_toy(tmp_path, bundle)  # no bundle yet: usual imports, noted, then written
    assert first["served"] == []
    assert first["missed"] == ["toy.a", "toy.sub", "toy.sub.b"]
    assert bundle.is_file()
    written = bundle.stat().st_mtime_ns
    second = run_toy(tmp_path, bundle)
    assert second["served"] == ["toy.a", "toy.sub", "toy.sub.b"]
    assert second["missed"] == []
    assert bundle.stat().st_mtime_ns == written  # nothing new: not written again
    for key in ("values", "files", "path", "source"):
        assert second[key] == first[key], key
    assert first["values"] == ["a", "bb"]
    assert first["path"] == [str(tmp_path / "toy" / "sub")]
    assert second["meta_path"] and not second["left"]  # on sys.meta_path for the run only


def test_a_changed_source_is_imported_again_and_its_new_code_taken(tmp_path: Path) -> None:
    toy_package(tmp_path)
    bundle = tmp_path / "toy" / "__pycache__" / "bundle.bin"
    run_toy(tmp_path, bundle)
    (tmp_path / "toy" / "a.py").write_text("VALUE = 'a changed'\n")  # another size
    changed = run_toy(tmp_path, bundle)
    assert changed["served"] == ["toy.sub", "toy.sub.b"]
    assert changed["missed"] == ["toy.a"]
    assert changed["values"] == ["a changed", "bb"]
    again = run_toy(tmp_path, bundle)
    assert again["served"] == ["toy.a", "toy.sub", "toy.sub.b"]
    assert again["values"] == ["a changed", "bb"]


def test_a_damaged_bundle_serves_nothing_and_is_replaced(tmp_path: Path) -> None:
    toy_package(tmp_path)
    bundle = tmp_path / "toy" / "__pycache__" / "bundle.bin"
    run_toy(tmp_path, bundle)
    odd = marshal.dumps({"toy.a": ("a.py", 2)})  # an index, but not of entries
    damages = [b"", b"FLB1\xff\xff\xff\x7f", b"FLB1" + bundle.read_bytes()[4:60]]
    damages.append(b"FLB1" + len(odd).to_bytes(4, "little") + odd)
    for damage in damages:
        bundle.write_bytes(damage)
        damaged = run_toy(tmp_path, bundle)
        assert damaged["served"] == [] and damaged["values"] == ["a", "bb"]
        assert run_toy(tmp_path, bundle)["served"] == ["toy.a", "toy.sub", "toy.sub.b"]


def test_nothing_is_written_where_python_writes_no_pyc_nor_through_a_link(
    tmp_path: Path,
) -> None:
    toy_package(tmp_path)
    bundle = tmp_path / "toy" / "__pycache__" / "bundle.bin"
    assert run_toy(tmp_path, bundle, "-B")["values"] == ["a", "bb"]
    assert not bundle.exists()
    bundle.parent.mkdir(exist_ok=True)
    target = tmp_path / "elsewhere"
    target.write_bytes(b"keep")
    bundle.symlink_to(target)
    assert run_toy(tmp_path, bundle)["values"] == ["a", "bb"]
    assert target.read_bytes() == b"keep" and bundle.is_symlink()


LAUNCH = """
import json, sys
sys.argv = ["floe-lint", *sys.argv[1:]]
from floe_lint import launch
status = launch.main()
served = sorted(
    name for name, module in sys.modules.items()
    if type(getattr(module.__spec__, "loader", None)).__name__ == "_Loader"
)
usual = sorted(
    name for name, module in sys.modules.items()
    if name.startswith("floe_lint.") and name not in served
)
print(json.dumps([status, served, usual]))
"""


def test_the_hooks_check_takes_every_module_it_imports_from_the_bundle(
    tmp_path: Path,
) -> None:
    """The console script's check of a product and its manifests, run twice with `.pyc`
    writing on: the second run imports every floe-lint module but the three the console
    script needs before the finder from the bundle, and prints what a run without it prints.
    """
    corpus = generate(tmp_path / "repo", products=20, seed=1)
    product = next(p for p in corpus.products if p not in corpus.violations)
    args = ["check", "--no-dependents", *map(str, (product, *corpus.parents(product)))]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in env.items() if not k.startswith("FLOE_LINT_")}
    env.update({"FLOE_LINT_NO_CACHE": "1", "PYTHONPATH": str(REPO)})
    runs = [
        subprocess.run(
            [sys.executable, "-c", LAUNCH, *args],
            cwd=corpus.root,
            capture_output=True,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    plain = subprocess.run(  # no console script: no bundle
        [sys.executable, "-B", "-m", "floe_lint", *args],
        cwd=corpus.root,
        capture_output=True,
        text=True,
        env=env,
    )
    status, served, usual = json.loads(runs[1].stdout.splitlines()[-1])
    assert status == 0 and plain.returncode == 0, runs[1].stderr
    assert "floe_lint.commands.check" in served and "floe_lint.rules.secret_literal" in served
    assert usual == ["floe_lint.code_bundle", "floe_lint.launch"], usual
    for run in runs:
        assert run.stdout.splitlines()[:-1] == plain.stdout.splitlines()
        assert run.stderr == plain.stderr


def test_a_bundle_written_at_another_optimization_level_serves_nothing(tmp_path: Path) -> None:
    """An `-OO` run's code has no docstrings and no asserts: a later plain run must not be
    served it (Python keeps each level's `.pyc` apart), nor the reverse; each level names its
    own bundle."""
    toy_package(tmp_path)
    bundle = tmp_path / "toy" / "__pycache__" / "bundle.bin"
    run_toy(tmp_path, bundle, "-OO")  # written with the `-OO` code
    plain = run_toy(tmp_path, bundle)
    assert plain["served"] == []
    assert plain["missed"] == ["toy.a", "toy.sub", "toy.sub.b"]
    assert plain["files"][2].endswith(f".{sys.implementation.cache_tag}.pyc")  # type: ignore[index]
    again = run_toy(tmp_path, bundle)  # written again with the plain code: served
    assert again["served"] == ["toy.a", "toy.sub", "toy.sub.b"]
    assert run_toy(tmp_path, bundle, "-O")["served"] == []
    names = [
        subprocess.run(
            [sys.executable, *flags, "-c", "from floe_lint import code_bundle as c; print(c.bundle_path())"],
            capture_output=True, text=True, env={"PYTHONPATH": str(REPO)}, check=True,
        ).stdout.strip().rsplit("/", 1)[-1]
        for flags in ([], ["-O"], ["-OO"])
    ]  # fmt: skip
    tag = sys.implementation.cache_tag
    assert names == [f"bundle.{tag}.bin", f"bundle.{tag}.opt-1.bin", f"bundle.{tag}.opt-2.bin"]


def test_a_cut_or_damaged_entry_is_imported_from_its_source(tmp_path: Path) -> None:
    """A bundle cut short (a partial copy) or an entry whose code is damaged behind an intact
    header: the run imports the source as usual, never stops with `EOFError`."""
    toy_package(tmp_path)
    bundle = tmp_path / "toy" / "__pycache__" / "bundle.bin"
    run_toy(tmp_path, bundle)
    os.truncate(bundle, bundle.stat().st_size - 8)  # the last entry (toy.sub.b) cut short
    cut = run_toy(tmp_path, bundle)
    assert cut["values"] == ["a", "bb"]
    assert "toy.sub.b" not in cut["served"]
    assert cut["missed"] == ["toy.sub.b"]
    raw = bytearray(bundle.read_bytes())
    raw[-20:] = b"\xff" * 20  # its code damaged, its `.pyc` header intact
    bundle.write_bytes(bytes(raw))
    damaged = run_toy(tmp_path, bundle)
    assert damaged["values"] == ["a", "bb"]


def test_a_bundle_copied_with_its_install_serves_none_of_the_original_s_modules(
    tmp_path: Path,
) -> None:
    """A virtualenv copied whole (`cp -a`), then upgraded in place: the copy's bundle names
    the original's sources, which are unchanged, so only the bundle's own folder may count."""
    first, copy = tmp_path / "first", tmp_path / "copy"
    toy_package(first)
    run_toy(first, first / "toy" / "__pycache__" / "bundle.bin")  # written
    assert run_toy(first, first / "toy" / "__pycache__" / "bundle.bin")["served"]
    shutil.copytree(first, copy, symlinks=True)
    (copy / "toy" / "a.py").write_text("VALUE = 'upgraded'\n")  # the copy's upgrade
    facts = run_toy(copy, copy / "toy" / "__pycache__" / "bundle.bin")
    assert facts["served"] == []
    assert facts["values"] == ["upgraded", "bb"]
    assert facts["files"][0] == str(copy / "toy" / "a.py")
    again = run_toy(copy, copy / "toy" / "__pycache__" / "bundle.bin")  # rewritten: its own
    assert again["served"] == ["toy.a", "toy.sub", "toy.sub.b"]
    assert again["values"] == ["upgraded", "bb"]
