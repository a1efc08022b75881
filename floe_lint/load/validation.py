"""JSON Schema validation of documents, with each error mapped to a category, a node and a message.

The schemas in `schemas/` are the single source of truth; validators are built once per schema.
`jsonschema` is imported only here and only when a document is actually validated.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from floe_lint.load import pointer as ptr
from floe_lint.load.ecma_blank import ecma_pattern
from floe_lint.load.fastschema import compile_schema, proves_valid
from floe_lint.record import Frozen, set_field
from floe_lint.secrets import is_secret_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    from jsonschema.exceptions import ValidationError

    from floe_lint.load.fastschema import Check

    Category = Literal[
        "unknown-key", "type", "required", "enum", "empty-list", "invalid", "coerced"
    ]

#: every `Category`, in its order (`floe_lint.api.SchemaCategory` is made from it)
CATEGORIES: tuple[Category, ...] = (
    "unknown-key",
    "type",
    "required",
    "enum",
    "empty-list",
    "invalid",
    "coerced",
)
SCHEMA_NAMES = ("manifest", "floe", "report")
#: Only the first unknown keys of one mapping get a "did you mean": each costs a fuzzy comparison
#: with every allowed key, and a hostile file may hold 80,000 unknown keys (10 s of suggestions).
MAX_KEY_SUGGESTIONS = 100


class SchemaProblem(Frozen):
    __slots__ = ("at", "category", "key", "message", "pointer", "wants")
    category: Category
    pointer: str
    at: Literal["key", "value"]
    message: str
    key: str | None  # the unknown or missing key of an unknown-key/required problem
    #: the one type a type problem's value should have (`integer`, `date`, ...), for lax reading
    wants: str | None

    def __init__(
        self,
        category: Category,
        pointer: str,
        at: Literal["key", "value"],
        message: str,
        key: str | None = None,
        wants: str | None = None,
    ) -> None:
        set_field(self, "category", category)
        set_field(self, "pointer", pointer)
        set_field(self, "at", at)
        set_field(self, "message", message)
        set_field(self, "key", key)
        set_field(self, "wants", wants)


@cache
def schema(name: str) -> dict[str, Any]:
    """A bundled schema by name (`manifest`, `floe`, ...)."""
    # The package's folder, not importlib.resources: that costs 4 ms of imports at start-up.
    folder = Path(str(importlib.import_module("floe_lint.schemas").__file__)).parent
    text = (folder / f"{name}.json").read_text("utf-8")
    # as Python data when the file is the one it was made from (floe_lint.load.schema_data):
    # no import of json
    try:
        made = importlib.import_module(f"floe_lint.schemas._data_{name.replace('-', '_')}")
    except ImportError:
        made = None
    if made is not None and text == made.TEXT:
        data: dict[str, Any] = made.DATA
        return data
    import json

    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _quick_check(name: str) -> Check | None:
    return compile_schema(schema(name), lazy=True)


#: keywords whose value maps names to schemas (a name there is not a keyword)
_NAMED = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def _optional(node: Any, named: bool = False) -> Any:
    """A schema with no key required, as an overlay is read; `if` and `not` keep theirs: there
    `required` is a condition, not a demand."""
    if isinstance(node, list):
        return [_optional(v) for v in node]
    if not isinstance(node, dict):
        return node
    if named:
        return {k: _optional(v) for k, v in node.items()}
    return {
        k: v if k in ("if", "not") else _optional(v, k in _NAMED)
        for k, v in node.items()
        if k != "required"
    }


@cache
def _quick_overlay_check(name: str) -> Check | None:
    return compile_schema(_optional(schema(name)), lazy=True)


#: documents each quick check has judged, by (schema, overlay), until its code is written
_judged: dict[tuple[str, bool], int] = {}


def _quick(name: str, overlay: bool) -> Check | None:
    """The quick check of a schema: its closures (`fastschema`), then, once it has judged
    `schemacode.WRITE_AFTER` documents, its code written out (`schemacode`): the same answers."""
    key = (name, overlay)
    judged = _judged.get(key, 0)
    if judged < _WRITE_AFTER:
        _judged[key] = judged + 1
    else:
        written = _written(name, overlay)
        if written is not None:
            return written
    return _quick_overlay_check(name) if overlay else _quick_check(name)


#: see `schemacode.WRITE_AFTER` (kept here so that small runs never import it)
_WRITE_AFTER = 256


@cache
def _written(name: str, overlay: bool) -> Check | None:
    from floe_lint.load import schemacode

    return schemacode.write(_optional(schema(name)) if overlay else schema(name))


@cache
def _search(pattern: str) -> Any:
    import re

    return re.compile(ecma_pattern(pattern)).search


def _pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Iterator[Any]:
    """jsonschema's `pattern` with JSON Schema's `$` (see `ecma_pattern`)."""
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not _search(pattern)(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator
    from jsonschema.validators import extend

    validator = extend(Draft202012Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]
    return validator(schema(name))


TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _type_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "a string"
    return _PYYAML_TYPES.get(type(value), type(value).__name__)


#: what upstream's `yaml.safe_load` builds from a timestamp, `!!binary` and `!!set`
_PYYAML_TYPES = {datetime.date: "a date", datetime.datetime: "a timestamp", bytes: "binary data"}
_PYYAML_TYPES[set] = "a set"


def _pyyaml_hint(value: Any) -> str:
    if isinstance(value, datetime.date):
        written = str(value)
        return (
            f"; upstream Floe's yaml.safe_load reads {written} as {_type_of(value)}, not text: "
            "quote it"
        )
    if isinstance(value, bytes | set):
        tag = "!!binary" if isinstance(value, bytes) else "!!set"
        return f"; upstream Floe's yaml.safe_load reads {tag} as {_type_of(value)}"
    return ""


def _describe(pointer: str) -> str:
    """A human name for a node: `plugins.compute.approved[2]`."""
    if not pointer:
        return "the document"
    out = ""
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        out += f"[{token}]" if token.isdigit() else (f".{token}" if out else token)
    return f"'{out}'"


def _shows_value(pointer: str, value: Any) -> bool:
    """Values are quoted in messages only when short, scalar and not under a secret-like key."""
    return (
        isinstance(value, str | int | float | bool)
        and len(str(value)) <= 60
        and not any(is_secret_key(t) for t in pointer.split("/"))
    )


def _smallest(key: str, error: ValidationError, root: dict[str, Any]) -> str:
    """`; smallest valid: KEY: VALUE`, the least a reader must write, from the schema."""
    from floe_lint.load.snippet import snippet

    text = snippet(key, _properties(key, error, root).get(key), root)
    return f"; smallest valid: {text}" if text else ""


def _properties(key: str, error: ValidationError, root: dict[str, Any]) -> dict[str, Any]:
    """The properties of the mapping a `required` error is about, as far as the schema says."""
    properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    if key not in properties and error.absolute_path == error.path and not error.path:
        properties = root.get("properties", {})  # an if/then at the top names no properties
    return properties if isinstance(properties, dict) else {}


def _line_break(instance: Any, pattern: Any) -> str:
    """A hint for a value refused only for its final line break (a `|` block keeps one)."""
    if not (isinstance(instance, str) and instance.endswith("\n") and isinstance(pattern, str)):
        return ""
    if _search(pattern)(instance[:-1]) is None:
        return ""
    return (
        "; the value ends with a line break, which the pattern refuses (a '|' block "
        "keeps it: write '|-' or a plain value)"
    )


def _problems(error: ValidationError, root: dict[str, Any]) -> list[SchemaProblem]:
    from floe_lint.suggest import did_you_mean  # (messages only: a valid document has none)

    where = ptr.from_path(error.absolute_path)
    name = _describe(where)
    keyword, instance = error.validator, error.instance
    expected: Any = error.validator_value
    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        subschema = error.schema if isinstance(error.schema, dict) else {}
        allowed = subschema.get("properties", {})
        unknown = [key for key in instance if key not in allowed]
        return [
            SchemaProblem(
                "unknown-key",
                ptr.join(where, str(key)),
                "key",
                f"unknown key '{_shown(key)}' in {name}"
                + (did_you_mean(_shown(key), allowed) if index < MAX_KEY_SUGGESTIONS else "")
                + (f" (allowed: {', '.join(allowed)})" if 0 < len(allowed) <= 8 else ""),
                _shown(key),
            )
            for index, key in enumerate(unknown)
        ]
    if keyword == "required" and isinstance(instance, dict):
        # a key the mapping may hold is no typo of the missing one (`ingestion` for apiVersion)
        known = _properties(next(iter(expected), ""), error, root)
        present = [k for k in instance if isinstance(k, str) and k not in known]
        return [
            SchemaProblem(
                "required",
                where,
                "key",
                f"missing required key '{key}' in {name}{did_you_mean(key, present)}"
                + _smallest(key, error, root),
                key,
            )
            for key in expected
            if key not in instance
        ]
    if keyword == "type":
        wanted = [expected] if isinstance(expected, str) else list(expected)
        words = " or ".join(TYPE_WORDS.get(t, t) for t in wanted)
        got = _type_of(instance)
        if _shows_value(where, instance) and not isinstance(instance, str):
            got += f" ({instance!r})"
        hint, wants = "", None
        single = [t for t in wanted if t != "null"]
        if isinstance(error.schema, dict) and error.schema.get("format") == "date":
            wants = "date"
        elif len(single) == 1:
            wants = single[0]
        if (
            "string" in wanted
            and isinstance(instance, int | float)
            and not isinstance(instance, bool)
        ):
            hint = f'; quote it: "{instance}"'
        message = f"{name} must be {words}, not {got}{hint}{_pyyaml_hint(instance)}"
        return [SchemaProblem("type", where, "value", message, wants=wants)]
    if keyword in ("enum", "const"):
        options = [str(o) for o in (expected if keyword == "enum" else [expected])]
        shown = f" '{instance}'" if _shows_value(where, instance) else ""
        suggestion = did_you_mean(str(instance), options) if shown else ""
        return [
            SchemaProblem(
                "enum",
                where,
                "value",
                f"{name} must be one of {', '.join(options)}, "
                f"not{shown or ' this value'}{suggestion}",
            )
        ]
    if keyword == "minItems" and isinstance(instance, list) and not instance:
        return [
            SchemaProblem("empty-list", where, "value", f"{name} is empty: list at least one item")
        ]
    if keyword == "minLength" and instance == "":
        return [SchemaProblem("invalid", where, "value", f"{name} must not be empty")]
    described = error.schema.get("description") if isinstance(error.schema, dict) else None
    if (
        keyword == "not"
        and isinstance(expected, dict)
        and isinstance(expected.get("description"), str)
    ):
        shown = f" '{instance}'" if _shows_value(where, instance) else ""
        return [
            SchemaProblem(
                "invalid", where, "value", f"{name}{shown} must not be {expected['description']}"
            )
        ]
    if keyword == "pattern":
        if described == HTTP_URL and isinstance(instance, str):
            from floe_lint.load.lax import reads_http_url

            if reads_http_url(instance):
                return []  # past the plain URLs the pattern proves, pydantic's HttpUrl judges
        hint = _line_break(instance, expected)
        if isinstance(described, str):
            shown = f" '{instance}'" if _shows_value(where, instance) else ""
            message = f"{name}{shown} must be {described}{hint}"
            return [SchemaProblem("invalid", where, "value", message)]
        if _shows_value(where, instance):
            message = f"{name} '{instance}' does not match the pattern {expected}{hint}"
            return [SchemaProblem("invalid", where, "value", message)]
    if keyword == "maxLength" and isinstance(described, str):
        shown = f" '{instance}'" if _shows_value(where, instance) else ""
        return [SchemaProblem("invalid", where, "value", f"{name}{shown} must be {described}")]
    return [SchemaProblem("invalid", where, "value", f"{name} is invalid: {error.message}")]


#: the description of the `httpUrl` pattern (manifest-floe.json): plain URLs floe-core's HttpUrl
#: surely reads; any other value is put to pydantic's HttpUrl itself, as floe-core reads it
HTTP_URL = "an http:// or https:// URL with a host"


def validate(data: Any, schema_name: str, *, overlay: bool = False) -> list[SchemaProblem]:
    """All schema problems of `data`, one per node and category, in document order; for
    upstream's code dialect (`*-floe`), as floe-core's pydantic models read it (`lax`).
    An `overlay` (a per-environment file) may omit anything: no "required" problems, and an
    unknown key is not paired with a missing required one."""
    if proves_valid(_quick(schema_name, overlay), data):
        return []  # the common case, without importing or running jsonschema

    def collect(view: Any) -> list[SchemaProblem]:
        found = _collect(view, schema_name)
        return [p for p in found if p.category != "required"] if overlay else found

    if not schema_name.endswith("-floe"):
        return _pair_misspellings(collect(data))
    from floe_lint.load import lax, tagged

    if tagged.has_tagged(data):
        data = tagged.pyyaml_view(data)

    def describe(pointer: str, value: Any, read: Any) -> SchemaProblem:
        secret = any(is_secret_key(t) for t in pointer.split("/"))
        shown = _shows_value(pointer, value) or (isinstance(value, bytes) and not secret)
        message = lax.note(_describe(pointer), value, read, shown)
        return SchemaProblem("coerced", pointer, "value", message)

    found = lax.reread(data, collect, describe)
    return _pair_misspellings(found)


def _collect(data: Any, schema_name: str) -> list[SchemaProblem]:
    """The problems of `data`: from the errors `schema_errors` finds without `jsonschema`
    when it can judge them all, else from `jsonschema`'s (the same, when both can)."""
    from floe_lint.load import schema_errors  # only for a document the quick check doubts

    root = schema(schema_name)
    try:
        return _collect_from(schema_errors.errors(root, data), root)
    except schema_errors.Unsupported:
        return _collect_jsonschema(data, schema_name)


def _collect_jsonschema(data: Any, schema_name: str) -> list[SchemaProblem]:
    return _collect_from(_validator(schema_name).iter_errors(data), schema(schema_name))


def _collect_from(errors: Iterable[Any], root: dict[str, Any]) -> list[SchemaProblem]:
    seen: set[tuple[str, ...]] = set()
    found: list[SchemaProblem] = []
    for error in errors:
        for problem in _problems(error, root):
            # Alternatives (if/then/else) can report one wrong type twice; keep the first.
            key: tuple[str, ...] = (problem.category, problem.pointer)
            if problem.category != "type":
                key += (problem.message,)
            if key not in seen:
                seen.add(key)
                found.append(problem)
    return found


def _shown(key: Any) -> str:
    """A key of the data as YAML writes it: a null key is 'null', not Python's 'None' (the
    text written is not known here), a boolean one 'true' or 'false'."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _pair_misspellings(found: list[SchemaProblem]) -> list[SchemaProblem]:
    """A misspelled required key is one mistake, not two: the unknown key (where the fix goes)
    names the required key it stands for, and the "missing" problem of that key is dropped."""
    from floe_lint.suggest import closest

    missing = {(p.pointer, p.key) for p in found if p.category == "required" and p.key}
    if not missing:
        return found
    paired: dict[SchemaProblem, SchemaProblem] = {}
    dropped: set[tuple[str, str]] = set()
    for problem in found:
        if problem.category != "unknown-key" or problem.key is None:
            continue
        parent = ptr.parent(problem.pointer)
        wanted = [k for where, k in missing if where == parent and (where, k) not in dropped]
        match = closest(problem.key, wanted) if wanted else None
        if match is None:
            continue
        dropped.add((parent, match))
        name = _describe(parent)
        paired[problem] = SchemaProblem(
            "unknown-key",
            problem.pointer,
            "key",
            f"unknown key '{problem.key}' in {name}; did you mean '{match}'? "
            f"('{match}' is required and missing)",
            problem.key,
        )
    return [
        paired.get(p, p)
        for p in found
        if not (p.category == "required" and (p.pointer, p.key) in dropped)
    ]
