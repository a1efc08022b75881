"""A cold run without the cache takes each found file's key from the walk (its absolute path)
only when the walk met no symbolic link and no path given is one (issue 17): a file reached
twice, through a link and directly, is still one file, checked and reported once."""

from __future__ import annotations

import contextlib
from pathlib import Path

from tests.conftest import run_cli

MANIFEST = "scope: enterprise\nplugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = (
    "name: orders\nplatform: {ref: ../manifest.yaml}\n"
    "transforms: [{path: models/x/, compute: spark}]\n"
)
FINDING = (
    "shared/floe.yaml:3:41: ERROR FL201 [compute-not-approved] transform 'models/x/' selects "
    "compute 'spark', which enterprise manifest manifest.yaml does not approve (no level of the "
    "hierarchy approves it); approved: duckdb"
)


def _tree(root: Path) -> None:
    (root / "shared").mkdir()
    (root / "p").mkdir()
    (root / "manifest.yaml").write_text(MANIFEST)
    (root / "shared" / "floe.yaml").write_text(PRODUCT)


def test_a_linked_file_met_by_the_walk_is_the_file_it_names(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "p" / "floe.yaml").symlink_to("../shared/floe.yaml")
    with contextlib.chdir(tmp_path):
        run = run_cli("check", ".", "--no-cache")
    assert run.stdout.splitlines() == [FINDING]
    assert "1 error (2 files checked)" in run.stderr


def test_a_linked_folder_given_is_the_folder_it_names(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "again").symlink_to("shared")
    with contextlib.chdir(tmp_path):
        run = run_cli("check", "again", "shared", "--no-cache", "--no-dependents")
    assert run.stdout.splitlines() == [FINDING]
    assert "1 error (2 files checked)" in run.stderr
