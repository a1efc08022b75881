"""FL613: floe-core's `NamingConfig` compiles each custom naming pattern when it loads a manifest
and refuses the file on one `re` cannot compile; floe-lint reports that pattern at its place,
compiling it only (never matching it against anything) and only up to floe-core's bound."""

from __future__ import annotations

from typing import Any

from floe_core.enforcement.patterns import MAX_PATTERN_LENGTH
from floe_core.schemas.governance import NamingConfig
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.test_governance_defaults import domain, governance_findings
from tests.test_governance_lists_oracle import PROPERTY, findings

ENTERPRISE = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  naming: {enforcement: strict, pattern: custom, custom_patterns: ['^raw_', '^agg_']}
"""
TAIL = "its NamingConfig refuses the manifest when it loads it"


def test_an_invalid_custom_pattern_is_reported_at_its_item_with_re_s_reason(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "manifest.yaml": domain(
                "  naming:\n"
                "    enforcement: strict\n"
                "    pattern: custom\n"
                "    custom_patterns:\n"
                "      - '^raw_'\n"
                "      - '^(agg|sum_'\n"
                "      - '[z-a]x'\n"
            ),
        }
    )
    assert [f for f in governance_findings(run) if f[0] == "FL613"] == [
        (
            "FL613",
            13,
            9,
            "governance.naming.custom_patterns[1] '^(agg|sum_' is not a regular expression "
            f"floe-core can compile (missing ), unterminated subpattern at position 1): {TAIL}",
        ),
        (
            "FL613",
            14,
            9,
            "governance.naming.custom_patterns[2] '[z-a]x' is not a regular expression "
            f"floe-core can compile (bad character range z-a at position 1): {TAIL}",
        ),
    ]


def test_patterns_floe_core_does_not_compile_are_not_reported(lint) -> None:
    """floe-core compiles custom patterns only under `pattern: custom`."""
    for naming in (
        "  naming: {pattern: medallion, custom_patterns: ['(']}\n",
        "  naming: {custom_patterns: ['(']}\n",
        "  naming: {pattern: custom, custom_patterns: ['^ok_', '(?i)^Raw_']}\n",
    ):
        run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(naming)})
        assert [f for f in governance_findings(run) if f[0] == "FL613"] == [], naming


def test_a_pattern_over_the_bound_is_not_compiled_nor_reported(lint) -> None:
    """floe-core's NamingConfig compiles a custom pattern of any length: a valid 501-character
    one loads (below), so reporting it as an error was false; an invalid one goes unreported,
    as compiling an unbounded pattern is not a cost floe-lint takes."""
    long = "a" * (MAX_PATTERN_LENGTH + 1)
    NamingConfig.model_validate({"pattern": "custom", "custom_patterns": [long]})
    for pattern in (long, "(" + long):
        naming = f"  naming: {{pattern: custom, custom_patterns: ['{pattern}']}}\n"
        run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(naming)})
        assert [f for f in governance_findings(run) if f[0] == "FL613"] == [], pattern


#: pieces of regexes, valid and not, that floe-core's model is asked about
PIECES = [
    "^",
    "$",
    "a",
    "_",
    "(",
    ")",
    "[",
    "]",
    "z-a",
    "a-z",
    "*",
    "+",
    "?",
    "{2}",
    "{",
    "\\",
    "|",
    "(?P<x>",
    "(?<=a*)",
]


@PROPERTY
@given(
    patterns=st.lists(
        st.lists(st.sampled_from(PIECES), max_size=5).map("".join), min_size=1, max_size=3
    )
)
def test_fl613_reports_exactly_the_patterns_floe_core_s_naming_config_refuses(
    patterns: list[str],
) -> None:
    naming: dict[str, Any] = {
        "enforcement": "strict",
        "pattern": "custom",
        "custom_patterns": patterns,
    }
    refused = []
    for pattern in patterns:
        try:
            NamingConfig.model_validate({**naming, "custom_patterns": [pattern]})
        except (ValidationError, OverflowError):
            refused.append(pattern)
    reported = findings({}, {"naming": naming}, "FL613")
    assert [f["message"].split("] ", 1)[1].split(" is ")[0] for f in reported] == [
        repr(p) for p in refused
    ], (patterns, reported)


def test_a_pattern_re_warns_about_compiles_silently_even_when_warnings_are_errors(lint) -> None:
    """`[[a]` compiles with a FutureWarning ("Possible nested set"): floe-core accepts it, so no
    finding, and nothing on stderr; under `-W error` (PYTHONWARNINGS) the warning would have
    been raised out of the rule."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = lint(
            {
                "enterprise.yaml": ENTERPRISE,
                "manifest.yaml": domain(
                    "  naming:\n"
                    "    enforcement: strict\n"
                    "    pattern: custom\n"
                    "    custom_patterns: ['^raw_', '[[a]_fl613_warns']\n"
                ),
            }
        )
    assert [f for f in governance_findings(run) if f[0] in {"FL613", "FL000"}] == []
