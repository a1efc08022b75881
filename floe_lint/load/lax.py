"""What floe-core makes of a value of the wrong type: pydantic's lax mode, asked directly.

floe-core validates a file with pydantic models in lax mode (none of its models is strict), so
`"30"` or `true` where an integer is wanted, `"yes"` where a boolean is, are read, not refused.
A schema error there would tell the user floe-core refuses a file it accepts. For the code
dialect, each type problem is therefore put to pydantic itself (a `TypeAdapter` of the type the
schema wants); a value it reads becomes a `coerced` note naming the reading, and the document is
checked again with the value read (a `"0"` retention is then refused by the bound, as floe-core
refuses it). Only values in type problems are asked, so valid documents never import pydantic.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from functools import cache
from typing import Any, Protocol, TypeVar


class _Problem(Protocol):
    @property
    def category(self) -> str: ...
    @property
    def pointer(self) -> str: ...
    @property
    def wants(self) -> str | None: ...


P = TypeVar("P", bound=_Problem)

#: The Python type floe-core's field has, by the JSON type (or `format: date`) floe-lint's
#: schema gives the same field.
_TYPES: dict[str, type] = {
    "integer": int,
    "number": float,
    "boolean": bool,
    "string": str,
    "array": list,
    "date": datetime.date,
}
_ROUNDS = 4  # a value read can reveal a problem under it (a branch of an if/then)


@cache
def _adapter(wants: str) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(_TYPES[wants])


def read_as(value: Any, wants: str) -> tuple[bool, Any]:
    """(True, what floe-core reads) when pydantic's lax mode reads `value` as `wants`."""
    if wants not in _TYPES:
        return False, None
    from pydantic import ValidationError

    try:
        return True, _adapter(wants).validate_python(value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False, None


def shown(value: Any) -> str:
    """A value as a reader writes it in YAML (control characters escaped)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, bytes):
        return "the !!binary value"
    if isinstance(value, set | frozenset):
        return "the !!set"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return repr(value)


def _reading(value: Any) -> str:
    if isinstance(value, bool):
        return shown(value)
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    return shown(value)


def note(name: str, value: Any, read: Any, visible: bool) -> str:
    """The message of a value floe-core reads as another type."""
    if isinstance(value, set | frozenset):
        return (
            f"{name}: floe-core reads the !!set as a list, in no fixed order (pydantic's lax "
            "mode); write a list"
        )
    if not visible:
        return f"{name}: floe-core reads this value as {type(read).__name__} (pydantic's lax mode)"
    return (
        f"{name}: floe-core reads {shown(value)} as {_reading(read)} (pydantic's lax mode); "
        f"write {shown(plain(read))} to say so"
    )


def plain(read: Any) -> Any:
    """What floe-lint's schema accepts for a value floe-core read (a date is its text)."""
    if isinstance(read, datetime.date):
        return read.isoformat()
    if isinstance(read, list):
        return [plain(item) for item in read]
    return read


def _tokens(data: Any, pointer: str) -> list[str | int]:
    path: list[str | int] = []
    node = data
    for raw in pointer.split("/")[1:]:
        token: str | int = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            token = int(token)
            node = node[token]
        elif isinstance(node, dict):
            node = node.get(token)
        path.append(token)
    return path


def _at(data: Any, path: list[str | int]) -> Any:
    for token in path:
        data = data[token]
    return data


def reread(
    data: Any,
    collect: Callable[[Any], list[P]],
    describe: Callable[[str, Any, Any], P],
) -> list[P]:
    """`collect`'s problems of `data` as floe-core reads it: a type problem at a value
    pydantic's lax mode reads becomes a `coerced` note (`describe(pointer, value, read)`),
    unless the value read is of the value's own type (a YAML date where floe-core wants a
    date), and the value read is checked in its place."""
    view, notes, done = data, list[P](), set[str]()
    problems = collect(view)
    for _ in range(_ROUNDS):
        changed = False
        for problem in problems:
            if problem.category != "type" or problem.wants is None or problem.pointer in done:
                continue
            path = _tokens(view, problem.pointer)
            value = _at(view, path)
            ok, read = read_as(value, problem.wants)
            if not ok:
                continue
            if view is data:
                view = copy.deepcopy(data)
            if path:
                _at(view, path[:-1])[path[-1]] = plain(read)
            else:
                view = plain(read)
            done.add(problem.pointer)
            changed = True
            if type(read) is not type(value):
                notes.append(describe(problem.pointer, value, read))
        if not changed:
            break
        problems = collect(view)
    kept = [p for p in problems if not (p.category == "type" and p.pointer in done)]
    return kept + notes


def reads_http_url(value: str) -> bool:
    """Whether pydantic's `HttpUrl` (floe-core's type of every URL it reads) accepts `value`:
    it drops tabs and line breaks anywhere and spaces around, refuses a port past 65535, a host
    with a space, one that ends in a number but is no IPv4 address, or past 2,083 characters."""
    from pydantic import HttpUrl, ValidationError

    try:
        _url_adapter(HttpUrl).validate_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return True


@cache
def _url_adapter(kind: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(kind)
