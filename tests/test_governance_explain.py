"""`explain` shows the governance in force at each level, with where each value comes from."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REPO, run_cli, write_files

SCHEMA = json.loads((REPO / "schemas" / "explain.json").read_text("utf-8"))
TREE = {
    "enterprise/manifest.yaml": """
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    approved_plugins:
      compute: [duckdb]
      orchestrator: [dagster]
    governance:
      pii_encryption: required
      data_retention_days: 90
    """,
    "sales/manifest.yaml": """
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
    scope: domain
    parent_manifest: ../enterprise/manifest.yaml
    plugins: {orchestrator: {type: dagster}}
    governance:
      pii_encryption: optional
      data_retention_days: 365
      quality_gates: {require_descriptions: true}
    """,
    "sales/invoices/floe.yaml": """
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: invoices, version: 1.0.0}
    platform: {manifest: ../manifest.yaml}
    transforms:
      - name: stg_invoices
    """,
}
ENTERPRISE_LINES = [
    "enterprise 'acme': enterprise/manifest.yaml",
    "  approves duckdb (enterprise/manifest.yaml:5)",
    "  allows below duckdb (enterprise/manifest.yaml:7)",
    "  default duckdb (enterprise/manifest.yaml:5)",
    "  governance pii_encryption required (enterprise/manifest.yaml:10)",
    "  governance data_retention_days 90 (enterprise/manifest.yaml:11)",
    "  approved_plugins orchestrator: dagster (enterprise/manifest.yaml:8)",
]
DOMAIN_LINES = [
    "domain 'sales': sales/manifest.yaml",
    "  parent_manifest ../enterprise/manifest.yaml (sales/manifest.yaml:5)",
    "  inherits its computes from enterprise 'acme'",
    "  default duckdb, inherited from enterprise 'acme' (enterprise/manifest.yaml:5)",
    "  governance pii_encryption required, inherited from enterprise 'acme' "
    "(enterprise/manifest.yaml:10)",
    "  governance data_retention_days 365 (sales/manifest.yaml:9)",
    # floe-core fills in what the written quality_gates block leaves out
    "  governance quality_gates.minimum_test_coverage 80, floe-core's default "
    "(sales/manifest.yaml:10)",
    "  governance quality_gates.require_descriptions true (sales/manifest.yaml:10)",
    "  governance quality_gates.require_column_descriptions false, floe-core's default "
    "(sales/manifest.yaml:10)",
    "  governance quality_gates.block_on_failure true, floe-core's default "
    "(sales/manifest.yaml:10)",
    "  governance quality_gates.zero_column_coverage_behavior report_na, floe-core's default "
    "(sales/manifest.yaml:10)",
    "  governance pii_encryption optional (sales/manifest.yaml:8): weaker than required of "
    "enterprise 'acme', not in force",
    "  approved_plugins orchestrator: dagster, inherited from enterprise 'acme' "
    "(enterprise/manifest.yaml:8)",
]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, TREE)
    return tmp_path


def test_a_products_governance_is_shown_level_by_level_with_its_origin(tree: Path) -> None:
    run = run_cli("explain", "sales/invoices/floe.yaml")
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == [
        *ENTERPRISE_LINES,
        *DOMAIN_LINES,
        "product 'invoices': sales/invoices/floe.yaml",
        "  platform.manifest ../manifest.yaml (sales/invoices/floe.yaml:4)",
        "  transform 'stg_invoices' at line 6 -> duckdb, default of enterprise 'acme' "
        "(enterprise/manifest.yaml:5)",
    ]


def test_a_manifests_governance_is_shown_down_to_itself(tree: Path) -> None:
    run = run_cli("explain", "enterprise/manifest.yaml")
    assert run.stdout.splitlines() == ENTERPRISE_LINES


def test_explain_json_carries_the_governance_and_follows_its_schema(tree: Path) -> None:
    run = run_cli("explain", "sales/invoices/floe.yaml", "--format", "json")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(run.report, SCHEMA)
    domain = run.report["levels"][1]
    assert domain["governance"] == [
        {
            "field": "pii_encryption",
            "value": "required",
            "inherited_from": "enterprise 'acme'",
            "file": "enterprise/manifest.yaml",
            "line": 10,
        },
        {
            "field": "data_retention_days",
            "value": 365,
            "inherited_from": None,
            "file": "sales/manifest.yaml",
            "line": 9,
        },
        {
            "field": "quality_gates.minimum_test_coverage",
            "value": 80,
            "inherited_from": None,
            "file": "sales/manifest.yaml",
            "line": 10,
            "default": True,
        },
        {
            "field": "quality_gates.require_descriptions",
            "value": True,
            "inherited_from": None,
            "file": "sales/manifest.yaml",
            "line": 10,
        },
        {
            "field": "quality_gates.require_column_descriptions",
            "value": False,
            "inherited_from": None,
            "file": "sales/manifest.yaml",
            "line": 10,
            "default": True,
        },
        {
            "field": "quality_gates.block_on_failure",
            "value": True,
            "inherited_from": None,
            "file": "sales/manifest.yaml",
            "line": 10,
            "default": True,
        },
        {
            "field": "quality_gates.zero_column_coverage_behavior",
            "value": "report_na",
            "inherited_from": None,
            "file": "sales/manifest.yaml",
            "line": 10,
            "default": True,
        },
    ]
    assert domain["governance_not_in_force"] == [
        {
            "field": "pii_encryption",
            "value": "optional",
            "file": "sales/manifest.yaml",
            "line": 8,
            "in_force": "required",
            "set_by": "enterprise 'acme'",
        }
    ]
    assert domain["approved_plugins"] == [
        {
            "category": "orchestrator",
            "names": ["dagster"],
            "inherited_from": "enterprise 'acme'",
            "file": "enterprise/manifest.yaml",
            "line": 8,
        }
    ]
    assert domain["approved_plugins_not_allowed"] == []


def test_an_adr_0010_hierarchy_is_explained_alike(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "enterprise.yaml": """
            scope: enterprise
            metadata: {name: acme}
            plugins: {compute: {approved: [duckdb], default: duckdb}}
            governance: {audit_logging: enabled, naming: {enforcement: warn}}
            """,
            "manifest.yaml": """
            scope: domain
            metadata: {name: sales}
            parent_manifest: enterprise.yaml
            plugins: {compute: {approved: [duckdb]}}
            governance: {naming: {enforcement: strict}}
            """,
        },
    )
    run = run_cli("explain", "manifest.yaml")
    assert [line for line in run.stdout.splitlines() if "governance" in line] == [
        "  governance audit_logging enabled (enterprise.yaml:4)",
        "  governance naming.enforcement warn (enterprise.yaml:4)",
        "  governance audit_logging enabled, inherited from enterprise 'acme' (enterprise.yaml:4)",
        "  governance naming.enforcement strict (manifest.yaml:5)",
    ]


def test_an_approved_plugin_a_level_adds_is_shown_as_ignored(tree: Path) -> None:
    sales = TREE["sales/manifest.yaml"] + "approved_plugins: {orchestrator: [dagster, airflow]}\n"
    write_files(tree, {"sales/manifest.yaml": sales})
    run = run_cli("explain", "sales/manifest.yaml")
    assert run.stdout.splitlines()[-1] == (
        "  approved_plugins orchestrator lists airflow (sales/manifest.yaml:11), which "
        "enterprise 'acme' does not approve: ignored"
    )
