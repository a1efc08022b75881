"""Item B of the governance red team: a domain's `policy_overrides` entry excludes or downgrades
models, and floe-core compiles the domain with its own list; an entry the level above does not
have (as floe-core's model reads it) is a weakening, reported at the entry."""

from __future__ import annotations

import datetime

from floe_core.schemas.manifest import GovernanceConfig

from tests.test_governance_defaults import domain, governance_findings

ENTERPRISE = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  policy_overrides:
    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-123, expires: 2027-06-01}
"""

TAIL = (
    "above it does not have; an override excludes or downgrades models, so a level may keep "
    "the overrides above it but never add one"
)


def test_an_override_the_level_above_does_not_have_is_reported_at_the_entry(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "manifest.yaml": domain(
                "  policy_overrides:\n"
                "    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-123,"
                " expires: 2027-06-01}\n"
                "    - pattern: '*'\n"
                "      action: exclude\n"
                "      reason: legacy\n"
                "    - {pattern: 'legacy_*', action: exclude, reason: JIRA-123,"
                " expires: 2027-06-01}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL610",
            10,
            7,
            "domain 'sales' adds governance.policy_overrides entry {pattern: '*', action: "
            f"exclude, reason: legacy}}, which enterprise 'acme' {TAIL}",
        ),
        (
            "FL610",
            13,
            7,
            "domain 'sales' adds governance.policy_overrides entry {pattern: 'legacy_*', "
            f"action: exclude, reason: 'JIRA-123', expires: '2027-06-01'}}, which enterprise "
            f"'acme' "
            f"{TAIL}",
        ),
    ]


def test_kept_overrides_defaults_written_out_and_no_overrides_pass(lint) -> None:
    for governance in (
        "  policy_overrides:\n"
        "    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-123,"
        " expires: '2027-06-01', policy_types: null}\n",
        "  policy_overrides: []\n",
        "  audit_logging: enabled\n",
        "  policy_overrides: null\n",
    ):
        run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(governance)})
        assert governance_findings(run) == [], governance


def test_the_quoted_and_the_yaml_date_read_as_the_same_override() -> None:
    """Why a quoted expiry is the same entry: floe-core's model reads both as one date."""
    entry = {"pattern": "legacy_*", "action": "downgrade", "reason": "JIRA-123"}
    read = [
        GovernanceConfig(policy_overrides=[{**entry, "expires": e}]).policy_overrides[0]
        for e in ("2027-06-01", datetime.date(2027, 6, 1))
    ]
    assert read[0] == read[1]


def test_policy_types_compare_as_the_set_floe_core_checks_membership_in(lint) -> None:
    """floe-core's enforcer applies an override when a violation's type is in `policy_types`:
    `[naming, coverage]` and `[coverage, naming, naming]` are one override; another set is not."""
    above = ENTERPRISE.replace("expires: 2027-06-01}", "policy_types: [naming, coverage]}")
    run = lint(
        {
            "enterprise.yaml": above,
            "manifest.yaml": domain(
                "  policy_overrides:\n"
                "    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-123,"
                " policy_types: [coverage, naming, naming]}\n"
                "    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-123,"
                " policy_types: [naming, custom]}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL610",
            10,
            7,
            "domain 'sales' adds governance.policy_overrides entry {pattern: 'legacy_*', action: "
            "downgrade, reason: 'JIRA-123', policy_types: ['naming', 'custom']}, which enterprise "
            f"'acme' {TAIL}",
        )
    ]


def test_an_override_narrower_than_one_above_is_kept_a_wider_one_reported(lint) -> None:
    """floe-core's enforcer does less with a narrower glob, a downgrade where the one above
    excludes, fewer policy types, an earlier expiry or a reworded reason: those are kept; a
    later expiry, or no expiry, under one that expires does more, at the entry."""
    above = ENTERPRISE.replace("action: downgrade", "action: exclude")
    run = lint(
        {
            "enterprise.yaml": above,
            "manifest.yaml": domain(
                "  policy_overrides:\n"
                "    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-123,"
                " expires: 2027-06-01}\n"
                "    - {pattern: 'legacy_orders_*', action: exclude, reason: JIRA-9,"
                " expires: '2027-01-01', policy_types: [naming]}\n"
                "    - {pattern: 'legacy_*', action: exclude, reason: JIRA-123,"
                " expires: 2028-06-01}\n"
                "    - {pattern: 'legacy*', action: exclude, reason: JIRA-123,"
                " expires: 2027-06-01}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL610",
            11,
            7,
            "domain 'sales' adds governance.policy_overrides entry {pattern: 'legacy_*', "
            "action: exclude, reason: 'JIRA-123', expires: '2028-06-01'}, which enterprise "
            f"'acme' {TAIL}",
        ),
        (
            "FL610",
            12,
            7,
            "domain 'sales' adds governance.policy_overrides entry {pattern: 'legacy*', "
            "action: exclude, reason: 'JIRA-123', expires: '2027-06-01'}, which enterprise "
            f"'acme' {TAIL}",
        ),
    ]
