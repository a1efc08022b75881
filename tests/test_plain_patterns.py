"""floe_lint.load.plain_patterns: each plain test answers what its pattern's `search` answers
(as fastschema compiles it), for every string; and fastschema uses the test for it."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from floe_lint.load import fastschema
from floe_lint.load.plain_patterns import TESTS

# what the patterns turn on: their classes' edges, blanks, controls, separators, braces
EDGES = "aZz09_.-/@ \t\n\r\x0b\x0c\x1c\x1f\x7f\x85\x9f\xa0\u2028\u2029\u3000{}()|,'\"é"
pieces = st.sampled_from(
    ["{{", "}}", "env_var(", "env_var", "(", ")", "'", '"', "''", '""', ",", "|",
     "as_number", "as_numbe", "X", "_A1", "1A", " ", "\t", "\u3000", "\n"]
)  # fmt: skip
near_references = st.lists(pieces | st.text(EDGES, max_size=2), max_size=14).map("".join)
texts = st.text(st.sampled_from(EDGES) | st.characters(), max_size=30) | near_references


def reference_like(blank: str, quote: str, name: str, default: bool, number: bool) -> str:
    """A text the reference pattern's grammar makes (or nearly, with an odd name)."""
    b = blank
    text = f"{b}{{{{{b}env_var({b}{quote}{name}{quote}{b}"
    if default:
        text += f",{b}{quote}{quote}{b}"
    text += f"){b}"
    if number:
        text += f"|{b}as_number{b}"
    return text + "}}" + b


references = st.builds(
    reference_like,
    st.sampled_from(["", " ", "  ", "\t", "\u3000", "\x1c", "\n "]),
    st.sampled_from(["'", '"', "`"]),
    st.text(st.sampled_from("aZ_09-é"), max_size=5),
    st.booleans(),
    st.booleans(),
)


@pytest.mark.parametrize("pattern", sorted(TESTS))
@given(value=texts | references)
@example(value="")
@example(value="a")
@example(value="ab\n")
@example(value="{{ env_var('X') }}")
def test_each_test_answers_what_its_pattern_answers(pattern: str, value: str) -> None:
    search = re.compile(fastschema.ecma_pattern(pattern)).search
    assert TESTS[pattern](value) is (search(value) is not None), (pattern, value)


def patterns_in(schema: object) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["pattern"]} if isinstance(schema.get("pattern"), str) else set()
        return found.union(*(patterns_in(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(patterns_in(v) for v in schema))
    return set()


def test_the_listed_patterns_are_those_of_the_schemas_and_the_plugins() -> None:
    """Each entry is a pattern a check really meets (else it would be dead code)."""
    from floe_lint.compute.plugin import ENV_VAR_PATTERN
    from floe_lint.load.validation import schema

    written = patterns_in([schema("floe"), schema("manifest")]) | {ENV_VAR_PATTERN}
    assert set(TESTS) <= written, set(TESTS) - written


@pytest.mark.parametrize("pattern", sorted(TESTS))
@given(value=texts | st.integers() | st.none())
def test_fastschema_decides_a_listed_pattern_as_the_regex_does(pattern: str, value: object) -> None:
    search = re.compile(fastschema.ecma_pattern(pattern)).search
    check = fastschema.compile_schema({"pattern": pattern})
    assert check is not None
    assert check(value) is (not isinstance(value, str) or search(value) is not None)
