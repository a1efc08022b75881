"""scripts/mutation.py: the mutants it makes are one change each, at the right place."""

from __future__ import annotations

import ast
import subprocess
import sys

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
