"""The quick check written as code (`schemacode`) answers exactly as the closures of
`fastschema` do (which tests/test_perf_fastschema.py compares with jsonschema): the same
True, False or Undecided on every document, so switching to it changes no finding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from floe_lint.lint.context import schema_name
from floe_lint.load import document, schemacode, validation
from floe_lint.load.fastschema import Undecided, compile_schema
from floe_lint.load.validation import _optional, schema
from tests.test_perf_fastschema import DOCUMENTS, KEYWORD_CASES, KINDS


def _answer(check: Any, value: Any) -> Any:
    try:
        return bool(check(value))
    except Undecided:
        return "undecided"


def both(raw_schema: dict[str, Any]) -> tuple[Any, Any]:
    closures, written = compile_schema(raw_schema), schemacode.write(raw_schema)
    assert closures is not None and written is not None
    return closures, written


VARIANTS = [(kind, overlay) for kind in KINDS for overlay in (False, True)]


def _schema(kind: str, overlay: bool) -> dict[str, Any]:
    return _optional(schema(kind)) if overlay else schema(kind)


@pytest.mark.parametrize(("kind", "overlay"), VARIANTS)
def test_every_bundled_schema_is_written(kind: str, overlay: bool) -> None:
    assert schemacode.write(_schema(kind, overlay)) is not None


@settings(max_examples=500, deadline=None)
@given(DOCUMENTS, st.sampled_from(VARIANTS))
def test_the_written_check_answers_as_the_closures(value: Any, variant: tuple[str, bool]) -> None:
    closures, written = both(_schema(*variant))
    assert _answer(written, value) == _answer(closures, value), value


EXTRA_CASES: list[tuple[dict[str, Any], list[Any]]] = [
    ({"enum": ["a", "b"]}, [None, "a", "c", 1]),
    ({"enum": ["a", None]}, [None, "a", "c"]),
    ({"const": None}, [None, "a"]),
    ({"minProperties": 1, "maxProperties": 2}, [{}, {"a": 1}, {"a": 1, "b": 2, "c": 3}, []]),
    ({"minimum": 1, "maximum": 2}, [0, 1, 2, 2.5, float("nan"), True, "3"]),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, [1, 1.5, "a"]),
    ({"anyOf": []}, [1]),
    ({"allOf": []}, [1]),
    ({"if": {"type": "string"}, "else": {"minimum": 3}}, ["a", 1, 4]),
    ({"required": ["a", "b"]}, [{"a": 1}, {"a": 1, "b": 2}, 3]),
    ({"additionalProperties": False, "properties": {"a": True}}, [{"a": 1}, {"b": 1}, []]),
    ({"items": False}, [[], [1], "x"]),
    ({"type": []}, [1, None]),
]


@pytest.mark.parametrize(("raw_schema", "values"), KEYWORD_CASES + EXTRA_CASES)
def test_keyword_by_keyword(raw_schema: dict[str, Any], values: list[Any]) -> None:
    closures, written = both(raw_schema)
    answers = [_answer(written, value) for value in values]
    assert answers == [_answer(closures, value) for value in values]


def test_every_document_of_a_corpus(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "repo", products=200, seed=9)
    answers = []
    for path in corpus.files:
        for doc in document.load(path).documents:
            closures, written = both(schema(schema_name(doc)))
            answers.append(_answer(written, doc.data))
            assert answers[-1] == _answer(closures, doc.data)
    assert True in answers and False in answers


def test_a_deep_schema_is_split_into_functions() -> None:
    """Python nests at most 20 blocks in a function: deep schemas call functions instead."""
    deep: dict[str, Any] = {"type": "string", "minLength": 2}
    for _ in range(30):
        deep = {"type": "object", "properties": {"a": deep}, "additionalProperties": False}
    closures, written = both(deep)
    answers = []
    for depth in range(32):
        for leaf in ("ab", "a", 3):
            probe: Any = leaf
            for _ in range(depth):
                probe = {"a": probe}
            answers.append(_answer(written, probe))
            assert answers[-1] == _answer(closures, probe)
    assert answers.count(True) == 1  # "ab" 30 levels deep


def test_beyond_the_writer_the_closures_stay() -> None:
    assert (
        schemacode.write({"patternProperties": {"^x": {}}, "additionalProperties": False}) is None
    )
    assert schemacode.write({"type": "decimal"}) is None


def test_validate_switches_to_the_written_check_with_the_same_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    documents = [
        {"name": "orders", "transforms": [{"path": "m/", "comptue": "x"}]},
        {"name": "orders", "platform": {"ref": "m.yaml"}, "transforms": [{"path": "m/"}]},
    ]
    monkeypatch.setitem(validation._judged, ("floe", False), 0)
    before = [validation.validate(data, "floe") for data in documents]
    assert validation._quick("floe", False) is not validation._written("floe", False)
    monkeypatch.setitem(validation._judged, ("floe", False), validation._WRITE_AFTER)
    assert validation._quick("floe", False) is validation._written("floe", False)
    assert [validation.validate(data, "floe") for data in documents] == before
    assert before[0] and not before[1]
