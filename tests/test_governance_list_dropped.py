"""Item D of the governance red team: floe-core compiles a domain with its own `custom_rules`
and `policies` (it never merges the parent's), so a written governance block replaces the lists
above it, and leaving a list out of it is floe-core's default, an empty list. Each entry above
that the domain drops is reported, at its list or at its governance block."""

from __future__ import annotations

from floe_core.schemas.manifest import GovernanceConfig

from tests.test_governance_defaults import domain, governance_findings

ENTERPRISE = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  custom_rules:
    - {type: require_meta_field, field: owner}
    - {type: require_tests_of_type, test_types: [unique]}
  policies:
    - {name: tags, type: required_tags, action: error, message: tag it}
"""

TAIL = (
    "floe-core compiles a level with its own list, not the one above it, so a level may add "
    "entries but must keep every entry above it"
)
OWNER = "{type: require_meta_field, field: owner}"
TESTS = "{type: require_tests_of_type, test_types: ['unique']}"
TAGS = "{name: tags, type: required_tags, action: error, message: 'tag it'}"


def test_each_entry_dropped_is_reported_at_the_list_or_at_the_block(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "manifest.yaml": domain(
                "  custom_rules:\n"
                "    - {type: require_tests_of_type, test_types: [unique], min_columns: 1}\n"
                "  audit_logging: enabled\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL611",
            7,
            1,
            f"domain 'sales' drops governance.policies entry {TAGS} of enterprise 'acme'; {TAIL}",
        ),
        (
            "FL611",
            9,
            5,
            f"domain 'sales' drops governance.custom_rules entry {OWNER} of enterprise 'acme'; "
            f"{TAIL}",
        ),
    ]


def test_an_empty_or_null_list_drops_every_entry(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "manifest.yaml": domain("  custom_rules: []\n  policies: null\n"),
        }
    )
    assert [f[:3] for f in governance_findings(run)] == [
        ("FL611", 8, 17),
        ("FL611", 8, 17),
        ("FL611", 9, 13),
    ]


def test_kept_entries_with_defaults_written_added_ones_and_no_block_pass(lint) -> None:
    for governance in (
        "  custom_rules:\n"
        "    - {type: require_tests_of_type, test_types: [unique]}\n"
        "    - {type: require_meta_field, field: owner, required: true, applies_to: '*'}\n"
        "    - {type: require_meta_field, field: team}\n"
        "  policies:\n"
        "    - {name: tags, type: required_tags, action: error, message: tag it, config: {}}\n",
        "  null\n",
    ):
        run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(governance)})
        assert governance_findings(run) == [], governance
    no_block = domain("").replace("governance:\n", "")
    run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": no_block})
    assert governance_findings(run) == []


def test_floe_core_reads_a_block_without_the_lists_as_empty_and_fills_entry_defaults() -> None:
    """Why leaving a list out drops it, and why a default written out keeps an entry."""
    assert GovernanceConfig().custom_rules == [] and GovernanceConfig().policies is None
    short = GovernanceConfig(custom_rules=[{"type": "require_meta_field", "field": "owner"}])
    full = GovernanceConfig(
        custom_rules=[
            {"type": "require_meta_field", "field": "owner", "required": True, "applies_to": "*"}
        ]
    )
    assert short.custom_rules == full.custom_rules


SPELLED = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  custom_rules:
    - {type: require_tests_of_type, test_types: [unique, not_null], min_columns: 2}
    - {type: require_meta_field, field: owner, required: true}
    - {type: require_tags_for_prefix, prefix: gold_, required_tags: [tested, documented]}
  policies:
    - {name: tags, type: required_tags, action: error, message: m, config: {required_tags: [a, b]}}
"""


def test_entries_floe_core_reads_the_same_are_kept_whatever_their_spelling(lint) -> None:
    """`min_columns: "2"` is 2 and `required: "yes"` true to floe-core's lax mode; its
    validators check `test_types`, `required_tags` and a policy's `config.required_tags` as
    sets. Spelled so, every entry above is kept: no FL611."""
    run = lint(
        {
            "enterprise.yaml": SPELLED,
            "manifest.yaml": domain(
                "  custom_rules:\n"
                "    - {type: require_tests_of_type, test_types: [not_null, unique], min_columns: '2'}\n"
                "    - {type: require_meta_field, field: owner, required: 'yes'}\n"
                "    - {type: require_tags_for_prefix, prefix: gold_,"
                " required_tags: [documented, tested, tested]}\n"
                "  policies:\n"
                "    - {name: tags, type: required_tags, action: error, message: m,"
                " config: {required_tags: [b, a]}}\n"
            ),
        }
    )
    assert governance_findings(run) == []
    assert {f["rule"] for f in run.findings} == {"FL708"}  # schema-coerced names the spelling


def test_an_entry_read_to_another_value_is_still_dropped(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": SPELLED,
            "manifest.yaml": domain(
                "  custom_rules:\n"
                "    - {type: require_tests_of_type, test_types: [not_null], min_columns: '2'}\n"
                "    - {type: require_meta_field, field: owner, required: 'no'}\n"
                "    - {type: require_tags_for_prefix, prefix: gold_, required_tags: [tested]}\n"
                "  policies:\n"
                "    - {name: tags, type: required_tags, action: error, message: m,"
                " config: {required_tags: [b, a]}}\n"
            ),
        }
    )
    entries = (
        "{type: require_meta_field, field: owner, required: true}",
        "{type: require_tags_for_prefix, prefix: gold_, required_tags: ['tested', 'documented']}",
        "{type: require_tests_of_type, test_types: ['unique', 'not_null'], min_columns: 2}",
    )
    assert governance_findings(run) == [
        (
            "FL611",
            9,
            5,
            f"domain 'sales' drops governance.custom_rules entry {entry} of enterprise 'acme'; "
            f"{TAIL}",
        )
        for entry in entries
    ]


def test_a_custom_rule_kept_but_tightened_keeps_the_entry_above(lint) -> None:
    """floe-core's validator fails every model the entry above fails under more required tags,
    `required: true` for false, or a higher `min_columns`: the entry is kept. Another test type
    is not stricter (a column with any of them counts toward `min_columns`): dropped."""
    above = SPELLED.replace("field: owner, required: true", "field: owner, required: false")
    run = lint(
        {
            "enterprise.yaml": above,
            "manifest.yaml": domain(
                "  custom_rules:\n"
                "    - {type: require_tests_of_type, test_types: [unique, not_null], min_columns: 3}\n"
                "    - {type: require_meta_field, field: owner}\n"
                "    - {type: require_tags_for_prefix, prefix: gold_,"
                " required_tags: [tested, documented, owned]}\n"
                "  policies:\n"
                "    - {name: tags, type: required_tags, action: error, message: m,"
                " config: {required_tags: [a, b]}}\n"
            ),
        }
    )
    assert governance_findings(run) == []
    run = lint(
        {
            "enterprise.yaml": above,
            "manifest.yaml": domain(
                "  custom_rules:\n"
                "    - {type: require_tests_of_type, test_types: [unique, not_null, accepted_values],"
                " min_columns: 2}\n"
                "    - {type: require_meta_field, field: owner, required: false, applies_to: 'gold_*'}\n"
                "    - {type: require_tags_for_prefix, prefix: gold_, required_tags: [tested, documented]}\n"
                "  policies:\n"
                "    - {name: tags, type: required_tags, action: error, message: m,"
                " config: {required_tags: [a, b]}}\n"
            ),
        }
    )
    entries = (
        "{type: require_meta_field, field: owner, required: false}",
        "{type: require_tests_of_type, test_types: ['unique', 'not_null'], min_columns: 2}",
    )
    assert governance_findings(run) == [
        (
            "FL611",
            9,
            5,
            f"domain 'sales' drops governance.custom_rules entry {entry} of enterprise 'acme'; "
            f"{TAIL}",
        )
        for entry in entries
    ]


def test_a_policy_action_floe_core_reads_as_the_same_severity_keeps_it_warn_drops_it(
    lint,
) -> None:
    """floe-core's policy evaluator gives `error` and `block` one severity, error: either
    keeps the policy above, and so does a failing action for one that warns; `warn` for
    `error` turns its violations into warnings, so the policy above is dropped."""
    above = ENTERPRISE.replace(
        "    - {name: tags, type: required_tags, action: error, message: tag it}\n",
        "    - {name: tags, type: required_tags, action: block, message: tag it}\n"
        "    - {name: few, type: max_transforms, action: warn, message: m}\n"
        "    - {name: named, type: naming_convention, action: error, message: m}\n",
    )
    run = lint(
        {
            "enterprise.yaml": above,
            "manifest.yaml": domain(
                "  custom_rules:\n"
                "    - {type: require_meta_field, field: owner}\n"
                "    - {type: require_tests_of_type, test_types: [unique]}\n"
                "  policies:\n"
                "    - {name: tags, type: required_tags, action: error, message: tag it}\n"
                "    - {name: few, type: max_transforms, action: block, message: m}\n"
                "    - {name: named, type: naming_convention, action: warn, message: m}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL611",
            12,
            5,
            "domain 'sales' drops governance.policies entry {name: named, type: "
            "naming_convention, action: error, message: m} of enterprise 'acme'; "
            f"{TAIL}",
        )
    ]
