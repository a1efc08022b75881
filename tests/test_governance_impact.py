"""`impact` reports the governance a manifest edit changes below it: which levels and products
become weaker, and (as findings that appear) which now violate their parent."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REPO, run_cli, write_files
from tests.test_impact import git

SCHEMA = json.loads((REPO / "schemas" / "impact.json").read_text("utf-8"))
ENTERPRISE = "platform/enterprise/manifest.yaml"
BEFORE = """
scope: enterprise
metadata: {name: acme}
plugins: {compute: {approved: [duckdb], default: duckdb}}
governance:
  pii_encryption: required
  data_retention_days: 90
"""
AFTER = """
scope: enterprise
metadata: {name: acme}
plugins: {compute: {approved: [duckdb], default: duckdb}}
governance:
  pii_encryption: optional
  data_retention_days: 180
"""
TREE = {
    ENTERPRISE: BEFORE,
    "platform/sales/manifest.yaml": """
    scope: domain
    metadata: {name: sales}
    parent_manifest: ../enterprise/manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    """,
    "platform/finance/manifest.yaml": """
    scope: domain
    metadata: {name: finance}
    parent_manifest: ../enterprise/manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance: {pii_encryption: required, data_retention_days: 120}
    """,
    "products/orders/floe.yaml": """
    name: orders
    platform: {ref: ../../platform/sales/manifest.yaml}
    transforms: [{type: dbt, path: models/a/}]
    """,
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_files(tmp_path, TREE)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    write_files(tmp_path, {ENTERPRISE: AFTER})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_impact_lists_who_becomes_weaker_and_who_now_violates(repo: Path) -> None:
    run = run_cli("impact", ENTERPRISE)
    assert run.code == 1, run.stderr
    assert run.stdout.splitlines() == [
        f"impact of {ENTERPRISE} against HEAD: 3 dependents",
        "findings that appear: 1",
        "  + platform/finance/manifest.yaml:5:61: ERROR FL604 [retention-weakened] domain "
        "'finance' sets governance.data_retention_days to 120, weaker than 180 set by "
        "enterprise 'acme'; a level may keep or strengthen the governance above it, never "
        "weaken it (a whole number, higher is stricter)",
        "findings that disappear: 0",
        "products whose policy changes: 0",
        "governance that changes: 4 (3 weaker)",
        "  platform/enterprise/manifest.yaml (enterprise 'acme')",
        "    pii_encryption: required (enterprise 'acme') -> optional (enterprise 'acme'): weaker",
        "    data_retention_days: 90 (enterprise 'acme') -> 180 (enterprise 'acme'): stronger",
        "  platform/finance/manifest.yaml (domain 'finance')",
        "    data_retention_days: 120 (domain 'finance') -> 180 (enterprise 'acme'): stronger",
        "  platform/sales/manifest.yaml (domain 'sales')",
        "    pii_encryption: required (enterprise 'acme') -> optional (enterprise 'acme'): weaker",
        "    data_retention_days: 90 (enterprise 'acme') -> 180 (enterprise 'acme'): stronger",
        "  products/orders/floe.yaml (product 'orders')",
        "    pii_encryption: required (enterprise 'acme') -> optional (enterprise 'acme'): weaker",
        "    data_retention_days: 90 (enterprise 'acme') -> 180 (enterprise 'acme'): stronger",
    ]


def test_impact_json_names_the_weakened_and_follows_its_schema(repo: Path) -> None:
    run = run_cli("impact", ENTERPRISE, "--format", "json")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(run.report, SCHEMA)
    assert run.report["summary"]["weakened"] == [
        "platform/enterprise/manifest.yaml",
        "platform/sales/manifest.yaml",
        "products/orders/floe.yaml",
    ]
    orders = run.report["governance"][-1]
    assert orders == {
        "file": "products/orders/floe.yaml",
        "label": "product 'orders'",
        "kind": "product",
        "weakened": True,
        "changes": [
            {
                "field": "pii_encryption",
                "before": {"value": "required", "set_by": "enterprise 'acme'"},
                "after": {"value": "optional", "set_by": "enterprise 'acme'"},
                "change": "weaker",
            },
            {
                "field": "data_retention_days",
                "before": {"value": 90, "set_by": "enterprise 'acme'"},
                "after": {"value": 180, "set_by": "enterprise 'acme'"},
                "change": "stronger",
            },
        ],
    }


def test_a_governance_value_removed_is_weaker_and_shown_as_not_set(repo: Path) -> None:
    write_files(repo, {ENTERPRISE: BEFORE.replace("  data_retention_days: 90\n", "")})
    run = run_cli("impact", ENTERPRISE, "--format", "json")
    sales = next(d for d in run.report["governance"] if d["label"] == "domain 'sales'")
    assert sales["changes"] == [
        {
            "field": "data_retention_days",
            "before": {"value": 90, "set_by": "enterprise 'acme'"},
            "after": None,
            "change": "weaker",
        }
    ]
    # finance writes 120 itself, which stays in force: nothing changes there
    assert "domain 'finance'" not in [d["label"] for d in run.report["governance"]]


def test_an_unchanged_governance_adds_nothing_to_the_report(repo: Path) -> None:
    write_files(repo, {ENTERPRISE: BEFORE})
    run = run_cli("impact", ENTERPRISE)
    assert run.code == 0
    assert "governance" not in run.stdout
    assert run_cli("impact", ENTERPRISE, "--format", "json").report["governance"] == []


def test_a_whitelist_that_allows_more_is_weaker(tmp_path: Path, monkeypatch) -> None:
    enterprise = """
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    approved_plugins: {orchestrator: [dagster]}
    """
    write_files(tmp_path, {"manifest.yaml": enterprise})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    write_files(tmp_path, {"manifest.yaml": enterprise.replace("[dagster]", "[dagster, airflow]")})
    monkeypatch.chdir(tmp_path)
    run = run_cli("impact", "manifest.yaml")
    assert run.stdout.splitlines()[-3:] == [
        "governance that changes: 1 (1 weaker)",
        "  manifest.yaml (enterprise 'acme')",
        "    approved_plugins.orchestrator: dagster (enterprise 'acme') -> dagster, airflow "
        "(enterprise 'acme'): weaker",
    ]


def test_the_readme_example_is_this_output(repo: Path) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    block = readme.split("```\ngovernance that changes: 4 (3 weaker)\n", 1)[1].split("...\n```")[0]
    shown = ["governance that changes: 4 (3 weaker)", *block.splitlines()]
    out = run_cli("impact", ENTERPRISE).stdout.splitlines()
    start = out.index(shown[0])
    assert out[start : start + len(shown)] == shown
