"""The ordered governance fields floe-lint did not compare before (red team on cbbef15): the
security switches (`rbac`, `secret_scanning`, `network_policies`), `stale_table_recovery_mode`,
`quality_gates.zero_column_coverage_behavior` and the drift-detection `fail_on_*` switches. A
domain could turn each off below an enterprise that turned it on, with floe-lint silent, while
floe-core's model read (and its compile ran with) the weaker value. Left out of a written block
they are floe-core's default, as for the other nested fields."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from floe_core.schemas.manifest import GovernanceConfig
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.model.governance import BY_PATH
from tests.test_governance_defaults import ONLY_FLOE_LINT as ONLY
from tests.test_governance_defaults import domain, governance_findings, manifest

ENTERPRISE = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  stale_table_recovery_mode: strict
  quality_gates: {zero_column_coverage_behavior: report_na}
  data_contracts:
    drift_detection: {fail_on_type_mismatch: true, fail_on_missing_column: true}
  rbac: {enabled: true}
  secret_scanning: {enabled: true}
  network_policies: {enabled: true, default_deny: true}
"""

TAIL = "; a level may keep or strengthen the governance above it, never weaken it"


def test_each_switch_and_mode_turned_down_below_is_reported_where_written(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "manifest.yaml": domain(
                "  stale_table_recovery_mode: repair\n"
                "  quality_gates: {zero_column_coverage_behavior: report_100_percent}\n"
                "  data_contracts:\n"
                "    drift_detection: {fail_on_type_mismatch: false}\n"
                "  rbac: {enabled: false}\n"
                "  secret_scanning: {enabled: false}\n"
                "  network_policies: {enabled: false, default_deny: false}\n"
            ),
        }
    )
    switch = " (false < true)" + ONLY
    assert governance_findings(run) == [
        (
            "FL606",
            9,
            50,
            "domain 'sales' sets governance.quality_gates.zero_column_coverage_behavior to "
            "'report_100_percent', weaker than 'report_na' set by enterprise 'acme'"
            + TAIL
            + " ('report_100_percent' < 'report_na')"
            + ONLY,
        ),
        (
            "FL607",
            11,
            46,
            "domain 'sales' sets governance.data_contracts.drift_detection.fail_on_type_mismatch"
            " to false, weaker than true set by enterprise 'acme'" + TAIL + switch,
        ),
        (
            "FL609",
            8,
            30,
            "domain 'sales' sets governance.stale_table_recovery_mode to 'repair', weaker than "
            "'strict' set by enterprise 'acme'" + TAIL + " ('repair' < 'strict')" + ONLY,
        ),
        (
            "FL609",
            12,
            19,
            "domain 'sales' sets governance.rbac.enabled to false, weaker than true set by "
            "enterprise 'acme'" + TAIL + switch,
        ),
        (
            "FL609",
            13,
            30,
            "domain 'sales' sets governance.secret_scanning.enabled to false, weaker than true "
            "set by enterprise 'acme'" + TAIL + switch,
        ),
        (
            "FL609",
            14,
            31,
            "domain 'sales' sets governance.network_policies.enabled to false, weaker than true "
            "set by enterprise 'acme'" + TAIL + switch,
        ),
        (
            "FL609",
            14,
            52,
            "domain 'sales' sets governance.network_policies.default_deny to false, weaker than "
            "true set by enterprise 'acme'" + TAIL + switch,
        ),
    ]
    assert run.code == 1


def test_a_block_written_without_the_switch_is_floe_cores_default_and_weaker(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "manifest.yaml": domain(
                "  rbac: {required_role: platform-engineer}\n  network_policies: {enabled: true}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL609",
            8,
            9,
            "domain 'sales' leaves governance.rbac.enabled out of its `rbac` block, so "
            "floe-core reads its default false, weaker than true set by enterprise 'acme'"
            + TAIL
            + " (false < true)"
            + ONLY,
        )
    ]


def test_kept_strengthened_or_not_written_passes(lint) -> None:
    parent = ENTERPRISE.replace("strict", "repair").replace("report_na", "report_100_percent")
    parent = parent.replace("rbac: {enabled: true}", "rbac: {enabled: false}")
    run = lint(
        {
            "enterprise.yaml": parent,
            "manifest.yaml": domain(
                "  stale_table_recovery_mode: strict\n"
                "  quality_gates: {zero_column_coverage_behavior: report_na}\n"
                "  data_contracts: {drift_detection: {enabled: true}}\n"
                "  rbac: {enabled: true}\n"
                "  secret_scanning: null\n"
                "  network_policies: {enabled: true, custom_egress_rules: []}\n"
            ),
        }
    )
    assert governance_findings(run) == []


LOOSER = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  data_contracts: {drift_detection: {warn_on_extra_column: true}}
  rbac: {enabled: true, allow_principal_fallback: false}
  secret_scanning: {enabled: true, severity: error}
"""


def test_principal_fallback_scan_severity_and_extra_column_loosened_below_are_reported(
    lint,
) -> None:
    """floe-core's validator compares none of the three; its model reads them (RBACConfig,
    SecretScanningConfig, DriftDetectionConfig) and its compile runs with the child's."""
    run = lint(
        {
            "enterprise.yaml": LOOSER,
            "manifest.yaml": domain(
                "  data_contracts: {drift_detection: {warn_on_extra_column: false}}\n"
                "  rbac: {enabled: true, allow_principal_fallback: true}\n"
                "  secret_scanning: {enabled: true, severity: warning}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL607",
            8,
            60,
            "domain 'sales' sets governance.data_contracts.drift_detection.warn_on_extra_column"
            " to false, weaker than true set by enterprise 'acme'"
            + TAIL
            + " (false < true)"
            + ONLY,
        ),
        (
            "FL609",
            9,
            51,
            "domain 'sales' sets governance.rbac.allow_principal_fallback to true, weaker than "
            "false set by enterprise 'acme'" + TAIL + " (true < false)" + ONLY,
        ),
        (
            "FL609",
            10,
            46,
            "domain 'sales' sets governance.secret_scanning.severity to 'warning', weaker than "
            "'error' set by enterprise 'acme'" + TAIL + " ('warning' < 'error')" + ONLY,
        ),
    ]
    related = [f["related"][0]["line"] for f in run.findings if f["rule"].startswith("FL6")]
    assert sorted(related) == [7, 8, 9]


def test_an_rbac_block_without_the_fallback_allows_it_by_default(lint) -> None:
    """`RBACConfig.allow_principal_fallback` defaults to true: `rbac: {enabled: true}` below a
    level that turned the fallback off turns it back on."""
    run = lint({"enterprise.yaml": LOOSER, "manifest.yaml": domain("  rbac: {enabled: true}\n")})
    assert governance_findings(run) == [
        (
            "FL609",
            8,
            9,
            "domain 'sales' leaves governance.rbac.allow_principal_fallback out of its `rbac` "
            "block, so floe-core reads its default true, weaker than false set by enterprise "
            "'acme'" + TAIL + " (true < false)" + ONLY,
        )
    ]


def test_the_three_kept_or_tightened_pass(lint) -> None:
    parent = LOOSER.replace("warn_on_extra_column: true", "warn_on_extra_column: false")
    parent = parent.replace("allow_principal_fallback: false", "allow_principal_fallback: true")
    parent = parent.replace("severity: error", "severity: warning")
    for child in (
        "  data_contracts: {drift_detection: {warn_on_extra_column: true}}\n"
        "  rbac: {enabled: true, allow_principal_fallback: false}\n"
        "  secret_scanning: {enabled: true, severity: error}\n",
        "  data_contracts: {drift_detection: {warn_on_extra_column: false}}\n"
        "  rbac: {enabled: true}\n"
        "  secret_scanning: {enabled: true}\n",
    ):
        assert (
            governance_findings(lint({"enterprise.yaml": parent, "manifest.yaml": domain(child)}))
            == []
        )
    assert (
        governance_findings(
            lint(
                {
                    "enterprise.yaml": LOOSER,
                    "manifest.yaml": domain(
                        "  data_contracts: {drift_detection: {warn_on_extra_column: true}}\n"
                        "  rbac: {enabled: true, allow_principal_fallback: false}\n"
                        "  secret_scanning: {enabled: true}\n"
                    ),
                }
            )
        )
        == []
    )


SWITCH = st.booleans()
GOVERNANCE = st.fixed_dictionaries(
    {},
    optional={
        "stale_table_recovery_mode": st.sampled_from(["strict", "repair"]),
        "quality_gates": st.fixed_dictionaries(
            {},
            optional={
                "zero_column_coverage_behavior": st.sampled_from(
                    ["report_100_percent", "report_na"]
                )
            },
        ),
        "data_contracts": st.fixed_dictionaries(
            {},
            optional={
                "drift_detection": st.fixed_dictionaries(
                    {},
                    optional={
                        "fail_on_type_mismatch": SWITCH,
                        "fail_on_missing_column": SWITCH,
                        "warn_on_extra_column": SWITCH,
                    },
                )
            },
        ),
        "rbac": st.fixed_dictionaries(
            {}, optional={"enabled": SWITCH, "allow_principal_fallback": SWITCH}
        ),
        "secret_scanning": st.fixed_dictionaries(
            {}, optional={"enabled": SWITCH, "severity": st.sampled_from(["error", "warning"])}
        ),
        "network_policies": st.fixed_dictionaries(
            {}, optional={"enabled": SWITCH, "default_deny": SWITCH}
        ),
    },
)
PATHS = (
    "stale_table_recovery_mode",
    "quality_gates.zero_column_coverage_behavior",
    "data_contracts.drift_detection.fail_on_type_mismatch",
    "data_contracts.drift_detection.fail_on_missing_column",
    "data_contracts.drift_detection.warn_on_extra_column",
    "rbac.enabled",
    "rbac.allow_principal_fallback",
    "secret_scanning.enabled",
    "secret_scanning.severity",
    "network_policies.enabled",
    "network_policies.default_deny",
)


def read_by_floe_core(governance: dict[str, Any], path: str) -> Any:
    """What floe-core's model holds for `path` where the level writes it or its block (None:
    the level writes neither, so it inherits)."""
    first = path.split(".")[0]
    if first not in governance:
        return None
    value: Any = GovernanceConfig.model_validate(governance)
    for key in path.split("."):
        value = getattr(value, key)
    return value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parent=GOVERNANCE, child=GOVERNANCE)
def test_a_weakening_exactly_when_floe_cores_model_reads_a_weaker_value_below(
    parent: dict[str, Any], child: dict[str, Any]
) -> None:
    """floe-core's `validate_security_policy_not_weakened` does not compare these fields, so
    its model is the judge of the values (defaults included) and FIELDS of the order."""
    expected = set()
    for path in PATHS:
        above, below = read_by_floe_core(parent, path), read_by_floe_core(child, path)
        if above is not None and below is not None:
            field = BY_PATH[path]
            if field.rank(below) < field.rank(above):  # type: ignore[operator]
                expected.add(path)
    with tempfile.TemporaryDirectory() as tmp:
        for name, doc in (
            ("enterprise.yaml", manifest("enterprise", parent)),
            ("manifest.yaml", manifest("domain", child)),
        ):
            Path(tmp, name).write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", tmp, "--format", "json", "--no-cache"], stdout=out, stderr=err)
        assert code in (0, 1), err.getvalue()
        findings = json.loads(out.getvalue())["findings"]
    reported = {
        f["message"].split("governance.", 1)[1].split(" ", 1)[0]
        for f in findings
        if f["rule"].startswith("FL6")
    }
    assert reported == expected, (parent, child, findings)
