"""`floe-lint explain` of a product whose platform cannot be loaded: its transforms are still
listed, a named compute as not approved, and nothing is asked of the missing level (issue 20:
a mutation run found the guard unguarded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files


def test_a_product_on_a_missing_platform_is_explained_without_a_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    product = (
        "name: r\nversion: 1.0.0\nplatform: {ref: ../missing.yaml}\n"
        "transforms: [{type: dbt, path: models/a/, compute: duckdb}]\n"
    )
    write_files(tmp_path, {"r/floe.yaml": product})
    run = run_cli("explain", "r/floe.yaml")
    assert (run.code, run.stdout.splitlines()) == (
        1,
        [
            "product 'r': r/floe.yaml",
            "  platform.ref ../missing.yaml (r/floe.yaml:3)",
            "  transform 'models/a/' at line 4 -> duckdb, its own compute (r/floe.yaml:4): "
            "not approved",
            "r/floe.yaml:3: cannot resolve platform.ref '../missing.yaml': '../missing.yaml' "
            "points to a file that does not exist: missing.yaml",
        ],
    )
