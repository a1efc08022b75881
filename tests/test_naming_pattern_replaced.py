"""Item C of the governance red team: floe-core compiles a domain with its own `naming` block, so
a domain that swaps the preset above it for `pattern: custom`, or adds custom patterns to the
ones above it, checks its model names against regexes of its own while naming is enforced
above. Reported at the child's pattern; the patterns above kept (in any order) or only some of
them, any preset (upstream's fixed regex), or an `enforcement: off` above pass."""

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
                "  naming: {enforcement: strict, pattern: custom, custom_patterns: ['^raw_', '^stg_']}\n"
            ),
        }
    )
    assert governance_findings(run) == [
        (
            "FL612",
            8,
            42,
            "domain 'sales' replaces governance.naming.pattern 'custom' (custom_patterns: "
            "['^raw_', '^agg_']) of enterprise 'acme' by 'custom' (custom_patterns: ['^raw_', "
            f"'^stg_']) while naming is enforced there ('strict'){TAIL}",
        )
    ]


def test_the_convention_kept_a_preset_for_a_preset_or_naming_off_above_pass(lint) -> None:
    for kept in ("['^raw_', '^agg_']", "['^agg_', '^raw_', '^agg_']", "['^raw_']"):
        governance = (
            f"  naming: {{enforcement: strict, pattern: custom, custom_patterns: {kept}}}\n"
        )
        run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(governance)})
        assert governance_findings(run) == [], kept
    preset = ENTERPRISE.replace(
        "{enforcement: strict, pattern: custom, custom_patterns: ['^raw_', '^agg_']}",
        "{enforcement: strict, pattern: medallion}",
    )
    for governance in ("  naming: {enforcement: strict, pattern: kimball}\n", "  naming: null\n"):
        run = lint({"enterprise.yaml": preset, "manifest.yaml": domain(governance)})
        assert governance_findings(run) == [], governance
    medallion = "'^(bronze|silver|gold)_[a-z][a-z0-9_]*$'"
    own_regex = (
        f"  naming: {{enforcement: strict, pattern: custom, custom_patterns: [{medallion}]}}\n"
    )
    run = lint({"enterprise.yaml": preset, "manifest.yaml": domain(own_regex)})
    assert governance_findings(run) == []
    off = ENTERPRISE.replace("enforcement: strict", "enforcement: 'off'")
    swapped = "  naming: {enforcement: 'off', pattern: custom, custom_patterns: ['.*']}\n"
    run = lint({"enterprise.yaml": off, "manifest.yaml": domain(swapped)})
    assert governance_findings(run) == []


def test_custom_patterns_above_replaced_by_a_preset_pass(lint) -> None:
    """floe-core orders `naming.enforcement` only, and a preset is upstream's fixed regex: a
    domain choosing medallion or kimball under an enterprise's custom patterns cannot widen it
    to pass every name, as it cannot under another preset (was reported, a false error)."""
    for preset in ("medallion", "kimball"):
        governance = f"  naming: {{enforcement: strict, pattern: {preset}}}\n"
        run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(governance)})
        assert governance_findings(run) == [], preset
    run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain("  naming: {}\n")})
    assert [f[0] for f in governance_findings(run)] == ["FL605"]  # enforcement: warn, not FL612


def test_floe_core_matches_a_name_against_any_custom_pattern() -> None:
    """Why some of the patterns above are no weakening: fewer alternatives pass fewer names."""
    from floe_core.enforcement.patterns import matches_custom_patterns

    assert matches_custom_patterns("agg_orders", ["^raw_", "^agg_"])
    assert not matches_custom_patterns("agg_orders", ["^raw_"])


def test_floe_core_reads_a_naming_block_without_pattern_as_medallion() -> None:
    """Why a child's block without `pattern` is the preset: floe-core's default."""
    naming = GovernanceConfig(naming={"enforcement": "strict"}).naming
    assert naming is not None and naming.pattern == "medallion"


def test_a_pattern_above_made_stricter_is_kept(lint) -> None:
    """floe-core passes a name when `re.match` of a pattern succeeds: a pattern above followed by
    more, or behind a lookahead, or spelled without its `^`, matches no name it does not (was
    reported as a replacement, a false error)."""
    for kept in (
        "['^raw_[a-z0-9_]+$', '(?!agg_tmp)^agg_']",
        "['raw_', '^(?=.*_v[0-9]+$)agg_[a-z]']",
        "['\\A^raw_orders$']",
    ):
        governance = (
            f"  naming: {{enforcement: strict, pattern: custom, custom_patterns: {kept}}}\n"
        )
        run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(governance)})
        assert governance_findings(run) == [], kept


def test_a_pattern_not_provably_within_those_above_is_a_warning_at_the_pattern(lint) -> None:
    """`^r(?=aw_)` is in fact stricter, `^r.w_` is not: floe-lint decides neither
    (it never runs a user's regex), and floe-core compares nothing, so each is FL614's warning,
    at the pattern; a surely wider pattern beside them makes it FL612's error instead.
    (`^(raw|agg)_[a-z]+$` is proven stricter: tests/test_naming_inclusion_proofs.py.)"""
    governance = (
        "  naming:\n"
        "    enforcement: strict\n"
        "    pattern: custom\n"
        "    custom_patterns:\n"
        "      - '^raw_'\n"
        "      - '^r(?=aw_)'\n"
        "      - '^r.w_'\n"
    )
    run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(governance)})
    tail = (
        "which floe-lint cannot prove matches no name the convention of enterprise 'acme' "
        "above it refuses ('custom' (custom_patterns: ['^raw_', '^agg_'])) while naming is "
        "enforced there ('strict'); floe-core does not compare the two: check it, or write a "
        "pattern above followed by more"
    )
    assert governance_findings(run) == [
        (
            "FL614",
            13,
            9,
            f"domain 'sales' writes governance.naming.custom_patterns[1] '^r(?=aw_)', {tail}",
        ),
        (
            "FL614",
            14,
            9,
            f"domain 'sales' writes governance.naming.custom_patterns[2] '^r.w_', {tail}",
        ),
    ]
    wider = governance + "      - '^stg_'\n"
    run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(wider)})
    assert [f[:3] for f in governance_findings(run)] == [("FL612", 10, 14)]
