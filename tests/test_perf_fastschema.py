"""The compiled quick check decides validity exactly as `jsonschema` does, or not at all.

Valid documents skip `jsonschema` only because of this check, so a wrong `True` would hide
findings: every case compares the quick answer with `jsonschema`'s own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from benchmarks.corpus import generate
from floe_lint.load import document
from floe_lint.load.fastschema import Undecided, compile_schema, proves_valid
from floe_lint.load.validation import schema

KINDS = ("floe", "manifest", "floe-floe", "manifest-floe")  # both dialects


def quick(value: Any, compiled: Any) -> bool | None:
    try:
        return bool(compiled(value))
    except Undecided:
        return None


def assert_agrees(value: Any, raw_schema: dict[str, Any]) -> bool | None:
    compiled = compile_schema(raw_schema)
    assert compiled is not None
    answer = quick(value, compiled)
    if answer is not None:
        assert answer == Draft202012Validator(raw_schema).is_valid(value), value
    return answer


@pytest.mark.parametrize("kind", KINDS)
def test_bundled_schemas_compile(kind: str) -> None:
    assert compile_schema(schema(kind)) is not None, (
        f"schemas/{kind}.json uses a keyword the quick check does not decide: every "
        "document would go through jsonschema (slow); extend floe_lint/load/fastschema.py"
    )


def test_agrees_with_jsonschema_on_every_document_of_a_corpus(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "repo", products=300, seed=5)
    decided = invalid = 0
    for path in corpus.files:
        for doc in document.load(path).documents:
            assert doc.kind is not None
            answer = assert_agrees(doc.data, schema(doc.kind))
            decided += answer is not None
            invalid += answer is False
    assert decided == len(corpus.files)
    assert invalid > 0  # the corpus's schema violations are found


def _scalars() -> st.SearchStrategy[Any]:
    words = ["", "duckdb", "spark", "9x", "floe.dev/v1", "Manifest", "FloeSpec", "domain"]
    words += ["enterprise", "small", "huge", "models/x/", "1", "true"]
    return st.one_of(
        st.sampled_from(words),
        st.none(),
        st.booleans(),
        st.integers(-2, 3),
        st.sampled_from([1.0, 2.5, float("inf")]),
    )


KEYS = sorted(
    {k for kind in KINDS for k in schema(kind)["properties"]}
    | {"compute", "approved", "default", "name", "path", "ref", "config", "type", "tags"}
    | {"workload_size", "transforms", "platform", "metadata", "comptue", "connection_secret_ref"}
    | {"manifest", "dependsOn", "tier", "orchestrator", "requests", "cpu_request", "defaults"}
)
DOCUMENTS = st.recursive(
    _scalars(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(DOCUMENTS, st.sampled_from(KINDS))
def test_agrees_with_jsonschema_on_arbitrary_documents(value: Any, kind: str) -> None:
    assert_agrees(value, schema(kind))


KEYWORD_CASES: list[tuple[dict[str, Any], list[Any]]] = [
    ({"type": "integer"}, [1, 1.0, 1.5, True, "1", None]),
    ({"type": "number"}, [1, 2.5, False, "2"]),
    ({"type": ["string", "null"]}, ["a", None, 0]),
    ({"const": "a"}, ["a", "b"]),
    ({"enum": ["a", 1]}, ["a", "1", "b"]),
    ({"not": {"type": "string"}}, ["a", 1]),
    ({"anyOf": [{"type": "string"}, {"minItems": 2}]}, ["a", [1], [1, 2], 3]),
    ({"oneOf": [{"type": "string"}, {"minLength": 2}]}, ["a", "ab", 1]),
    ({"allOf": [{"minLength": 1}, {"maxLength": 2}]}, ["", "a", "abc"]),
    ({"items": {"type": "integer"}, "maxItems": 2}, [[1, 2], [1, "a"], [1, 2, 3], "x"]),
    (
        {"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
        [{"a": "s", "b": 1}, {"a": 1}, {"b": "s"}, {1: 2}],
    ),
    (
        {"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}},
        [{"a": 1}, {"a": 1, "b": 2}, {"c": 1}, {}, "x"],
    ),
    (
        {
            "$ref": "#/$defs/node",
            "$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}},
        },
        [{"next": {"next": {}}}, {"next": {"next": 3}}, []],
    ),
    ({"pattern": "^[a-z]+$"}, ["abc", "Abc", 5]),
    ({"required": ["x"], "properties": {"x": False}}, [{"x": 1}, {}, {"y": 1}]),
]


@pytest.mark.parametrize(("raw_schema", "values"), KEYWORD_CASES)
def test_agrees_with_jsonschema_keyword_by_keyword(
    raw_schema: dict[str, Any], values: list[Any]
) -> None:
    answers = [assert_agrees(value, raw_schema) for value in values]
    # A quick check that always answers "undecided" would agree trivially: it must decide some.
    assert any(answer is not None for answer in answers), "the quick check decided no case"


@pytest.mark.parametrize(
    "raw_schema",
    [
        {"patternProperties": {"^x": {}}, "additionalProperties": False},
        {"unevaluatedProperties": False},
        {"$ref": "https://example.com/other.json"},
        {"properties": {"a": {"$id": "nested", "type": "string"}}},
        {"prefixItems": [{"type": "string"}]},
        {"type": "decimal"},
    ],
)
def test_schemas_beyond_the_quick_check_do_not_compile(raw_schema: dict[str, Any]) -> None:
    assert compile_schema(raw_schema) is None
    assert proves_valid(compile_schema(raw_schema), {"a": "b"}) is False


def test_an_undecided_instance_is_never_proven_valid() -> None:
    compiled = compile_schema({"enum": [1, 2]})
    assert compiled is not None
    with pytest.raises(Undecided):
        compiled(1)
    assert proves_valid(compiled, 1) is False
