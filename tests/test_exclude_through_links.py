"""A product the config's `exclude` leaves out by its own name (`sandbox/**`) is linted when a
symbolic link spells it as a path the globs select (`products/new -> ../sandbox/new`): Floe
reads the product through the link. Before, `check .`, `check products/new/floe.yaml` and the
dependents search of `check platform/manifest.yaml` (the pre-commit hook's) passed it unlinted
("no problems", exit 0) whatever compute it ran (a forged pass)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from floe_lint.cli import main
from tests.conftest import run_cli, write_files

FINDING = (
    "sandbox/new/floe.yaml:5:43: ERROR FL201 [compute-not-approved] transform 'models/a/' "
    "selects compute 'snowflake', which enterprise 'acme' does not approve (no level of the "
    "hierarchy approves it); approved: duckdb\n"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": (
                "scope: enterprise\nmetadata: {name: acme}\n"
                "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
            ),
            "sandbox/new/floe.yaml": (
                "name: new\nversion: 1.0.0\nplatform: {ref: ../../platform/manifest.yaml}\n"
                "transforms:\n  - {type: dbt, path: models/a/, compute: snowflake}\n"
            ),
            ".floe-lint.yaml": 'exclude: ["sandbox/**"]\n',
        },
    )
    return tmp_path


@pytest.mark.parametrize("given", [".", "products/new/floe.yaml"])
def test_a_product_linked_from_a_selected_folder_is_linted(tree: Path, given: str) -> None:
    (tree / "products").mkdir()
    os.symlink("../sandbox/new", tree / "products/new")
    run = run_cli("check", given, "--no-cache")
    assert (run.code, run.stdout) == (1, FINDING), run.stderr


@pytest.mark.parametrize("hook", [[], ["--hook"]])
def test_the_dependents_search_of_its_manifest_finds_it_through_the_link(
    tree: Path, hook: list[str]
) -> None:
    """The pre-commit hook given the changed manifest alone: `check .` refuses the change."""
    (tree / "products").mkdir()
    os.symlink("../sandbox/new", tree / "products/new")
    run = run_cli("check", *hook, "platform/manifest.yaml", "--no-cache")
    note = "      note: a dependent of the changed manifest platform/manifest.yaml\n"
    assert (run.code, run.stdout) == (1, FINDING + note), run.stderr


def test_without_the_link_the_excluded_folder_stays_excluded(tree: Path) -> None:
    out, err = io.StringIO(), io.StringIO()  # (not run_cli: it compiles what check passed)
    assert main(["check", ".", "--no-cache"], out, err) == 0
    assert out.getvalue() == ""
