"""The quick check of `fastschema` written out as Python source and compiled: the same answers
(the same order of tests, the same `Undecided`), a few times faster on a large tree.

`fastschema` builds a check from closures, one call per keyword and per node: about 40 µs
for a product. Here each schema becomes straight-line code, `properties` and `items`
inlined, with one function per `$defs` entry and per condition (`if`, `not`, `anyOf`, ...).
Writing and compiling the code costs about 6 ms for a product's schema (the time of about
250 documents), so `validation` switches to it only after a schema has judged 256 documents
(a pre-commit hook never pays for it).
tests/test_schemacode.py compares both checks on random documents.
"""

from __future__ import annotations

import re

from floe_lint.load.ecma_blank import ecma_pattern
from floe_lint.load.fastschema import ANNOTATIONS, Undecided, is_number

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.load.fastschema import Check

#: the Python test of each JSON type, as `fastschema._TYPES` decides it ({} is the value)
_TYPE_TESTS = {
    "string": "type({}) is str",
    "object": "type({}) is dict",
    "array": "isinstance({}, list)",
    "boolean": "isinstance({}, bool)",
    "null": "{} is None",
    "integer": (
        "(not isinstance({0}, bool) and (isinstance({0}, int) or "
        "(isinstance({0}, float) and {0}.is_integer())))"
    ),
    "number": "(not isinstance({0}, bool) and isinstance({0}, (int, float)))",
}


#: how deep blocks are inlined in one function
_MAX_INLINE = 8


#: the types whose test implies a keyword's guard (`type(v) is dict` implies `isinstance(v,
#: dict)`), by JSON type
_GUARDED = {"object": "dict", "array": "list", "string": "str"}


class Unwritable(Exception):
    """A schema the writer does not handle (then the closures keep the job)."""


class _Writer:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.names: dict[str, Any] = {"Undecided": Undecided, "is_number": is_number}
        self.functions: list[str] = []
        self.defs: dict[str, str] = {}
        self.count = 0

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def constant(self, value: Any) -> str:
        name = self.fresh("K")
        self.names[name] = value
        return name

    def function(self, schema: Any) -> str:
        """The name of a function `(v) -> bool` checking `schema`."""
        name = self.fresh("f")
        body = self.block(schema, "v", 1)
        self.functions.append("\n".join([f"def {name}(v):", *body, "    return True"]))
        return name

    def block(self, schema: Any, var: str, depth: int) -> list[str]:
        """Statements that `return False` when `var` is invalid under `schema`."""
        pad = "    " * depth
        if schema is True:
            return []
        if schema is False:
            return [f"{pad}return False"]
        if not isinstance(schema, dict):
            raise Unwritable("a schema must be an object or a boolean")
        if "$id" in schema and schema is not self.root:
            raise Unwritable("nested $id")
        if depth > _MAX_INLINE:  # Python nests at most 20 blocks: call a function instead
            return [f"{pad}if not {self.function(schema)}({var}):", f"{pad}    return False"]
        lines: list[str] = []
        known = None  # the Python type `var` has once an earlier `type` keyword passed
        for key, expected in schema.items():
            if key in ANNOTATIONS:
                continue
            written = self.keyword(key, expected, schema, var, depth)
            if known is not None:  # its guards are true: dropped
                guard = f"isinstance({var}, {known})"
                written = [
                    line.replace(f"{guard} and ", "").replace(guard, "True") for line in written
                ]
            lines += written
            if key == "type" and isinstance(expected, str):
                known = _GUARDED.get(expected)
        return lines

    def ref(self, target: Any) -> str:
        prefix = "#/$defs/"
        defs = self.root.get("$defs", {})
        if not isinstance(target, str) or not target.startswith(prefix):
            raise Unwritable(f"$ref {target!r}")
        name = target[len(prefix) :]
        if name not in defs:
            raise Unwritable(f"$ref {target!r}")
        if name not in self.defs:
            self.defs[name] = self.fresh("d")  # named first: a definition may refer to itself
            body = self.block(defs[name], "v", 1)
            self.functions.append(
                "\n".join([f"def {self.defs[name]}(v):", *body, "    return True"])
            )
        return self.defs[name]

    def keyword(
        self, key: str, expected: Any, schema: dict[str, Any], var: str, depth: int
    ) -> list[str]:
        pad, inner = "    " * depth, "    " * (depth + 1)
        if key == "type":
            names = [expected] if isinstance(expected, str) else list(expected)
            if not all(name in _TYPE_TESTS for name in names):
                raise Unwritable(f"type {expected!r}")
            tests = " or ".join(_TYPE_TESTS[name].format(var) for name in names)
            return [f"{pad}if not ({tests}):", f"{inner}return False"]
        if key == "$ref":
            return [f"{pad}if not {self.ref(expected)}({var}):", f"{inner}return False"]
        if key in ("enum", "const"):
            options = list(expected) if key == "enum" else [expected]
            strings = self.constant(frozenset(o for o in options if isinstance(o, str)))
            on_null = [] if any(o is None for o in options) else [f"{inner}return False"]
            return [
                f"{pad}if {var} is None:",
                *(on_null or [f"{inner}pass"]),
                f"{pad}elif not isinstance({var}, str):",
                f"{inner}raise Undecided({key!r})",
                f"{pad}elif {var} not in {strings}:",
                f"{inner}return False",
            ]
        if key == "if":
            condition = self.function(expected)
            then = self.block(schema.get("then", True), var, depth + 1) or [f"{inner}pass"]
            otherwise = self.block(schema.get("else", True), var, depth + 1) or [f"{inner}pass"]
            return [f"{pad}if {condition}({var}):", *then, f"{pad}else:", *otherwise]
        if key == "not":
            return [f"{pad}if {self.function(expected)}({var}):", f"{inner}return False"]
        if key in ("allOf", "anyOf", "oneOf"):
            calls = [f"{self.function(sub)}({var})" for sub in expected]
            if key == "oneOf":
                return [f"{pad}if sum(({', '.join(calls)},)) != 1:", f"{inner}return False"]
            joined = (" and " if key == "allOf" else " or ").join(calls)
            joined = joined or ("True" if key == "allOf" else "False")
            return [f"{pad}if not ({joined}):", f"{inner}return False"]
        return self.typed(key, expected, schema, var, depth)

    def typed(
        self, key: str, expected: Any, schema: dict[str, Any], var: str, depth: int
    ) -> list[str]:
        pad, inner = "    " * depth, "    " * (depth + 1)
        if key == "properties":
            lines = [f"{pad}if isinstance({var}, dict):"]
            for name, sub in expected.items():
                item = self.fresh("v")
                body = self.block(sub, item, depth + 2)
                if body:
                    lines += [
                        f"{inner}if {name!r} in {var}:",
                        f"{inner}    {item} = {var}[{name!r}]",
                        *body,
                    ]
            return lines if len(lines) > 1 else []
        if key == "required":
            tests = " and ".join(f"{name!r} in {var}" for name in expected) or "True"
            return [f"{pad}if isinstance({var}, dict) and not ({tests}):", f"{inner}return False"]
        if key == "additionalProperties":
            if "patternProperties" in schema:
                raise Unwritable("patternProperties")
            known = self.constant(frozenset(schema.get("properties", {})))
            name, item = self.fresh("k"), self.fresh("v")
            body = self.block(expected, item, depth + 3)
            if not body:
                return []
            return [
                f"{pad}if isinstance({var}, dict):",
                f"{inner}for {name}, {item} in {var}.items():",
                f"{inner}    if {name} not in {known}:",
                *body,
            ]
        if key == "items":
            if "prefixItems" in schema:
                raise Unwritable("prefixItems")
            item = self.fresh("v")
            body = self.block(expected, item, depth + 2)
            if not body:
                return []
            return [f"{pad}if isinstance({var}, list):", f"{inner}for {item} in {var}:", *body]
        sizes = {"minItems": "list", "maxItems": "list", "minLength": "str", "maxLength": "str"}
        sizes |= {"minProperties": "dict", "maxProperties": "dict"}
        if key in sizes and isinstance(expected, int):
            compare = "<" if key.startswith("min") else ">"
            return [
                f"{pad}if isinstance({var}, {sizes[key]}) and len({var}) {compare} {expected!r}:",
                f"{inner}return False",
            ]
        if key in ("minimum", "maximum") and is_number(expected):
            bound = self.constant(expected)
            compare = ">=" if key == "minimum" else "<="
            return [
                f"{pad}if is_number({var}) and not ({var} {compare} {bound}):",
                f"{inner}return False",
            ]
        if key == "pattern":
            try:
                search = self.constant(re.compile(ecma_pattern(expected)).search)
            except (re.error, TypeError) as error:
                raise Unwritable(f"pattern {expected!r}") from error
            return [
                f"{pad}if isinstance({var}, str) and {search}({var}) is None:",
                f"{inner}return False",
            ]
        raise Unwritable(f"keyword {key!r}")


def write(schema: dict[str, Any]) -> Check | None:
    """`schema`'s quick check as compiled code, or None if it is beyond the writer."""
    writer = _Writer(schema)
    try:
        entry = writer.function(schema)
        code = compile("\n\n".join(writer.functions), "<floe-lint schema>", "exec")
    except (Unwritable, RecursionError, SyntaxError, MemoryError):
        return None
    namespace = dict(writer.names)
    exec(code, namespace)  # our own code, written from the schema: names and literals only
    check: Check = namespace[entry]
    return check
