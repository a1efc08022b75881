"""Item C of the governance red team: floe-core compiles a domain with its own `naming` block, so
a domain that swaps the preset above it for `pattern: custom`, or the custom patterns above it
for others, checks its model names against regexes of its own while naming is enforced above.
Reported at the child's pattern; the convention kept exactly, a preset for a preset, or an
`enforcement: off` above pass."""

from __future__ import annotations

from floe_core.schemas.manifest import GovernanceConfig

from tests.test_governance_defaults import domain, governance_findings

ENTERPRISE = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  naming: {enforcement: strict, pattern: custom, custom_patterns: ['^raw_', '^agg_']}
"""

TAIL = "; a level may keep the naming convention above it, not substitute patterns of its own"


def test_a_preset_or_custom_patterns_replaced_by_other_patterns_is_reported(lint) -> None:
    preset = ENTERPRISE.replace(", pattern: custom, custom_patterns: ['^raw_', '^agg_']", "")
    run = lint(
        {
            "enterprise.yaml": preset,
            "manifest.yaml": domain(
                "  naming:\n    enforcement: strict\n    pattern: custom\n"
                "    custom_patterns: ['.*']\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL612",
            10,
            14,
            "domain 'sales' replaces governance.naming.pattern 'medallion' of enterprise 'acme' "
            f"by 'custom' (custom_patterns: ['.*']) while naming is enforced there ('strict'){TAIL}",
        )
    ]
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "manifest.yaml": domain(
                "  naming: {enforcement: strict, pattern: custom, custom_patterns: ['^raw_']}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL612",
            8,
            42,
            "domain 'sales' replaces governance.naming.pattern 'custom' (custom_patterns: "
            "['^raw_', '^agg_']) of enterprise 'acme' by 'custom' (custom_patterns: ['^raw_']) "
            f"while naming is enforced there ('strict'){TAIL}",
        )
    ]


def test_the_convention_kept_a_preset_for_a_preset_or_naming_off_above_pass(lint) -> None:
    kept = "  naming: {enforcement: strict, pattern: custom, custom_patterns: ['^raw_', '^agg_']}\n"
    run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(kept)})
    assert governance_findings(run) == []
    preset = ENTERPRISE.replace(
        "{enforcement: strict, pattern: custom, custom_patterns: ['^raw_', '^agg_']}",
        "{enforcement: strict, pattern: medallion}",
    )
    for governance in ("  naming: {enforcement: strict, pattern: kimball}\n", "  naming: null\n"):
        run = lint({"enterprise.yaml": preset, "manifest.yaml": domain(governance)})
        assert governance_findings(run) == [], governance
    off = ENTERPRISE.replace("enforcement: strict", "enforcement: 'off'")
    swapped = "  naming: {enforcement: 'off', pattern: custom, custom_patterns: ['.*']}\n"
    run = lint({"enterprise.yaml": off, "manifest.yaml": domain(swapped)})
    assert governance_findings(run) == []


def test_floe_core_reads_a_naming_block_without_pattern_as_medallion() -> None:
    """Why a child's block without `pattern` is the preset: floe-core's default."""
    naming = GovernanceConfig(naming={"enforcement": "strict"}).naming
    assert naming is not None and naming.pattern == "medallion"
