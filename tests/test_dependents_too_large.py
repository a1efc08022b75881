"""A product too large to read (over the load limit) that may name a changed manifest is taken
by `check MANIFEST` and reported, never passed by: its bytes are not read, so whether it names
the manifest cannot be told, and the check of the whole tree reports it too. Before, the
search dropped it and `check MANIFEST` passed ("no problems") while `check .` failed. A large
file not named as a Floe document is left out, as `check .` leaves it out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from floe_lint.load.reading import MAX_BYTES
from tests.conftest import run_cli, write_files

ENTERPRISE = "scope: enterprise\nmetadata: {name: acme}\n"
ENTERPRISE += "plugins: {compute: {approved: [duckdb, spark]}}\n"
DOMAIN = "scope: domain\nmetadata: {name: dom}\nparent_manifest: ../ent/manifest.yaml\n"
DOMAIN += "plugins: {compute: {approved: [duckdb, spark]}}\n"
PRODUCT = "name: p\nplatform:\n  ref: ../../platform/dom/manifest.yaml\n"
PRODUCT += "transforms:\n  - type: dbt\n    path: models/a/\n    compute: spark\n"
SIZE = MAX_BYTES + 100
CANNOT_READ = (
    f"products/p/floe.yaml:1:1: ERROR FL001 [yaml-syntax] cannot read file: it is {SIZE} "
    f"bytes; the limit is {MAX_BYTES}"
)


def _tree(root: Path, padding: int = SIZE - len(PRODUCT) - 2) -> None:
    write_files(
        root,
        {
            "platform/ent/manifest.yaml": ENTERPRISE,
            "platform/dom/manifest.yaml": DOMAIN,
            "products/p/floe.yaml": PRODUCT + "#" + "x" * padding + "\n",
            "products/q/floe.yaml": PRODUCT.replace("name: p", "name: q"),
        },
    )


@pytest.mark.parametrize("manifest", ["platform/dom/manifest.yaml", "platform/ent/manifest.yaml"])
def test_a_product_too_large_to_read_is_reported_by_a_check_of_its_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manifest: str
) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path)
    assert (tmp_path / "products/p/floe.yaml").stat().st_size == SIZE
    whole = run_cli("check", "--no-cache", ".")
    assert (whole.code, whole.stdout.splitlines()[0]) == (1, CANNOT_READ)
    run = run_cli("check", "--no-cache", manifest)
    lines = run.stdout.splitlines()
    assert run.code == 1, run.stdout + run.stderr
    assert lines[0] == CANNOT_READ
    assert lines[1].strip() == f"note: a dependent of the changed manifest {manifest}"


def test_a_product_too_large_is_found_in_a_folder_holding_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder holding a symbolic link is tested file by file (not by the first pass)."""
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path)
    os.symlink("../q/floe.yaml", tmp_path / "products/p/linked.yaml")
    run = run_cli("check", "--no-cache", "platform/dom/manifest.yaml")
    assert run.code == 1, run.stdout + run.stderr
    assert run.stdout.splitlines()[0] == CANNOT_READ


def test_a_large_file_not_named_as_a_floe_document_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, padding=10)
    (tmp_path / "products/p/data.yaml").write_text("a: " + "x" * SIZE + "\n", "utf-8")
    whole = run_cli("check", "--no-cache", ".")
    run = run_cli("check", "--no-cache", "platform/dom/manifest.yaml")
    assert (whole.code, run.code) == (0, 0), whole.stdout + run.stdout
    assert "data.yaml" not in whole.stdout + run.stdout
    assert run.stderr.strip().endswith(
        "(4 files checked, 2 of them dependents of the changed manifests)"
    )
