"""A quick yes/no JSON Schema check that lets valid documents skip `jsonschema` altogether.

Most documents in a repository are valid, and `jsonschema` costs ~50 ms to import and a few
milliseconds per document. `compile_schema` turns a schema that uses only the keywords below
into a function that decides validity exactly as `jsonschema` does (Draft 2020-12, `format`
as an annotation); a schema with any other keyword does not compile, and an instance the
function cannot judge (an `enum` compared with a non-string) raises `Undecided`. Only a
`True` answer is acted on: invalid or undecided documents still go through `jsonschema`,
which alone writes the messages, so the findings are the same with or without this shortcut.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from floe_lint.load.ecma_blank import ecma_pattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Check = Callable[[Any], bool]


# Keywords that never affect validity (in Draft 2020-12 without a format checker).
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "title",
        "description",
        "default",
        "examples",
        "format",
        "deprecated",
        "readOnly",
        "writeOnly",
        "then",  # compiled with `if`
        "else",
    }
)
#: exactly `str` and `dict`: a subclass is a value PyYAML reads as another type (`tagged`),
#: which only the full check judges
_TYPES: dict[str, Check] = {
    "string": lambda v: type(v) is str,
    "object": lambda v: type(v) is dict,
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (
        not isinstance(v, bool)
        and (isinstance(v, int) or (isinstance(v, float) and v.is_integer()))
    ),
    "number": lambda v: not isinstance(v, bool) and isinstance(v, int | float),
}


class Undecided(Exception):
    """The instance holds something the compiled check does not judge."""


class _Unsupported(Exception):
    """The schema uses a keyword or form the compiler does not handle."""


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _true(value: Any) -> bool:
    return True


def _false(value: Any) -> bool:
    return False


class _Compiler:
    def __init__(self, root: dict[str, Any], lazy: bool = False):
        self.root = root
        self.defs: dict[str, Check] = {}
        #: compile each of `properties`' subschemas when a value first reaches it
        self.lazy = lazy

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _true
        if schema is False:
            return _false
        if not isinstance(schema, dict):
            raise _Unsupported("a schema must be an object or a boolean")
        if "$id" in schema and schema is not self.root:
            raise _Unsupported("nested $id")  # it would change what "#/..." means
        checks = [
            self.keyword(key, value, schema)
            for key, value in schema.items()
            if key not in ANNOTATIONS
        ]
        if not checks:
            return _true
        if len(checks) == 1:
            return checks[0]

        def every(value: Any) -> bool:
            for check in checks:  # noqa: SIM110 - a loop is faster than all(<genexpr>)
                if not check(value):
                    return False
            return True

        return every

    def ref(self, target: Any) -> Check:
        prefix = "#/$defs/"
        name = target[len(prefix) :] if isinstance(target, str) else ""
        if not isinstance(target, str) or not target.startswith(prefix):
            raise _Unsupported(f"$ref {target!r}")
        if name not in self.root.get("$defs", {}):
            raise _Unsupported(f"$ref {target!r}")
        if name not in self.defs:
            self.defs[name] = _false  # placeholder while compiling a recursive definition
            self.defs[name] = self.compile(self.root["$defs"][name])
        defs = self.defs
        return lambda value: defs[name](value)

    def keyword(self, key: str, expected: Any, schema: dict[str, Any]) -> Check:
        if key == "type":
            names = [expected] if isinstance(expected, str) else list(expected)
            if not all(name in _TYPES for name in names):
                raise _Unsupported(f"type {expected!r}")
            types = [_TYPES[name] for name in names]
            return types[0] if len(types) == 1 else lambda v: any(t(v) for t in types)
        if key == "$ref":
            return self.ref(expected)
        if key in ("enum", "const"):
            options = list(expected) if key == "enum" else [expected]
            strings = frozenset(o for o in options if isinstance(o, str))

            has_null = any(o is None for o in options)

            def one_of_options(value: Any) -> bool:
                if value is None:
                    return has_null
                if not isinstance(value, str):
                    raise Undecided(key)  # jsonschema's rules for bools and numbers differ
                return value in strings

            return one_of_options
        if key == "if":
            condition = self.compile(expected)
            then = self.compile(schema.get("then", True))
            otherwise = self.compile(schema.get("else", True))
            return lambda v: then(v) if condition(v) else otherwise(v)
        if key == "not":
            negated = self.compile(expected)
            return lambda v: not negated(v)
        if key in ("allOf", "anyOf", "oneOf"):
            subs = [self.compile(sub) for sub in expected]
            if key == "allOf":
                return lambda v: all(s(v) for s in subs)
            if key == "anyOf":
                return lambda v: any(s(v) for s in subs)
            return lambda v: sum(s(v) for s in subs) == 1
        return self.typed_keyword(key, expected, schema)

    def _later(self, properties: dict[str, Any]) -> list[tuple[str, Check]]:
        """`properties`' (name, check) pairs, each check compiling its subschema when first
        called and then taking its own place in the list (no cost after the first call)."""
        props: list[tuple[str, Check]] = []

        def later(index: int, name: str, sub: Any) -> Check:
            def first(value: Any) -> bool:
                try:
                    check = self.compile(sub)
                except _Unsupported as error:
                    raise Undecided(str(error)) from None
                props[index] = (name, check)
                return check(value)

            return first

        for index, (name, sub) in enumerate(properties.items()):
            props.append((name, later(index, name, sub)))
        return props

    def typed_keyword(self, key: str, expected: Any, schema: dict[str, Any]) -> Check:
        if key == "properties":
            if self.lazy:
                props = self._later(expected)
            else:
                props = [(name, self.compile(sub)) for name, sub in expected.items()]

            def properties(value: Any) -> bool:
                if isinstance(value, dict):
                    for name, check in props:
                        if name in value and not check(value[name]):
                            return False
                return True

            return properties
        if key == "required":
            required = list(expected)
            return lambda v: not isinstance(v, dict) or all(name in v for name in required)
        if key == "additionalProperties":
            if "patternProperties" in schema:
                raise _Unsupported("patternProperties")
            known = frozenset(schema.get("properties", {}))
            extra = self.compile(expected)

            def additional(value: Any) -> bool:
                if isinstance(value, dict):
                    for name, item in value.items():
                        if name not in known and not extra(item):
                            return False
                return True

            return additional
        if key == "items":
            if "prefixItems" in schema:
                raise _Unsupported("prefixItems")
            item_check = self.compile(expected)

            def items(value: Any) -> bool:
                if isinstance(value, list):
                    for item in value:
                        if not item_check(item):
                            return False
                return True

            return items
        if key in ("minItems", "maxItems", "minLength", "maxLength") and isinstance(expected, int):
            kind = list if key.endswith("Items") else str
            if key.startswith("min"):
                return lambda v: not isinstance(v, kind) or len(v) >= expected
            return lambda v: not isinstance(v, kind) or len(v) <= expected
        if key in ("minProperties", "maxProperties") and isinstance(expected, int):
            if key == "minProperties":
                return lambda v: not isinstance(v, dict) or len(v) >= expected
            return lambda v: not isinstance(v, dict) or len(v) <= expected
        if key in ("minimum", "maximum") and is_number(expected):
            bound = expected
            if key == "minimum":
                return lambda v: not is_number(v) or v >= bound
            return lambda v: not is_number(v) or v <= bound
        if key == "pattern":
            from floe_lint.load.plain_patterns import TESTS

            test = TESTS.get(expected) if isinstance(expected, str) else None
            if test is not None:  # the same answer as the pattern's, without compiling it
                return lambda v: not isinstance(v, str) or test(v)
            try:
                search = re.compile(ecma_pattern(expected)).search
            except (re.error, TypeError) as error:
                raise _Unsupported(f"pattern {expected!r}") from error
            return lambda v: not isinstance(v, str) or search(v) is not None
        raise _Unsupported(f"keyword {key!r}")


def compile_schema(schema: dict[str, Any], lazy: bool = False) -> Check | None:
    """A function deciding validity exactly like `jsonschema`, or None if `schema` is beyond it.

    `lazy`: each subschema of a `properties` is compiled when a value first holds its key
    (a pre-commit check reaches about half of a bundled schema: 1 ms of its start-up, its
    patterns' `re.compile` most of it). A part beyond the compiler is then found only when a
    value reaches it, and the check raises `Undecided` there (`proves_valid`: not proved, so
    the value is validated in full), where the eager compile gives None for every value; a
    value that does not reach it is decided exactly, as the eager check decides it."""
    try:
        return _Compiler(schema, lazy).compile(schema)
    except _Unsupported:
        return None


#: per root schema (kept alive here, so ids are not reused): its compiler and the checks of
#: the subschemas compiled so far, by id (each kept with its subschema)
_WITHIN: dict[int, tuple[dict[str, Any], _Compiler, dict[int, tuple[Any, Check | None]]]] = {}


def compile_within(root: dict[str, Any], schema: Any) -> Check | None:
    """The check of `schema`, a part of `root` (its `$ref`s name `root`'s definitions), or
    None if it is beyond the compiler; remembered for the life of both schemas."""
    entry = _WITHIN.get(id(root))
    if entry is None or entry[0] is not root:
        entry = _WITHIN[id(root)] = (root, _Compiler(root), {})
    _, compiler, compiled = entry
    found = compiled.get(id(schema))
    if found is None or found[0] is not schema:
        try:
            check: Check | None = compiler.compile(schema)
        except _Unsupported:
            check = None  # and a compiler that holds no half-compiled definition:
            _WITHIN[id(root)] = (root, _Compiler(root), compiled)
        found = compiled[id(schema)] = (schema, check)
    return found[1]


def proves_valid(check: Check | None, value: Any) -> bool:
    """True only when `value` is certainly valid."""
    if check is None:
        return False
    try:
        return check(value)
    except (Undecided, RecursionError):
        return False
