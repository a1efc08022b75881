"""Findings excused by one of the config's `exceptions` are counted and named as excused, not as
baselined, in every format's summary."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from tests.conftest import REPO, run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = (
    "name: {name}\nplatform: {{ref: ../../manifest.yaml}}\n"
    "transforms: [{{type: dbt, path: models/x/, compute: spark}}]\n"
)
CONFIG = (
    "mandatory: [FL201]\n"
    "exceptions:\n"
    "  - {path: 'products/legacy/*', rule: FL201, reason: 'pilot, OPS-7', expires: 2999-12-31}\n"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": MANIFEST,
            "products/legacy/floe.yaml": PRODUCT.format(name="legacy"),
            "products/orders/floe.yaml": PRODUCT.format(name="orders"),
            ".floe-lint.yaml": CONFIG,
        },
    )
    return tmp_path


def test_the_summary_line_says_excused_by_an_exception(tree: Path) -> None:
    run = run_cli("check", ".")
    assert run.code == 1
    assert run.stdout.startswith("products/orders/floe.yaml:3:52: ERROR FL201")
    assert "products/legacy" not in run.stdout
    assert run.stderr.splitlines()[0] == (
        "floe-lint: 1 error (3 files checked; 1 excused by an exception not shown)"
    )


def test_the_github_closing_line_says_so_too(tree: Path) -> None:
    run = run_cli("check", ".", "--format", "github")
    assert run.stdout.splitlines()[-1] == (
        "floe-lint: 1 error in 3 files; 1 excused by an exception not shown"
    )


def test_machine_reports_count_excused_apart_from_baselined(tree: Path) -> None:
    report = run_cli("check", ".", "--format", "json").report
    jsonschema.validate(report, json.loads((REPO / "schemas/report.json").read_text("utf-8")))
    summary = report["summary"]
    assert (summary["suppressed"], summary["baselined"], summary["excused"]) == (0, 0, 1)
    sarif = json.loads(run_cli("check", ".", "--format", "sarif").stdout)
    assert sarif["runs"][0]["properties"] == {"suppressed": 0, "baselined": 0, "excused": 1}
    junit = ET.fromstring(run_cli("check", ".", "--format", "junit").stdout)
    properties = {p.get("name"): p.get("value") for p in junit.iter("property")}
    assert properties == {"suppressed": "0", "baselined": "0", "excused": "1"}


def test_two_excused_findings_are_worded_in_the_plural(tree: Path) -> None:
    (tree / ".floe-lint.yaml").write_text(CONFIG.replace("legacy/*", "*/floe.yaml"), "utf-8")
    run = run_cli("check", ".")
    assert run.stderr.splitlines()[0] == (
        "floe-lint: no problems (3 files checked; 2 excused by exceptions not shown)"
    )
