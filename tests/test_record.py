"""floe_lint.record's value classes behave as the dataclasses they replaced: equality, hash,
order, repr, replace, immutability and pickling, compared with real dataclasses."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.record import Frozen, Ordered, Record, Value, set_field
from tests.conftest import REPO


@dataclasses.dataclass(frozen=True, order=True)
class PairD:
    a: int
    b: float


class Pair(Ordered):
    __slots__ = ("a", "b")
    a: int
    b: float

    def __init__(self, a: int, b: float) -> None:
        set_field(self, "a", a)
        set_field(self, "b", b)


@dataclasses.dataclass(frozen=True)
class NotedD:
    name: str
    note: str = dataclasses.field(default="", compare=False, repr=False)


class Noted(Frozen, compare=("name",), show=("name",)):
    __slots__ = ("name", "note")
    name: str
    note: str

    def __init__(self, name: str, note: str = "") -> None:
        set_field(self, "name", name)
        set_field(self, "note", note)


@dataclasses.dataclass
class BoxD:
    items: list[int] = dataclasses.field(default_factory=list)


class Box(Value):
    __slots__ = ("items",)

    def __init__(self, items: list[int] | None = None) -> None:
        self.items = [] if items is None else items


class Plain(Record):
    __slots__ = ("x",)

    def __init__(self, x: int) -> None:
        self.x = x


NUMBERS = st.floats(allow_nan=True) | st.integers(-3, 3).map(float)


@given(st.integers(-3, 3), NUMBERS, st.integers(-3, 3), NUMBERS)
def test_a_frozen_ordered_value_compares_as_the_dataclass(
    a: int, b: float, c: int, d: float
) -> None:
    ours, theirs = (Pair(a, b), Pair(c, d)), (PairD(a, b), PairD(c, d))
    assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
    assert (ours[0] == ours[0]) == (theirs[0] == theirs[0])  # a NaN field: a tuple holds it
    for compare in ("__lt__", "__le__", "__gt__", "__ge__"):
        assert getattr(ours[0], compare)(ours[1]) == getattr(theirs[0], compare)(theirs[1])
    if ours[0] == ours[1]:
        assert hash(ours[0]) == hash(ours[1])
    assert repr(ours[0]) == repr(theirs[0]).replace("PairD(", "Pair(")
    assert ours[0].replace(b=1.0) == Pair(a, 1.0)
    assert pickle.loads(pickle.dumps(ours[0])).a == a
    assert copy.deepcopy(ours[0]).a == a


@given(st.text(max_size=3), st.text(max_size=3), st.text(max_size=3))
def test_fields_left_out_of_comparison_and_repr_are_left_out_alike(
    name: str, note: str, other: str
) -> None:
    assert (Noted(name, note) == Noted(name, other)) == (NotedD(name, note) == NotedD(name, other))
    assert hash(Noted(name, note)) == hash(Noted(name, other))
    assert repr(Noted(name, note)) == repr(NotedD(name, note)).replace("NotedD(", "Noted(")
    assert Noted.FIELDS == ("name", "note")


def test_frozen_values_refuse_assignment_mutable_ones_are_unhashable() -> None:
    with pytest.raises(AttributeError):
        Pair(1, 2.0).a = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del Noted("x").name
    assert Box() == Box([]) and Box() is not Box()
    assert Box().items is not Box().items  # a fresh default, as default_factory gives
    with pytest.raises(TypeError):
        hash(Box())
    assert BoxD.__hash__ is None and Box.__hash__ is None
    assert Plain(1) != Plain(1)  # a record without Value compares by identity
    one = Plain(1)
    assert one == one and {one: 1}[one] == 1
    assert repr(one) == "Plain(x=1)"


def test_values_of_another_class_are_never_equal() -> None:
    assert Pair(1, 2.0) != PairD(1, 2.0)
    with pytest.raises(TypeError):
        _ = Pair(1, 2.0) < PairD(1, 2.0)  # type: ignore[operator]


def test_a_record_that_holds_itself_shows_dots_there_as_the_dataclass_does() -> None:
    """A level's computes name their level: the repr must end, as a dataclass's does."""
    ours, theirs = Box(), BoxD()
    ours.items.append(ours)  # type: ignore[arg-type]
    theirs.items.append(theirs)  # type: ignore[arg-type]
    assert repr(ours) == repr(theirs).replace("BoxD(", "Box(") == "Box(items=[...])"
    assert repr(Box([1, 2])) == "Box(items=[1, 2])"  # nothing left marked after a repr


def test_the_repr_of_a_whole_run_ends(tmp_path: Path) -> None:
    from floe_lint.config import Config
    from floe_lint.lint import engine

    result = engine.run([REPO / "examples" / "mesh"], Config())
    assert repr(result).startswith("Result(findings=[")
