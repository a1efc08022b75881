"""The errors `jsonschema` yields for an invalid document, without `jsonschema`, in the
common cases: an unknown key, a missing key, a wrong type or enum value, an empty list.

`jsonschema` costs about 50 ms to import and a couple of milliseconds per document; in a
large tree a few dozen invalid documents are typical, and each then paid for it. `errors`
walks the schema as `Draft202012Validator.iter_errors` does (the keywords of each schema in
their order, `properties` in theirs, `$ref` and `if`/`then`/`else` transparently) and yields
the same errors with the fields `validation._problems` reads (`validator`, `validator_value`,
`instance`, `schema`, `path`). It judges only what it can judge exactly: plain data (exactly
`dict`, `list`, `str`, `int`, `float`, `bool`, `None`), the keywords `fastschema` compiles,
and errors whose problem needs no `jsonschema` message. Anything else raises `Unsupported`,
and the caller asks `jsonschema` instead, so the problems are always the same
(tests/test_schema_errors.py compares both on random damaged documents).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from floe_lint.load.ecma_blank import ecma_pattern
from floe_lint.load.fastschema import ANNOTATIONS, Undecided, compile_within

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.load.fastschema import Check

#: keywords without a validator in Draft 2020-12 (or, `format`, one that checks nothing
#: without a format checker): they yield no error, as they decide nothing in the quick check
_SILENT = ANNOTATIONS
_PLAIN = frozenset({dict, list, str, int, float, bool, type(None)})


class Unsupported(Exception):
    """The document or its errors are beyond this module: ask `jsonschema`."""


class SchemaError:
    """What `validation._problems` reads of a `jsonschema.ValidationError` of `iter_errors`
    (`absolute_path` is `path` there: such an error has no parent)."""

    __slots__ = ("instance", "path", "schema", "validator", "validator_value")

    def __init__(
        self,
        validator: str,
        validator_value: Any,
        instance: Any,
        schema: Any,
        path: tuple[Any, ...],
    ) -> None:
        self.validator = validator
        self.validator_value = validator_value
        self.instance = instance
        self.schema = schema
        self.path = path

    @property
    def absolute_path(self) -> tuple[Any, ...]:
        return self.path

    @property
    def message(self) -> str:
        """Only `jsonschema` writes its messages: a problem that quotes one is not judged here."""
        raise Unsupported(self.validator)


def is_plain(data: Any) -> bool:
    """Whether `data` holds only the types JSON has, exactly (no subclass, no date, no set)."""
    stack = [data]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind not in _PLAIN:
            return False
        if kind is dict:
            if any(type(key) is not str for key in value):
                return False
            stack.extend(value.values())
        elif kind is list:
            stack.extend(value)
    return True


def errors(root: dict[str, Any], data: Any) -> list[SchemaError]:
    """`jsonschema`'s errors of `data` under `root` (Draft 2020-12), in its order, or
    `Unsupported`."""
    if not is_plain(data):
        raise Unsupported("not plain data")
    try:
        return list(_Walker(root).errors(root, data, ()))
    except (Undecided, RecursionError) as error:
        raise Unsupported(str(error)) from error


@cache
def _search(pattern: str) -> Callable[[str], Any]:
    return re.compile(ecma_pattern(pattern)).search


def _number(value: Any) -> bool:
    return type(value) in (int, float)


class _Walker:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def valid(self, schema: Any, value: Any) -> bool:
        check: Check | None = compile_within(self.root, schema)
        if check is None:
            raise Unsupported("a condition the quick check does not compile")
        return check(value)

    def errors(self, schema: Any, value: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
        if schema is True:
            return
        if not isinstance(schema, dict):
            raise Unsupported("a false schema")
        for key, expected in schema.items():
            if key in _SILENT:
                continue
            if key == "$ref":
                yield from self.errors(self.target(expected), value, path)
            elif key == "if":
                branch = "then" if self.valid(expected, value) else "else"
                if branch in schema:
                    yield from self.errors(schema[branch], value, path)
            elif key == "allOf":
                for sub in expected:
                    yield from self.errors(sub, value, path)
            elif key in ("anyOf", "oneOf"):
                passed = sum(self.valid(sub, value) for sub in expected)
                if passed == 0 or (key == "oneOf" and passed > 1):
                    raise Unsupported(key)  # its error holds a context of suberrors
            elif key == "properties":
                if type(value) is dict:
                    for name, sub in expected.items():
                        if name in value:
                            yield from self.errors(sub, value[name], (*path, name))
            elif key == "additionalProperties":
                yield from self.additional(expected, value, schema, path)
            elif key == "items":
                if "prefixItems" in schema or expected is False:
                    raise Unsupported("prefixItems")
                if type(value) is list:
                    for index, item in enumerate(value):
                        yield from self.errors(expected, item, (*path, index))
            elif key == "required":
                if type(value) is dict:
                    for name in expected:
                        if name not in value:
                            yield SchemaError(key, expected, value, schema, path)
            elif self.fails(key, expected, value):
                yield SchemaError(key, expected, value, schema, path)

    def target(self, ref: Any) -> Any:
        prefix = "#/$defs/"
        if not isinstance(ref, str) or not ref.startswith(prefix):
            raise Unsupported(f"$ref {ref!r}")
        defs = self.root.get("$defs", {})
        name = ref[len(prefix) :]
        if name not in defs:
            raise Unsupported(f"$ref {ref!r}")
        return defs[name]

    def additional(
        self, expected: Any, value: Any, schema: dict[str, Any], path: tuple[Any, ...]
    ) -> Iterator[SchemaError]:
        if type(value) is not dict:
            return
        if "patternProperties" in schema:
            raise Unsupported("patternProperties")
        known = schema.get("properties", {})
        extras = [name for name in value if name not in known]
        if not extras or expected is True:
            return
        if expected is False:
            yield SchemaError("additionalProperties", expected, value, schema, path)
            return
        # jsonschema descends into the extras in a set's order: judged here only when none
        # of them has an error, so the order cannot matter
        if any(not self.valid(expected, value[name]) for name in extras):
            raise Unsupported("an additional property with an error")

    def fails(self, key: str, expected: Any, value: Any) -> bool:
        """Whether the keyword `key` refuses `value`, as `jsonschema` judges it."""
        kind = type(value)
        if key == "type":
            names = [expected] if isinstance(expected, str) else list(expected)
            return not any(_is_type(value, name) for name in names)
        if key in ("enum", "const"):
            options = list(expected) if key == "enum" else [expected]
            if value is None:
                return not any(option is None for option in options)
            if kind is not str:
                raise Undecided(key)  # jsonschema's equality of bools and numbers differs
            return value not in [o for o in options if isinstance(o, str)]
        if key in ("minItems", "maxItems") and kind is list:
            return bool(len(value) < expected if key == "minItems" else len(value) > expected)
        if key in ("minLength", "maxLength") and kind is str:
            return bool(len(value) < expected if key == "minLength" else len(value) > expected)
        if key in ("minProperties", "maxProperties") and kind is dict:
            return bool(len(value) < expected if key == "minProperties" else len(value) > expected)
        if key in ("minimum", "maximum") and _number(value):
            return bool(value < expected if key == "minimum" else value > expected)
        if key == "pattern" and kind is str:
            return _search(expected)(value) is None
        if key == "not":
            return self.valid(expected, value)
        if key in _CHECKED_BY_TYPE:
            return False  # a keyword of another type's values: it does not apply
        raise Unsupported(f"keyword {key!r}")


#: keywords that apply only to values of one type (checked above for that type)
_CHECKED_BY_TYPE = frozenset(
    {
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "minProperties",
        "maxProperties",
        "minimum",
        "maximum",
        "pattern",
    }
)


def _is_type(value: Any, name: str) -> bool:
    """Draft 2020-12's type test for plain data (`jsonschema`'s TYPE_CHECKER)."""
    kind = type(value)
    if name == "object":
        return kind is dict
    if name == "array":
        return kind is list
    if name == "string":
        return kind is str
    if name == "boolean":
        return kind is bool
    if name == "null":
        return value is None
    if name == "integer":
        return kind is int or (kind is float and value.is_integer())
    if name == "number":
        return kind in (int, float)
    raise Unsupported(f"type {name!r}")
