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
    """The exclude of `legacy_*` (third) is not reported: the kept downgrade of the same glob,
    expiring the same day, comes first, and floe-core applies only the first override that
    matches, so it never applies (the `*` exclude applies to every other model: reported)."""
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
    ]


ORDERED = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  policy_overrides:
    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-1}
    - {pattern: 'legacy_orders_*', action: exclude, reason: JIRA-2}
"""
ORDER_TAIL = (
    "floe-core applies only the first override that matches, so a level may keep the "
    "overrides above it but not reorder them to act on more"
)


def test_the_same_overrides_reordered_to_act_on_more_are_reported_at_the_entry(lint) -> None:
    """Above, `legacy_*` comes first: legacy_orders_* models are only downgraded (the exclude
    after it never applies). The same two entries with the exclude first exclude them: a
    weakening made of entries the level above has, reported at the entry moved."""
    run = lint(
        {
            "enterprise.yaml": ORDERED,
            "manifest.yaml": domain(
                "  policy_overrides:\n"
                "    - {pattern: 'legacy_orders_*', action: exclude, reason: JIRA-2}\n"
                "    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-1}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL610",
            9,
            7,
            "domain 'sales' orders governance.policy_overrides so that entry {pattern: "
            "'legacy_orders_*', action: exclude, reason: 'JIRA-2'} excludes violations of model "
            f"'legacy_orders_', which enterprise 'acme' above it only downgrades; {ORDER_TAIL}",
        )
    ]


def test_an_override_moved_out_from_under_a_narrower_one_is_reported(lint) -> None:
    """Above, a downgrade of `tmp_*` comes before an exclude of every model: tmp_ models are
    only downgraded. Below, the exclude is kept but put first: it now excludes them too."""
    above = ORDERED.replace(
        "    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-1}\n"
        "    - {pattern: 'legacy_orders_*', action: exclude, reason: JIRA-2}\n",
        "    - {pattern: 'tmp_*', action: downgrade, reason: JIRA-1}\n"
        "    - {pattern: '*', action: exclude, reason: JIRA-2, policy_types: [coverage]}\n",
    )
    run = lint(
        {
            "enterprise.yaml": above,
            "manifest.yaml": domain(
                "  policy_overrides:\n"
                "    - {pattern: '*', action: exclude, reason: JIRA-2, policy_types: [coverage]}\n"
                "    - {pattern: 'tmp_*', action: downgrade, reason: JIRA-1}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL610",
            9,
            7,
            "domain 'sales' orders governance.policy_overrides so that entry {pattern: '*', "
            "action: exclude, reason: 'JIRA-2', policy_types: ['coverage']} excludes 'coverage' "
            f"violations of model 'tmp_', which enterprise 'acme' above it only downgrades; "
            f"{ORDER_TAIL}",
        )
    ]


def test_overrides_that_together_do_what_the_list_above_does_pass(lint) -> None:
    """Judged as floe-core applies each list, not entry by entry: one override for two types
    where the level above writes one per type, the order above kept with an entry narrowed,
    and an entry that never applies (a kept one before it matches first) pass."""
    above = ORDERED.replace(
        "    - {pattern: 'legacy_orders_*', action: exclude, reason: JIRA-2}\n",
        "    - {pattern: 'legacy_orders_*', action: exclude, reason: JIRA-2}\n"
        "    - {pattern: 'tmp_*', action: exclude, reason: JIRA-3, policy_types: [naming]}\n"
        "    - {pattern: 'tmp_*', action: exclude, reason: JIRA-3, policy_types: [coverage]}\n",
    )
    for governance in (
        "  policy_overrides:\n"
        "    - {pattern: 'tmp_*', action: exclude, reason: x, policy_types: [coverage, naming]}\n",
        "  policy_overrides:\n"
        "    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-1}\n"
        "    - {pattern: 'legacy_orders_x*', action: exclude, reason: JIRA-2}\n",
        "  policy_overrides:\n"
        "    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-1}\n"
        "    - {pattern: 'legacy_*', action: exclude, reason: JIRA-1}\n",
    ):
        run = lint({"enterprise.yaml": above, "manifest.yaml": domain(governance)})
        assert governance_findings(run) == [], governance


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


def test_globs_with_a_set_are_judged_by_what_holds_in_any_order(lint) -> None:
    """A `[...]` set is not walked (`_name_classes` gives up): the list above kept in its order
    passes, an entry inside one above that no downgrade shadows passes, and an exclude moved
    before the downgrade that shadowed it above is reported, at the entry."""
    above = ORDERED.replace(
        "    - {pattern: 'legacy_*', action: downgrade, reason: JIRA-1}\n"
        "    - {pattern: 'legacy_orders_*', action: exclude, reason: JIRA-2}\n",
        "    - {pattern: 'tmp_[0-9]*', action: downgrade, reason: JIRA-1}\n"
        "    - {pattern: '*', action: exclude, reason: JIRA-2}\n",
    )
    kept = (
        "  policy_overrides:\n"
        "    - {pattern: 'tmp_[0-9]*', action: downgrade, reason: JIRA-1}\n"
        "    - {pattern: '*', action: exclude, reason: reworded}\n"
    )
    narrowed = (
        "  policy_overrides:\n"
        "    - {pattern: 'tmp_[0-9]*', action: downgrade, reason: JIRA-1, policy_types: [naming]}\n"
    )
    for governance in (kept, narrowed):
        run = lint({"enterprise.yaml": above, "manifest.yaml": domain(governance)})
        assert governance_findings(run) == [], governance
    run = lint(
        {
            "enterprise.yaml": above,
            "manifest.yaml": domain(
                "  policy_overrides:\n"
                "    - {pattern: '*', action: exclude, reason: JIRA-2}\n"
                "    - {pattern: 'tmp_[0-9]*', action: downgrade, reason: JIRA-1}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL610",
            9,
            7,
            "domain 'sales' orders governance.policy_overrides so that entry {pattern: '*', "
            "action: exclude, reason: 'JIRA-2'} may act on models that enterprise 'acme' above "
            "it treats more strictly (its globs are too many or too complex to compare "
            f"exactly); {ORDER_TAIL}",
        )
    ]
