"""`typing.NamedTuple`'s class syntax without importing `typing` (3 ms of every start-up).

    class Place(NamedTuple):
        line: int
        column: int = 0

makes the same class as `typing.NamedTuple` does, the way it does (Python 3.11's
`typing.NamedTupleMeta`): `collections.namedtuple` of the annotated fields, with the
defaults given, and the class body's other attributes (methods, properties, the docstring)
copied onto it. (Only `__annotations__` differs: the annotations as written, where typing
wraps each string in a `ForwardRef`.) Modules import it through `floe_lint.record`, where
the type checker sees `typing.NamedTuple` itself. Generic named tuples are not supported.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: what a named tuple's body may not define (as typing refuses)
_PROHIBITED = frozenset(
    {
        "__new__",
        "__init__",
        "__slots__",
        "__getnewargs__",
        "_fields",
        "_field_defaults",
        "_make",
        "_replace",
        "_asdict",
        "_source",
    }
)
#: what the made class keeps as namedtuple set it
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})


class _Maker(type):
    def __new__(cls, typename: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        fields: dict[str, Any] = namespace.get("__annotations__", {})
        defaults: list[str] = []
        for name in fields:
            if name in namespace:
                defaults.append(name)
            elif defaults:
                raise TypeError(
                    f"Non-default namedtuple field {name} cannot follow default field"
                    f"{'s' if len(defaults) > 1 else ''} {', '.join(defaults)}"
                )
        make: Any = namedtuple  # called with names known only here (mypy wants literals)
        made = make(
            typename,
            list(fields),
            defaults=[namespace[name] for name in defaults],
            module=namespace["__module__"],
        )
        made.__annotations__ = made.__new__.__annotations__ = dict(fields)
        for key, value in namespace.items():
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in made._fields:
                setattr(made, key, value)
        return made


_BASE = type.__new__(_Maker, "NamedTuple", (), {})


def NamedTuple(typename, fields=None, /):  # type: ignore[no-untyped-def]
    """Only the class syntax is supported."""
    raise TypeError("write a NamedTuple as a class (floe_lint.named_tuple)")


NamedTuple.__mro_entries__ = lambda bases: (_BASE,)  # type: ignore[attr-defined]
