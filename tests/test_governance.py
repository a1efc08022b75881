"""Strengthen-only governance (FL6xx): what is in force at each level, where it comes from, and
that a weakening is reported once, where it is written, in both dialects."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Run

ADR_ENTERPRISE = """
scope: enterprise
metadata: {name: acme}
plugins: {compute: {approved: [duckdb, spark], default: duckdb}}
governance:
  pii_encryption: required
  data_retention_days: 90
  quality_gates: {minimum_test_coverage: 80}
"""

FLOE_ENTERPRISE = """
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}}
governance:
  pii_encryption: required
  data_retention_days: 90
  quality_gates: {minimum_test_coverage: 80}
"""


def adr_domain(name: str, parent: str, governance: str = "") -> str:
    return (
        f"scope: domain\nmetadata: {{name: {name}}}\nparent_manifest: {parent}\n"
        "plugins: {compute: {approved: [duckdb]}}\n" + governance
    )


def floe_domain(name: str, parent: str, governance: str = "") -> str:
    return (
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        f"metadata: {{name: {name}, version: 1.0.0, owner: {name}@acme.example}}\n"
        f"scope: domain\nparent_manifest: {parent}\nplugins: {{orchestrator: {{type: dagster}}}}\n"
        + governance
    )


def governance_findings(run: Run) -> list[tuple[str, str, int, int]]:
    return sorted(
        (f["name"], f["file"], f["line"], f["column"])
        for f in run.findings
        if f["rule"].startswith("FL6")
    )


def related(finding: dict[str, Any]) -> list[tuple[str, int, int, str]]:
    return [(r["file"], r["line"], r["column"], r["message"]) for r in finding["related"]]


def test_a_weakening_is_reported_at_the_childs_value_with_the_parents_as_related(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ADR_ENTERPRISE,
            "manifest.yaml": adr_domain(
                "sales", "enterprise.yaml", "governance: {pii_encryption: optional}\n"
            ),
        }
    )
    (f,) = run.findings
    assert (f["rule"], f["file"], f["line"], f["column"]) == ("FL601", "manifest.yaml", 5, 30)
    assert f["message"] == (
        "domain 'sales' sets governance.pii_encryption to 'optional', weaker than 'required' "
        "set by enterprise 'acme'; a level may keep or strengthen the governance above it, "
        "never weaken it ('optional' < 'required')"
    )
    assert related(f) == [
        ("enterprise.yaml", 5, 19, "governance.pii_encryption 'required' of enterprise 'acme'")
    ]


def test_the_upstream_dialect_is_held_to_the_same_ordering(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": FLOE_ENTERPRISE,
            "manifest.yaml": floe_domain(
                "sales",
                "enterprise.yaml",
                "governance:\n  data_retention_days: 30\n  quality_gates: {minimum_test_coverage: 79}\n",
            ),
        }
    )
    assert governance_findings(run) == [
        ("quality-gates-weakened", "manifest.yaml", 9, 42),
        ("retention-weakened", "manifest.yaml", 8, 24),
    ]
    retention = run.named("retention-weakened")[0]
    assert "to 30, weaker than 90 set by enterprise 'acme'" in retention["message"]
    assert related(retention)[0][:2] == ("enterprise.yaml", 8)
    assert run.code == 1


def test_a_value_not_written_is_inherited_and_a_stronger_one_is_accepted(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ADR_ENTERPRISE,
            "manifest.yaml": adr_domain(
                "sales",
                "enterprise.yaml",
                "governance:\n  pii_encryption: null\n  data_retention_days: 365\n"
                "  quality_gates: {require_descriptions: true}\n  audit_logging: disabled\n",
            ),
        }
    )
    assert governance_findings(run) == []
    assert run.code == 0, run.findings


def test_the_value_in_force_is_the_strictest_so_a_grandchild_is_compared_with_it(lint) -> None:
    # sales weakens retention to 30 (reported), which does not take effect: emea, below it,
    # still has 90 in force and its own 60 is a weakening too; its 120 would not be.
    run = lint(
        {
            "enterprise.yaml": ADR_ENTERPRISE,
            "sales.yaml": adr_domain(
                "sales", "enterprise.yaml", "governance: {data_retention_days: 30}\n"
            ),
            "emea.yaml": adr_domain(
                "emea", "sales.yaml", "governance: {data_retention_days: 60}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        ("retention-weakened", "emea.yaml", 5, 35),
        ("retention-weakened", "sales.yaml", 5, 35),
    ]
    emea = next(f for f in run.findings if f["file"] == "emea.yaml")
    assert "weaker than 90 set by enterprise 'acme'" in emea["message"]
    assert related(emea)[0][:2] == ("enterprise.yaml", 6)


def test_a_product_below_a_weakening_domain_gets_no_finding_of_its_own(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ADR_ENTERPRISE,
            "manifest.yaml": adr_domain(
                "sales", "enterprise.yaml", "governance: {pii_encryption: optional}\n"
            ),
            "floe.yaml": "name: orders\nplatform: {ref: manifest.yaml}\n"
            "transforms: [{type: dbt, path: models/a/}]\n",
        }
    )
    assert governance_findings(run) == [("pii-encryption-weakened", "manifest.yaml", 5, 30)]


def test_governance_in_an_adr_0010_manifest_is_not_a_dialect_marker(lint) -> None:
    run = lint({"manifest.yaml": ADR_ENTERPRISE})
    assert run.findings == []


def test_a_value_outside_its_domain_is_a_schema_error_and_not_compared(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ADR_ENTERPRISE,
            "manifest.yaml": adr_domain(
                "sales", "enterprise.yaml", "governance: {pii_encryption: maybe}\n"
            ),
        }
    )
    assert [(f["name"], f["line"]) for f in run.findings] == [("schema-enum", 5)]


def test_approved_plugins_widened_below_the_enterprise_is_reported_at_the_added_name(
    lint,
) -> None:
    enterprise = FLOE_ENTERPRISE.replace(
        "plugins: {compute: {type: duckdb}}",
        "plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}\n"
        "approved_plugins: {orchestrator: [dagster], compute: [duckdb]}",
    )
    run = lint(
        {
            "enterprise.yaml": enterprise,
            "manifest.yaml": floe_domain(
                "sales",
                "enterprise.yaml",
                "approved_plugins: {orchestrator: [airflow, dagster], catalog: [polaris]}\n",
            ),
        }
    )
    (f,) = run.named("approved-plugins-widened")
    assert (f["file"], f["line"], f["column"]) == ("manifest.yaml", 7, 35)
    assert f["message"] == (
        "domain 'sales' allows orchestrator 'airflow' below it, which enterprise 'acme' does "
        "not approve; approved_plugins.orchestrator above: dagster"
    )
    assert related(f) == [("enterprise.yaml", 6, 20, "whitelist of enterprise 'acme'")]
    # a category the enterprise does not restrict is not widened
    assert "polaris" not in str(run.findings)


def test_both_dialects_read_the_same_governance_schema() -> None:
    """ADR-0010 defines no governance: its manifests take upstream's block, as upstream reads it."""
    import json

    from tests.conftest import REPO

    adr = json.loads((REPO / "schemas/manifest.json").read_text("utf-8"))
    floe = json.loads((REPO / "schemas/manifest-floe.json").read_text("utf-8"))
    assert adr["properties"]["governance"] == floe["properties"]["governance"]
    shared = ("governance", "naming", "percent", "qualityGates")
    assert {k: adr["$defs"][k] for k in shared} == {k: floe["$defs"][k] for k in shared}, (
        "copy the governance definitions of schemas/manifest-floe.json into schemas/manifest.json"
    )


def test_a_nested_domain_is_held_to_the_enterprise_whitelist_that_its_parent_widened(
    lint,
) -> None:
    enterprise = FLOE_ENTERPRISE.replace(
        "plugins: {compute: {type: duckdb}}",
        "plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}\n"
        "approved_plugins: {orchestrator: [dagster]}",
    )
    run = lint(
        {
            "enterprise.yaml": enterprise,
            "sales.yaml": floe_domain(
                "sales", "enterprise.yaml", "approved_plugins: {orchestrator: [dagster, airflow]}\n"
            ),
            "emea.yaml": floe_domain("emea", "sales.yaml").replace("dagster", "airflow"),
        }
    )
    (f,) = run.named("plugin-not-approved")
    assert (f["file"], f["line"], f["column"]) == ("emea.yaml", 6, 32)
    assert f["message"] == (
        "domain 'emea' selects orchestrator 'airflow', which enterprise 'acme' does not "
        "approve; approved_plugins.orchestrator: dagster"
    )
    assert [r["file"] for r in f["related"]] == ["enterprise.yaml"]
    assert [x["name"] for x in run.named("approved-plugins-widened")] == [
        "approved-plugins-widened"
    ]


def test_governance_rules_are_tagged_governance_in_sarif(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ADR_ENTERPRISE,
            "manifest.yaml": adr_domain(
                "sales", "enterprise.yaml", "governance: {pii_encryption: optional}\n"
            ),
        },
        "--format",
        "sarif",
    )
    rules = {r["id"]: r for r in json.loads(run.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["FL601"]["properties"]["tags"] == ["floe", "governance"]
    assert rules["FL608"]["name"] == "approved-plugins-widened"
