"""floe_lint.named_tuple makes what `typing.NamedTuple` makes (the hot path does not import
typing: issue 17), and floe_lint.api still offers API 1's `Literal` types."""

from __future__ import annotations

import pickle
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.named_tuple import NamedTuple


class Place(NamedTuple):
    """A place in a file."""

    line: int
    column: int = 0
    note: str = "here"

    @property
    def shown(self) -> str:
        return f"{self.line}:{self.column}"

    def moved(self, lines: int) -> Place:
        return self._replace(line=self.line + lines)


class TypingPlace(typing.NamedTuple):
    """A place in a file."""

    line: int
    column: int = 0
    note: str = "here"

    @property
    def shown(self) -> str:
        return f"{self.line}:{self.column}"

    def moved(self, lines: int) -> TypingPlace:
        return self._replace(line=self.line + lines)


def test_the_class_is_what_typing_makes() -> None:
    assert Place.__mro__[1:] == TypingPlace.__mro__[1:] == (tuple, object)
    assert Place._fields == TypingPlace._fields == ("line", "column", "note")
    assert Place._field_defaults == TypingPlace._field_defaults
    # the annotations as written (typing wraps each string in a ForwardRef)
    assert Place.__annotations__ == {"line": "int", "column": "int", "note": "str"}
    assert list(TypingPlace.__annotations__) == list(Place.__annotations__)
    assert Place.__doc__ == TypingPlace.__doc__ == "A place in a file."
    assert (Place.__module__, Place.__qualname__) == (__name__, "Place")
    assert sorted(set(dir(Place)) ^ set(dir(TypingPlace))) == []


@given(st.integers(), st.integers(), st.text(), st.integers(-5, 5))
def test_instances_behave_as_typings_do(line: int, column: int, note: str, lines: int) -> None:
    ours, theirs = Place(line, column, note), TypingPlace(line, column, note)
    assert tuple(ours) == tuple(theirs) and ours == theirs and hash(ours) == hash(theirs)
    assert repr(ours) == repr(theirs).replace("TypingPlace", "Place")
    assert ours.shown == theirs.shown and tuple(ours.moved(lines)) == tuple(theirs.moved(lines))
    assert ours._asdict() == theirs._asdict()
    assert pickle.loads(pickle.dumps(ours)) == ours
    assert Place(line) == TypingPlace(line) == (line, 0, "here")


def test_what_typing_refuses_is_refused() -> None:
    with pytest.raises(TypeError, match="Non-default namedtuple field column cannot follow"):

        class Bad(NamedTuple):
            line: int = 0
            column: int

    with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute _replace"):

        class Worse(NamedTuple):
            line: int

            def _replace(self) -> None: ...

    with pytest.raises(TypeError, match="as a class"):
        NamedTuple("Place", [("line", int)])


def test_the_api_still_offers_its_literal_types() -> None:
    import floe_lint.api as api

    assert api.Severity == typing.Literal["error", "warning", "note"]
    assert (
        api.SchemaCategory
        == typing.Literal[
            "unknown-key", "type", "required", "enum", "empty-list", "invalid", "coerced"
        ]
    )
    assert {"Severity", "SchemaCategory"} <= set(api.__all__)
    with pytest.raises(AttributeError, match="no attribute 'Severtiy'"):
        api.Severtiy  # noqa: B018
