"""FL614 (naming-pattern-unproven) proves more of the ordinary ways a level makes a naming
pattern stricter, and never proves an inclusion that is false. Before, a pattern below was
kept only when it began, item for item, with a pattern above under the same flags, so
`^(raw|agg)_[a-z]+$` under ['^raw_', '^agg_'], `^raw_[a-z]+$` under `(?i)^raw_` or under
`^raw_.*?`, and `^raw_[a-c]` under `^raw_[a-z]` were FL614 warnings (false warnings), and
`(?i)^raw_.*` under `^raw_`, which passes `RAW_x`, was only a warning, not FL612's error,
while `(?=raw_)^.*` under `^raw_` was FL612's error for the name `x`, which its lookahead
refuses (a false error: the names tried were those of the pattern without its lookahead).

The verdicts are checked against `re.match` itself on every name of a small universe: a pattern
kept matches no name that every pattern above refuses, and the name a wider verdict gives is
matched below and refused above."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from floe_lint.model.naming_inclusion import KEPT, UNPROVEN, WIDER, naming_within
from tests.test_governance_defaults import domain, governance_findings
from tests.test_naming_pattern_replaced import ENTERPRISE

#: pieces people write, and pieces where case, negation, backtracking or groups change things
PIECES = [
    "raw", "agg", "r", "a", "_", "R", "(raw|agg)", "(?:r|R)", "[ra]", "[a-z]", "[a-c]", "[A-Z]",
    "\\w", "\\d", "[^a]", ".", ".*", ".*?", ".+", "[a-z]+", "\\d+", "[a-z0-9_]*", "(?!tmp)",
    "(?=r)", "(?=raw_)", "$", "x?", "(a)\\1", "(?>a|ab)", "a++", "(?-i:r)", "\\b",
]  # fmt: skip
FLAGS = ["", "", "(?i)", "(?s)", "(?x)"]
#: fragments of names; every name of up to three of them is tried
FRAGMENTS = ["raw", "agg", "RAW", "r", "a", "R", "_", "x", "0", "\n", "tmp", "ab", "K"]
UNIVERSE = ["".join(p) for n in range(4) for p in itertools.product(FRAGMENTS, repeat=n)]


def pattern(flags: str, anchor: str, pieces: list[str]) -> str:
    return flags + anchor + "".join(pieces)


patterns = st.builds(
    pattern,
    st.sampled_from(FLAGS),
    st.sampled_from(["^", ""]),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=4),
)


@st.composite
def families(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A pattern below and one or two above; below is often one above made longer or other."""
    above = draw(st.lists(patterns, min_size=1, max_size=2))
    if draw(st.booleans()):
        below = draw(patterns)
    else:
        base = draw(st.sampled_from(above))
        flags = draw(st.sampled_from(["", "(?i)", None]))
        if flags is not None:
            base = re.sub(r"^\(\?[isx]\)", "", base)
            base = flags + base
        below = base + "".join(draw(st.lists(st.sampled_from(PIECES), max_size=2)))
    return below, above


def passes(regexes: list[str], name: str) -> bool:
    """floe-core's check: `re.match` of any custom pattern (names here are short)."""
    return any(re.match(regex, name) is not None for regex in regexes)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(families())
@example(("^(raw|agg)_[a-z]+$", ["^raw_", "^agg_"]))
@example(("^raw_[^a]", ["(?i)^raw_[^a]"]))
@example(("^RAW_x", ["(?i)^raw_(?!x)"]))
@example(("^(?>ab)c", ["(?i)^(?>a|ab)c"]))
@example(("(?i)^r", ["(?i)^R"]))
@example(("^k", ["(?i)^K"]))
@example(("^raw_\\d+", ["^raw_\\w"]))
@example(("^a\n", ["^a.*?"]))
@example(("(?=raw_)^.*", ["^raw_"]))
def test_a_verdict_agrees_with_re_match_on_every_name(family: tuple[str, list[str]]) -> None:
    below, above = family
    verdict, name = naming_within(below, above, {})
    if verdict == KEPT:
        wider = [n for n in UNIVERSE if passes([below], n) and not passes(above, n)]
        assert not wider, (below, above, wider[:3])
    elif verdict == WIDER:
        assert name is not None and passes([below], name) and not passes(above, name)


@pytest.mark.parametrize(
    ("below", "above"),
    [
        ("^(raw|agg)_[a-z]+$", ["^raw_", "^agg_"]),
        ("^(?:raw|agg)_", ["^agg_", "^raw_"]),
        ("^[ra]_x", ["^r_", "^a_"]),
        ("^raw_[a-z]+$", ["(?i)^raw_"]),
        ("^raw_x", ["(?i)^RAW_.*?"]),
        ("^raw_[a-z]+$", ["^raw_.*?"]),
        ("^raw_.*?$", ["^raw_"]),
        ("^raw_[a-c][a-z0-9_]*$", ["^raw_[a-z]"]),
        ("^raw_\\d+", ["^raw_\\w"]),
    ],
)
def test_ordinary_strengthenings_are_proven(below: str, above: list[str]) -> None:
    assert naming_within(below, above, {}) == (KEPT, None)


@pytest.mark.parametrize(
    ("below", "above", "verdict"),
    [
        ("(?i)^raw_.*", ["^raw_"], (WIDER, "RAW_")),  # passes RAW_x, which ^raw_ refuses
        ("^(raw|stg)_", ["^raw_"], (UNPROVEN, None)),
        ("^raw_[^a]", ["(?i)^raw_[^a]"], (UNPROVEN, None)),  # raw_A: case refuses it above
        ("^raw_[a-z0-9]+", ["^raw_[a-z]"], (UNPROVEN, None)),  # raw_0
        # matches no name ^raw_ refuses: was WIDER ('x'), read without its lookahead
        ("(?=raw_)^.*", ["^raw_"], (KEPT, None)),
        ("(?=r)^.*", ["^raw_"], (UNPROVEN, None)),
    ],
)
def test_what_is_not_stricter_is_not_proven(
    below: str, above: list[str], verdict: tuple[str, Any]
) -> None:
    assert naming_within(below, above, {}) == verdict


def test_alternations_and_case_below_custom_patterns_are_no_finding_in_a_manifest(lint) -> None:
    """The rule's own pre-fix example, and the other forms, in a manifest: no FL614."""
    governance = (
        "  naming:\n    enforcement: strict\n    pattern: custom\n    custom_patterns:\n"
        "      - '^(raw|agg)_[a-z]+$'\n"
        "      - '^raw_[a-z0-9_]*?$'\n"
        "      - '^(agg|raw)_x'\n"
    )
    enterprise = ENTERPRISE.replace("['^raw_', '^agg_']", "['^raw_', '(?i)^agg_.*?']")
    run = lint({"enterprise.yaml": enterprise, "manifest.yaml": domain(governance)})
    assert governance_findings(run) == []


def test_a_case_insensitive_pattern_below_a_case_sensitive_one_is_wider(lint) -> None:
    governance = (
        "  naming: {enforcement: strict, pattern: custom, custom_patterns: ['(?i)^raw_.*']}\n"
    )
    run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(governance)})
    assert governance_findings(run) == [
        (
            "FL612",
            8,
            42,
            "domain 'sales' replaces governance.naming.pattern 'custom' (custom_patterns: "
            "['^raw_', '^agg_']) of enterprise 'acme' by 'custom' (custom_patterns: "
            "['(?i)^raw_.*']) while naming is enforced there ('strict'); a level may keep the "
            "naming convention above it, not substitute patterns of its own",
        )
    ]
