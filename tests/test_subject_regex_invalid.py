"""FL615: a trusted issuer's `subject_regex` that floe-core's `TrustedIssuer` refuses (its ReDoS
heuristics, or `re` cannot compile it) passed floe-lint and failed at `floe platform compile`.
Judged against the installed floe-core's own model on the same patterns."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ISSUER = "https://token.actions.githubusercontent.com"


def _floe_core_refuses(pattern: str) -> bool:
    from floe_core.schemas.signing import TrustedIssuer
    from pydantic import ValidationError

    try:
        TrustedIssuer(issuer=ISSUER, subject_regex=pattern)
    except ValidationError:
        return True
    return False


def _refused_here(pattern: str) -> bool:
    from floe_lint.rules import subject_regex_invalid as rule

    return rule._problem(pattern, rule._BUDGET)[0] is not None


def test_the_heuristics_are_floe_cores() -> None:
    """The expressions searched are those of the installed floe-core, in its order."""
    import inspect

    from floe_core.enforcement import patterns
    from floe_lint.rules import subject_regex_invalid as rule

    nested = re.search(r're\.findall\(r"([^"]+)"', inspect.getsource(patterns._check_redos_safety))
    assert nested is not None
    assert list(rule._UNSAFE) == [*patterns._REDOS_PATTERNS, nested.group(1)]


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("^repo:acme/.*$", None),
        ("^repo:(acme|beta)/", None),
        ("^(a+)+$", "unsafe"),
        ("^(a|b)+$", "unsafe"),
        ("(ab){2,}", "unsafe"),
        ("^repo:(acme", "missing ), unterminated subpattern at position 6"),
        ("[z-a]", "bad character range z-a at position 1"),
        ("^repo:acme/a++", "a possessive quantifier"),
    ],
)
def test_a_pattern_is_refused_as_floe_core_refuses_it(pattern: str, why: str | None) -> None:
    from floe_lint.rules import subject_regex_invalid as rule

    problem = rule._problem(pattern, rule._BUDGET)[0]
    if why is None:
        assert problem is None
        assert not _floe_core_refuses(pattern)
        return
    assert problem is not None and why in problem, problem
    if why != "a possessive quantifier":  # floe-core refuses it on Python 3.10 only
        assert _floe_core_refuses(pattern)


@given(st.text("ab()|+*?{}[]2,^$.\\", min_size=1, max_size=12))  # "": the schema's
@settings(max_examples=500, deadline=None)
def test_refused_here_exactly_when_floe_core_refuses(pattern: str) -> None:
    """Differential: on short patterns of regex syntax, floe-lint refuses what floe-core's
    model refuses and nothing else (but what Python 3.10's `re` would refuse)."""
    from floe_lint.rules import naming_pattern_invalid as compiling

    parser, constants = compiling._sre()
    try:
        newer = compiling._newer_than_310(parser.parse(pattern), parser, constants)
    except re.error:
        newer = None
    if newer is None:
        assert _refused_here(pattern) is _floe_core_refuses(pattern), pattern


def test_the_finding_is_at_the_pattern(lint) -> None:
    run = lint(
        {
            "manifest.yaml": (
                "metadata: {name: acme}\n"
                "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
                "artifacts:\n"
                "  registry:\n"
                "    uri: oci://registry.acme.example/floe\n"
                "    verification:\n"
                "      trusted_issuers:\n"
                f"        - {{issuer: '{ISSUER}', subject_regex: '^repo:acme/'}}\n"
                f"        - issuer: '{ISSUER}'\n"
                "          subject_regex: '^repo:(acme'\n"
            )
        },
        "--select",
        "FL615",
    )
    assert [(f["line"], f["column"], f["message"]) for f in run.findings] == [
        (
            10,
            26,
            "artifacts.registry.verification.trusted_issuers[1].subject_regex '^repo:(acme' is "
            "not a regular expression floe-core can compile (missing ), unterminated subpattern "
            "at position 6): its TrustedIssuer refuses the manifest when it loads it",
        )
    ]


def _searched(pattern: str) -> bool:
    from floe_lint.rules import subject_regex_invalid as rule

    return any(re.search(unsafe, pattern) for unsafe in rule._UNSAFE)


@given(st.text("ab()|+*{},09\n", max_size=40))
@settings(max_examples=2000, deadline=None)
def test_one_pass_finds_what_searching_floe_cores_expressions_finds(pattern: str) -> None:
    """The heuristics are decided without running them (they backtrack on hostile text): the
    one pass agrees with searching each of floe-core's expressions, on any text of their
    alphabet."""
    from floe_lint.rules import subject_regex_invalid as rule

    assert rule._unsafe(pattern) is _searched(pattern), pattern


@pytest.mark.parametrize(
    "pattern",
    [
        "(" * 500 + "|" * 500,  # searching the third expression took 0.22 s
        "(|" * 500,
        "(" + "|" * 998 + ")",
        "(a|b){12,}x",
        "(a|b)+",
        "(a){3,",
        "x(a)",
    ],
)
def test_hostile_patterns_are_judged_as_searching_judges_them(pattern: str) -> None:
    from floe_lint.rules import subject_regex_invalid as rule

    assert rule._unsafe(pattern) is _searched(pattern)
