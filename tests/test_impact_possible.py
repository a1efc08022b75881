"""`impact` counts as dependents only the files it read: one too large to read (never parsed,
so whether its hierarchy passes through the manifest cannot be told) was counted and listed
among them ('2 dependents' for one product and one too-large file). It is named apart, in each
format, as a file that may be one; JSON lists it under `possible_dependents` (schemas/impact.json).
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from floe_lint.load.reading import MAX_BYTES
from tests.conftest import run_cli
from tests.test_impact import ENTERPRISE, SCHEMA, git, repo

__all__ = ["repo"]  # (the fixture)

LARGE = "name: p\n#" + "x" * (MAX_BYTES + 10) + "\n"
DEPENDENTS = [
    "platform/sales/manifest.yaml",
    "products/customers/floe.yaml",
    "products/orders/floe.yaml",
]


@pytest.fixture
def large(repo: Path) -> Path:
    (repo / "products/big").mkdir()
    (repo / "products/big/floe.yaml").write_text(LARGE, "utf-8")
    git(repo, "add", "products/big/floe.yaml")
    return repo


def test_a_file_too_large_to_read_is_not_counted_as_a_dependent(large: Path) -> None:
    run = run_cli("impact", ENTERPRISE)
    assert run.stdout.splitlines()[0] == (
        f"impact of {ENTERPRISE} against HEAD: 3 dependents, and 1 file too large to read that "
        "may be one (products/big/floe.yaml)"
    ), run.stderr
    run = run_cli("impact", ENTERPRISE, "--format", "json")
    jsonschema.validate(run.report, SCHEMA)
    assert run.report["dependents"] == DEPENDENTS
    assert run.report["possible_dependents"] == ["products/big/floe.yaml"]
    assert run.report["summary"]["dependents"] == 3
    run = run_cli("impact", ENTERPRISE, "--format", "markdown")
    assert (
        "Against HEAD: 3 dependents, and 1 file too large to read that may be one "
        "(products/big/floe.yaml), **2 new errors**"
    ) in run.stdout, run.stdout


def test_without_one_nothing_is_added(repo: Path) -> None:
    run = run_cli("impact", ENTERPRISE, "--format", "json")
    assert "possible_dependents" not in run.report
    assert run.stdout.count("possible") == 0
