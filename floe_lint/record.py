"""Plain value classes for the modules every run imports, instead of `dataclasses`.

Defining a dataclass costs about half a millisecond (it generates and compiles its methods,
and `slots=True` builds the class twice), and importing `dataclasses` imports `inspect`: the
forty of a `check` were a quarter of the pre-commit hook's CPU time (issue 17). A subclass
here lists its fields in `__slots__` and writes its own `__init__` (frozen ones assign with
`object.__setattr__`, as dataclasses do); the bases add what the decorator generated:

- `Record`: a repr of the fields, `replace(**changes)`;
- `Value`: also equality over the compared fields, only with an instance of the same class
  (unhashable, as a mutable dataclass);
- `Frozen`: also a hash of the compared fields, no assignment after `__init__`, pickling;
- `Ordered`: a `Frozen` value also ordered by its compared fields (`order=True`);

and `NamedTuple`, `typing.NamedTuple`'s class syntax without importing `typing`.

The fields are the parameters of the class's `__init__`, in order (a subclass of a record
keeps its parent's: its own slots are private); each is a slot of the same name.
`__init_subclass__(compare=..., show=...)` narrows what equality and repr use.
"""

from __future__ import annotations

from _thread import get_ident
from operator import attrgetter

#: `typing` is imported for the type checker only: it costs 3 ms of every start-up (issue
#: 17), and `NamedTuple` below stands in for the one thing of it the hot path ran
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar, Self
    from typing import NamedTuple as NamedTuple
else:
    from floe_lint.named_tuple import NamedTuple as NamedTuple

#: what a frozen record's `__init__` assigns its fields with
set_field = object.__setattr__


class FrozenError(AttributeError):
    """A field of a frozen value was assigned or deleted (dataclasses' FrozenInstanceError)."""


def _no_key(value: object) -> tuple[()]:
    return ()


def _key_of(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of the fields `names` of a record (a tuple even of one, as dataclasses compare:
    a tuple holding one NaN equals itself)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        (name,) = names
        return lambda record: (getattr(record, name),)
    return _no_key


#: the records whose repr is being written, per thread (see `Record.__repr__`)
_IN_REPR: set[tuple[int, int]] = set()


class Record:
    """Fields, repr and `replace`; equality and hash by identity."""

    __slots__ = ()
    #: every field, in `__init__`'s order
    FIELDS: ClassVar[tuple[str, ...]] = ()
    #: the fields equality, hash and order use (default: all)
    COMPARED: ClassVar[tuple[str, ...]] = ()
    #: the fields the repr shows (default: all)
    SHOWN: ClassVar[tuple[str, ...]] = ()
    _key: ClassVar[Callable[[Any], Any]] = _no_key

    def __init_subclass__(
        cls, *, compare: tuple[str, ...] | None = None, show: tuple[str, ...] | None = None
    ) -> None:
        super().__init_subclass__()
        if not cls.FIELDS:  # a subclass of a record keeps its fields; its own slots are private
            code = getattr(cls.__dict__.get("__init__"), "__code__", None)
            if code is not None:  # the parameters of `__init__`, in order
                cls.FIELDS = code.co_varnames[1 : code.co_argcount]
                cls.COMPARED = cls.SHOWN = cls.FIELDS
        if compare is not None:
            cls.COMPARED = compare
        if show is not None:
            cls.SHOWN = show
        cls._key = _key_of(cls.COMPARED)

    def __repr__(self) -> str:
        # a record that holds itself, directly or not (a level's computes name their level),
        # shows `...` there, as a dataclass's repr does
        key = (id(self), get_ident())
        if key in _IN_REPR:
            return "..."
        _IN_REPR.add(key)
        try:
            shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.SHOWN)
        finally:
            _IN_REPR.discard(key)
        return f"{type(self).__qualname__}({shown})"

    def replace(self, **changes: Any) -> Self:
        """A copy with `changes` (as `dataclasses.replace`)."""
        values = {name: getattr(self, name) for name in self.FIELDS}
        values.update(changes)
        cls: Any = type(self)
        return cls(**values)  # type: ignore[no-any-return]


class Value(Record):
    """A record equal to another of its class with the same compared fields."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(type(self)._key(self) == type(self)._key(other))

    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable, as a dataclass


class Frozen(Value):
    """A value that cannot change after `__init__`, hashable."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]  # Value's is None
        return hash(type(self)._key(self))

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenError(f"cannot delete field {name!r}")

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.FIELDS, state, strict=True):
            set_field(self, name, value)


class Ordered(Frozen):
    """A frozen value ordered by its compared fields, only against its own class."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(type(self)._key(self) < type(self)._key(other))

    def __le__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(type(self)._key(self) <= type(self)._key(other))

    def __gt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(type(self)._key(self) > type(self)._key(other))

    def __ge__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(type(self)._key(self) >= type(self)._key(other))
