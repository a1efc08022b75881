"""floe_lint.load.plain_patterns: each plain test answers what its pattern's `search` answers
(as fastschema compiles it), for every string; and fastschema uses the test for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from floe_lint.load import fastschema
from floe_lint.load.ecma_blank import BLANKS, ecma_pattern
from floe_lint.load.plain_patterns import TESTS
from tests.conftest import run_cli, write_files

#: ECMA-262's `\s` (what a schema's pattern means): every WhiteSpace and LineTerminator
ECMA_BLANKS = "\t\n\x0b\x0c\r \xa0\ufeff\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)
#: blank for Python's `\s` only
PYTHON_ONLY_BLANKS = "\x1c\x1d\x1e\x1f\x85"
# what the patterns turn on: their classes' edges, blanks, controls, separators, braces
EDGES = (
    "aZz09_.-/@\x7f\x9f\u200b{}()|,'\"é\u2029\u202a\u202e\u202f\u2065\u2066\u2069\u206a"
    "\u061b\u061c\u061d\u200d\u200e\u200f\u2010" + ECMA_BLANKS + PYTHON_ONLY_BLANKS
)
pieces = st.sampled_from(
    ["{{", "}}", "env_var(", "env_var", "(", ")", "'", '"', "''", '""', ",", "|",
     "as_number", "as_numbe", "trim", "lower", "default", "default(", "as_text1", "X", "_A1",
     "1A", " ", "\t", "\u3000", "\n"]
)  # fmt: skip
near_references = st.lists(pieces | st.text(EDGES, max_size=2), max_size=14).map("".join)
texts = st.text(st.sampled_from(EDGES) | st.characters(), max_size=30) | near_references


def reference_like(blank: str, quote: str, name: str, default: bool, filters: list[str]) -> str:
    """A text the reference pattern's grammar makes (or nearly, with an odd name or filter)."""
    b = blank
    text = f"{b}{{{{{b}env_var({b}{quote}{name}{quote}{b}"
    if default:
        text += f",{b}{quote}{quote}{b}"
    text += f"){b}"
    for filter_ in filters:
        text += f"|{b}{filter_.replace(' ', b)}{b}"
    return text + "}}" + b


#: filters as a reference writes them (blanks inside stand for the blank drawn), and near ones
filters = st.sampled_from(
    ["as_number", "as_text", "trim", "lower", "capitalize", "default('')", 'default ( "" )',
     "default('x')", "default()", "default", "replace('a', 'b')", "trim()", "as_numbe", "Trim"]
)  # fmt: skip


references = st.builds(
    reference_like,
    st.sampled_from(["", " ", "  ", "\n ", *ECMA_BLANKS, *PYTHON_ONLY_BLANKS]),
    st.sampled_from(["'", '"', "`"]),
    st.text(st.sampled_from("aZ_09-é"), max_size=5),
    st.booleans(),
    st.lists(filters, max_size=3),
)


@pytest.mark.parametrize("pattern", sorted(TESTS))
@given(value=texts | references)
@example(value="")
@example(value="a")
@example(value="ab\n")
@example(value="{{ env_var('X') }}")
@example(value="orders\ufeff")
@example(value="{{ env_var('X') }}\ufeff")
@example(value="{{\x1cenv_var('X') }}")
def test_each_test_answers_what_its_pattern_answers(pattern: str, value: str) -> None:
    search = re.compile(ecma_pattern(pattern)).search
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
    search = re.compile(ecma_pattern(pattern)).search
    check = fastschema.compile_schema({"pattern": pattern})
    assert check is not None
    assert check(value) is (not isinstance(value, str) or search(value) is not None)


def test_blank_in_a_schema_pattern_is_ecma_262s() -> None:
    """JSON Schema patterns are ECMA-262's: `\\s` is its WhiteSpace and LineTerminator, U+FEFF
    included, U+001C to U+001F and U+0085 not (Python's `\\s` is the other way round), in a
    class or not, negated or not; `[\\s\\S]` is every character."""
    assert set(BLANKS) == set(ECMA_BLANKS)
    every = "".join(map(chr, range(0x110000)))
    for pattern, wanted in [
        (r"\s", set(ECMA_BLANKS)),
        (r"[\s]", set(ECMA_BLANKS)),
        (r"[^\S]", set(ECMA_BLANKS)),
        (r"\S", set(every) - set(ECMA_BLANKS)),
        (r"[\S]", set(every) - set(ECMA_BLANKS)),
        (r"[^\s]", set(every) - set(ECMA_BLANKS)),
        (r"[\s\S]", set(every)),
        (r"[a\s]", set(ECMA_BLANKS) | {"a"}),
    ]:
        assert set(re.compile(ecma_pattern(pattern)).findall(every)) == wanted, pattern


@pytest.mark.parametrize(("blank", "shown"), [("\ufeff", "\\ufeff"), ("\u205f", "\u205f")])
def test_a_path_with_an_ecma_blank_is_refused_by_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blank: str, shown: str
) -> None:
    """A transform path holding U+FEFF passed: the schema's no-blank pattern was read with
    Python's `\\s`, which misses it (and the message now shows it, escaped)."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": "name: orders\nplatform: {ref: manifest.yaml}\n"
            f"transforms:\n  - {{path: 'models/a{blank}/'}}\n",
        },
    )
    run = run_cli("check", "floe.yaml", "--format", "json")
    [found] = run.findings
    assert (found["name"], found["line"], found["column"]) == ("schema-invalid", 4, 12)
    message = (
        "'transforms[0].path' 'models/a{}/' must be a dbt path selector: one word, without "
        "spaces (dbt reads a space as a second selector) or control characters"
    )
    assert found["message"] == message.format(blank)
    text = run_cli("check", "floe.yaml").stdout
    assert f"floe.yaml:4:12: ERROR FL106 [schema-invalid] {message.format(shown)}" in text, text
