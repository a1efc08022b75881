"""scripts/mutation.py: the mutants it makes are one change each, at the right place."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import mutation


def test_each_mutant_of_a_rule_is_one_change_that_still_parses() -> None:
    path = REPO / "rules" / "default_not_approved.py"
    source = path.read_text("utf-8")
    mutants = list(mutation.mutants_of(path))
    assert {m.operator for m in mutants} >= {"compare", "true", "false", "not"}
    for mutant in mutants:
        mutated = mutation.apply(source, mutant)
        ast.parse(mutated)
        changed = [
            (a, b) for a, b in zip(source.splitlines(), mutated.splitlines(), strict=True) if a != b
        ]
        assert len(changed) == 1, mutant  # one line, the mutant's own
        assert source.splitlines()[mutant.line - 1] == changed[0][0]


def test_a_flipped_comparison_is_the_opposite_operator() -> None:
    path = REPO / "rules" / "default_not_approved.py"
    flips = {m.replacement for m in mutation.mutants_of(path) if m.operator == "compare"}
    assert "default not in level.approved" in flips
    assert "default is not None" in flips


def test_docstrings_decorators_and_type_checking_blocks_are_never_mutated() -> None:
    for path in (
        REPO / "floe_lint" / "model" / "manifest.py",
        REPO / "floe_lint" / "model" / "product.py",
    ):
        lines = path.read_text("utf-8").splitlines()
        for mutant in mutation.mutants_of(path):
            line = lines[mutant.line - 1].strip()
            assert not line.startswith("@"), mutant
            assert line != "if TYPE_CHECKING:", mutant


def test_list_names_the_mutants_of_a_module_as_written_in_the_readme() -> None:
    run = subprocess.run(
        [sys.executable, "scripts/mutation.py", "--list", "--only", "rules/unpinned_ref.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    ids = [line.split(" -> ")[0] for line in run.stdout.splitlines()]
    assert ids and all(i.startswith("rules/unpinned_ref.py:") for i in ids)
    assert run.stderr.strip().endswith(f"{len(ids)} of {len(ids)} mutants")


def test_a_mutants_key_names_its_scope_and_text_and_survives_edits_above_it(
    tmp_path: Path,
) -> None:
    source = (REPO / "rules" / "default_not_approved.py").read_text("utf-8")
    moved = tmp_path / "default_not_approved.py"
    moved.write_text("# one line more\n" + source, "utf-8")
    before = list(mutation.mutants_of(REPO / "rules" / "default_not_approved.py"))
    mutation.REPO, saved = tmp_path, mutation.REPO
    try:
        after = list(mutation.mutants_of(moved))
    finally:
        mutation.REPO = saved
    assert [m.line + 1 for m in before] == [m.line for m in after]
    assert [m.key.split("::", 1)[1] for m in before] == [m.key.split("::", 1)[1] for m in after]
    assert len({m.key for m in before}) == len(before)  # one key per mutant
    assert any("::check::compare::" in m.key for m in before)


def test_the_equivalent_list_is_keys_of_existing_modules_each_with_a_reason() -> None:
    """(Whether each key still names a mutant is for the next mutation run to say: code
    edited by anyone would otherwise fail this test.)"""
    text = (REPO / "scripts" / "mutation-equivalent.txt").read_text("utf-8")
    keys = mutation.read_equivalent(REPO / "scripts" / "mutation-equivalent.txt")
    assert keys
    for key in keys:
        path, _scope, operator, source = key.split("::", 3)
        assert (REPO / path).is_file() and operator.rstrip("0123456789") in mutation.OPERATORS, key
        assert source and f"{key}  # " in text, key  # a reason for each
    mutants = {m.key for p in mutation.targets([]) for m in mutation.mutants_of(p)}
    assert any(key in mutants for key in keys)


def test_start_and_sample_split_one_seeded_order_between_processes() -> None:
    def listed(*args: str) -> list[str]:
        command = [
            sys.executable,
            "scripts/mutation.py",
            "--list",
            "--only",
            "rules/",
            "--seed",
            "3",
        ]
        run = subprocess.run(
            [*command, *args], cwd=REPO, capture_output=True, text=True, check=True
        )
        return [line.split(" -> ")[0] for line in run.stdout.splitlines()]

    first, second = listed("--sample", "5"), listed("--start", "5", "--sample", "5")
    assert listed("--sample", "10") == first + second and len(set(first + second)) == 10


def test_every_option_the_readme_gives_the_script_is_one_it_takes() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    commands = [
        line for line in readme.splitlines() if line.startswith("python scripts/mutation.py")
    ]
    assert len(commands) >= 2
    usage = subprocess.run(
        [sys.executable, "scripts/mutation.py", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    written = {w for line in commands for w in line.split() if w.startswith("--")}
    section = readme.split("## Precision and mutation")[1].split("\n## ")[0]
    written |= set(re.findall(r"`(--[a-z]+)", section))
    assert written >= {"--coverage", "--cap", "--rerun", "--start", "--equivalent"}
    for option in written:
        assert f"{option} " in usage or f"{option}\n" in usage, option
