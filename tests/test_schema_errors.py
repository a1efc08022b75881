"""`schema_errors` yields what `jsonschema` yields, or gives up: invalid documents are explained
without `jsonschema` only because of it, so a wrong error would change a finding. Every case
compares both, error by error and problem by problem, and checks the fast path is taken."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.validators import extend

from benchmarks.corpus import generate
from floe_lint.lint.context import schema_name
from floe_lint.load import document, schema_errors, validation
from floe_lint.load.schema_errors import Unsupported
from floe_lint.load.validation import schema
from tests.test_perf_fastschema import DOCUMENTS, KEYWORD_CASES, KINDS

_Validator = extend(Draft202012Validator, {"pattern": validation._pattern})


def _shape(error: Any) -> tuple[Any, ...]:
    return (error.validator, error.validator_value, error.instance, error.schema, list(error.path))


def agrees(value: Any, root: dict[str, Any]) -> bool:
    """Assert both give the same errors and problems; False when the fast path gave up."""
    slow = list(_Validator(root).iter_errors(value))
    try:
        fast = schema_errors.errors(root, value)
    except Unsupported:
        return False
    assert [_shape(e) for e in fast] == [_shape(e) for e in slow], value
    try:
        problems = validation._collect_from(fast, root)
    except Unsupported:  # a problem that quotes jsonschema's message: not judged here
        return False
    assert problems == validation._collect_from(slow, root), value
    assert all(e.path == e.absolute_path for e in slow)  # what SchemaError assumes
    return True


@settings(max_examples=500, deadline=None)
@given(DOCUMENTS, st.sampled_from(KINDS))
def test_agrees_with_jsonschema_on_arbitrary_documents(value: Any, kind: str) -> None:
    agrees(value, schema(kind))


@pytest.mark.parametrize(("raw_schema", "values"), KEYWORD_CASES)
def test_agrees_with_jsonschema_keyword_by_keyword(
    raw_schema: dict[str, Any], values: list[Any]
) -> None:
    for value in values:
        agrees(value, raw_schema)


def _corpus_documents(tmp: Path) -> list[tuple[Any, str]]:
    corpus = generate(tmp / "repo", products=40, seed=11)
    found = []
    for path in corpus.files:
        for doc in document.load(path).documents:
            assert doc.kind is not None
            found.append((doc.data, schema_name(doc)))
    return found


CORPUS: list[tuple[Any, str]] = []


def _corpus() -> list[tuple[Any, str]]:
    if not CORPUS:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            CORPUS.extend(_corpus_documents(Path(tmp)))
    return CORPUS


def _places(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every node of `value`."""
    found = [at]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _places(child, (*at, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _places(child, (*at, index))
    return found


REPLACEMENTS = st.one_of(
    st.sampled_from(["", "duckdb", "Spark", "huge", "9", "floe.dev/v2", "Manifest", "models/x/"]),
    st.none(),
    st.booleans(),
    st.integers(-1, 3),
    st.just(2.5),
    # a new object each draw: a later mistake may add to it, and a shared one would carry
    # that into other examples (a flaky test)
    st.builds(list),
    st.builds(dict),
    st.builds(lambda: ["duckdb"]),
)
NEW_KEYS = st.sampled_from(["comptue", "nmae", "extra", "compute", "name", "scope", "tier", "ref"])


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_agrees_with_jsonschema_on_damaged_real_documents(data: st.DataObject) -> None:
    """A corpus document with one to three mistakes: a value replaced, a key added or removed."""
    value, kind = data.draw(st.sampled_from(_corpus()))
    value = copy.deepcopy(value)
    for _ in range(data.draw(st.integers(1, 3))):
        place = data.draw(st.sampled_from(_places(value)))
        if not place:
            continue
        holder = value
        for token in place[:-1]:
            holder = holder[token]
        action = data.draw(st.sampled_from(["replace", "add", "remove"]))
        if action == "replace":
            holder[place[-1]] = data.draw(REPLACEMENTS)
        elif action == "add" and isinstance(holder, dict):
            holder[data.draw(NEW_KEYS)] = data.draw(REPLACEMENTS)
        elif action == "remove":
            del holder[place[-1]]
    agrees(value, schema(kind))


@pytest.mark.parametrize(
    ("kind", "mistake"),
    [
        ("floe", lambda d: d["transforms"][0].update(comptue="spark")),
        ("floe", lambda d: d.pop("transforms")),
        ("floe", lambda d: d["transforms"][0].update(workload_size="huge")),
        ("floe", lambda d: d["metadata"].update(version=3)),
        ("manifest", lambda d: d["plugins"]["compute"].update(approved=[])),
        ("manifest", lambda d: d.update(scope="galaxy")),
        ("manifest", lambda d: d.update(extra={"a": 1})),
    ],
)
def test_common_mistakes_are_explained_without_jsonschema(kind: str, mistake: Any) -> None:
    """The fast path must be taken for the mistakes people make (else it saves nothing)."""
    needs = "transforms" if kind == "floe" else "plugins"
    value = copy.deepcopy(next(v for v, k in _corpus() if k == kind and needs in v))
    mistake(value)
    assert schema_errors.errors(schema(kind), value), "the mistake was not found"
    assert agrees(value, schema(kind)), "the fast path gave up on a common mistake"


def test_what_it_does_not_judge_goes_to_jsonschema() -> None:
    import datetime

    with pytest.raises(Unsupported):  # a date is no JSON value
        schema_errors.errors(schema("floe"), {"metadata": {"version": datetime.date(2024, 1, 1)}})
    with pytest.raises(Unsupported):  # a non-text key
        schema_errors.errors(schema("floe"), {1: "a"})
    with pytest.raises(Unsupported):  # anyOf's error holds suberrors
        schema_errors.errors({"anyOf": [{"type": "string"}, {"type": "null"}]}, 3)
    # and `validate` still finds their problems, through jsonschema
    assert validation.validate({"name": 1, 2: 3}, "floe")
