"""The lazy quick check (`fastschema.compile_schema(..., lazy=True)`, which validation and the
compute config check use) answers as the eager one: the same True, False or Undecided on every
document of every bundled schema, and where a part of a schema is beyond the compiler, an
Undecided (so the value is validated in full) exactly when a value reaches that part."""

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
from floe_lint.load.validation import _optional, schema
from tests.test_perf_fastschema import DOCUMENTS, KEYWORD_CASES, KINDS

VARIANTS = [(kind, overlay) for kind in KINDS for overlay in (False, True)]


def _answer(check: Any, value: Any) -> Any:
    try:
        return bool(check(value))
    except Undecided:
        return "undecided"


def _schema(kind: str, overlay: bool) -> dict[str, Any]:
    return _optional(schema(kind)) if overlay else schema(kind)


@settings(max_examples=300, deadline=None)
@given(st.lists(DOCUMENTS, min_size=1, max_size=4), st.sampled_from(VARIANTS))
def test_lazy_answers_as_eager(values: list[Any], variant: tuple[str, bool]) -> None:
    """The same answers, value after value on one lazy check (each compiling more of it)."""
    raw = _schema(*variant)
    eager, lazy = compile_schema(raw), compile_schema(raw, lazy=True)
    assert eager is not None and lazy is not None
    for value in values:
        assert _answer(lazy, value) == _answer(eager, value), value


@pytest.mark.parametrize(("raw_schema", "values"), KEYWORD_CASES)
def test_keyword_by_keyword(raw_schema: dict[str, Any], values: list[Any]) -> None:
    eager, lazy = compile_schema(raw_schema), compile_schema(raw_schema, lazy=True)
    assert eager is not None and lazy is not None
    for value in values:
        assert _answer(lazy, value) == _answer(eager, value), (raw_schema, value)


def test_every_document_of_a_corpus(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "repo", products=60, seed=7)
    checks: dict[str, Any] = {}
    for path in corpus.files:
        for doc in document.load(path).documents:
            assert doc.kind is not None
            raw = schema(doc.kind)
            lazy = checks.setdefault(doc.kind, compile_schema(raw, lazy=True))
            assert _answer(lazy, doc.data) == _answer(compile_schema(raw), doc.data), path


BEYOND = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z]+$"},
        "odd": {"prefixItems": [{"type": "string"}]},  # beyond the compiler
    },
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    ("value", "answer"),
    [
        ({"name": "orders"}, True),
        ({"name": "Orders"}, False),
        ({"name": "orders", "other": 1}, False),
        ({"name": "orders", "odd": ["x"]}, "undecided"),
        ([], False),
    ],
)
def test_a_part_beyond_the_compiler_is_undecided_where_a_value_reaches_it(
    value: Any, answer: Any
) -> None:
    """Eager: no check at all (every value validated in full). Lazy: a value that does not
    reach the part is decided as jsonschema decides it; one that does is Undecided, again and
    again (never proved valid)."""
    assert compile_schema(BEYOND) is None
    lazy = compile_schema(BEYOND, lazy=True)
    assert lazy is not None
    for _ in range(2):
        assert _answer(lazy, value) == answer
    if answer != "undecided":
        assert answer == Draft202012Validator(BEYOND).is_valid(value)
    assert proves_valid(lazy, value) is (answer is True)
