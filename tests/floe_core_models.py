"""Documents drawn from floe-core's own models: a hypothesis strategy that walks the JSON schema
pydantic derives from `FloeSpec` and `PlatformManifest` (aliases or field names, optional fields
present or not, nulls, lists, nested blocks, enum values, string patterns and numeric bounds).

Written by hand because hypothesis-jsonschema does not run on the hypothesis the suite pins.
What the schema cannot say (a model validator's cross-field rule) the documents may break: the
oracle (floe-core's own validation) is the judge of each one, not this strategy.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

Schema = dict[str, Any]

#: Text users write in names, refs and free fields: printable ASCII, no control character.
TEXT = st.text(alphabet=string.ascii_letters + string.digits + " ._-/:@{}'", max_size=12)
#: Any JSON value a free-form block (`config:`, `additionalProperties: true`) may hold.
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 200), TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=2), st.dictionaries(TEXT.filter(bool), inner, max_size=2)
    ),
    max_leaves=4,
)
#: URLs pydantic's HttpUrl (floe-core's type of every URL) reads in ways a pattern misses: tabs and
#: line breaks dropped anywhere, spaces around, ports up to 65535 (leading zeros), hosts that
#: end in a number (an IPv4 address or refused), international names, 2,083 characters at most
HTTP_URLS = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["", " ", "\t", "\x00"]),
        st.sampled_from(["https", "http", "HTTPS", "ht\ttp", "ht\ntps", "ftp", "httpx"]),
        st.sampled_from(["://", ":", ":\\\\", ":///", "://\n", ":/ /"]),
        st.sampled_from(["", "u:p@", "@", "u@"]),
        st.sampled_from(
            [
                "token.example",
                "token example",
                "example.123",
                "1.2.3.4",
                "999.1.1.1",
                "0xab",
                "xn--a.com",
                "xn--bcher-kva.example",
                "a..b",
                "my_host.x",
                "",
                "[::1]",
                "x\ty",
                "b\u00fccher.example",
                "a%20b",
                "-a-.b",
            ]
        ),
        st.sampled_from(["", ":443", ":65535", ":65536", ":", ":08080", ":a", ":-1"]),
        st.sampled_from(
            ["", "/", "/a b", "/%zz", "?q#f", "\\p", "/" + "a" * 2055, "/" + "a" * 2070]
        ),
        st.sampled_from(["", " ", "\n", "\t"]),
    ),
)
FORMATS = {
    "uri": st.one_of(
        st.sampled_from(
            ["https://floe.example/x", "http://localhost:8080", "oci://registry.example/floe"]
        ),
        HTTP_URLS,
    ),
    "date-time": st.sampled_from(["2026-01-01T00:00:00Z", "2026-06-30T12:30:00+02:00"]),
    "date": st.sampled_from(["2026-01-01", "2027-12-31"]),
}


def document(model: type[Any]) -> st.SearchStrategy[Any]:
    """A document of `model`, keyed by its aliases or by its field names, its scoped keys
    mostly kept to their scope (the model's validator refuses the others: enough of those)."""
    made = st.one_of(
        _Walker(model.model_json_schema(by_alias=True)).strategy(),
        _Walker(model.model_json_schema(by_alias=False)).strategy(),
    )
    if "approved_products" in model.model_fields:
        return st.tuples(made, st.integers(0, 3)).map(lambda pair: _scoped(*pair))
    return made


#: manifest keys valid on one scope only (floe-core's `validate_scope_fields`)
_SCOPED = {
    "enterprise": ("approved_plugins", "approved_sinks"),
    "domain": ("approved_products", "parent_manifest"),
}


def _scoped(doc: Any, keep: int) -> Any:
    """`doc` without the keys its scope does not allow, and a domain with its parent (kept
    as drawn one time in four)."""
    if keep == 0 or not isinstance(doc, dict):
        return doc
    scope = doc.get("scope")
    for owner, keys in _SCOPED.items():
        if owner != scope:
            for key in keys:
                doc.pop(key, None)
    if scope == "domain" and not doc.get("parent_manifest"):
        doc["parent_manifest"] = "../enterprise/manifest.yaml"
    return doc


class _Walker:
    def __init__(self, schema: Schema) -> None:
        self.root = schema
        self.defs: dict[str, Schema] = schema.get("$defs", {})
        self.named: dict[str, st.SearchStrategy[Any]] = {}

    def strategy(self) -> st.SearchStrategy[Any]:
        return self.node(self.root)

    def node(self, node: Schema) -> st.SearchStrategy[Any]:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in self.named:
                self.named[name] = st.deferred(lambda: self.node(self.defs[name]))
            return self.named[name]
        if "const" in node:
            return st.just(node["const"])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        for key in ("anyOf", "oneOf"):
            if key in node:
                return st.one_of([self.node(choice) for choice in node[key]])
        if "allOf" in node:
            return self.node(
                {**node["allOf"][0], **{k: v for k, v in node.items() if k != "allOf"}}
            )
        kind = node.get("type")
        if isinstance(kind, list):
            return st.one_of([self.node({**node, "type": one}) for one in kind])
        made = self.typed(node, kind)
        examples = [e for e in node.get("examples", []) if not isinstance(e, dict | list)]
        if examples and kind in ("string", "integer", "number"):
            return st.one_of(st.sampled_from(examples), made)
        return made

    def typed(self, node: Schema, kind: str | None) -> st.SearchStrategy[Any]:
        if kind == "object":
            return self.mapping(node)
        if kind == "array":
            items = self.node(node.get("items", {}))
            low = node.get("minItems", 0)
            return st.lists(items, min_size=low, max_size=max(low, node.get("maxItems", 3), 2))
        if kind == "string":
            return self.text(node)
        if kind == "integer":
            low, high = _bounds(node)
            return st.integers(
                int(low) if low is not None else -3, int(high) if high is not None else 1_000
            )
        if kind == "number":
            low, high = _bounds(node)
            return st.floats(
                low if low is not None else -3.0,
                high if high is not None else 1_000.0,
                allow_nan=False,
                exclude_min=node.get("exclusiveMinimum") is not None,
                exclude_max=node.get("exclusiveMaximum") is not None,
            )
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return JSON_VALUES

    def mapping(self, node: Schema) -> st.SearchStrategy[dict[str, Any]]:
        properties: dict[str, Schema] = node.get("properties", {})
        required = set(node.get("required", ()))
        extra = node.get("additionalProperties", not properties)

        @st.composite
        def draw_mapping(draw: st.DrawFn) -> dict[str, Any]:
            made: dict[str, Any] = {}
            for key, schema in properties.items():
                # a `const` property is a union's tag (`custom_rules[].type`): always written
                if key in required or "const" in schema or draw(st.booleans()):
                    made[key] = draw(self.node(schema))
            if extra is not False and draw(st.integers(0, 3)) == 0:
                keys = self.text(node["propertyNames"]) if "propertyNames" in node else TEXT
                values = JSON_VALUES if extra is True else self.node(extra)
                for key, value in draw(st.dictionaries(keys, values, max_size=2)).items():
                    made.setdefault(key, value)
            return made

        return draw_mapping()

    def text(self, node: Schema) -> st.SearchStrategy[str]:
        low, high = node.get("minLength", 0), node.get("maxLength")
        if "pattern" in node:
            made = st.from_regex(
                node["pattern"], fullmatch=True, alphabet=st.characters(codec="ascii")
            )
            made = made.filter(lambda s: low <= len(s) <= (high if high is not None else len(s)))
        elif node.get("format") in FORMATS:
            made = FORMATS[node["format"]]
        else:
            made = st.text(
                alphabet=string.ascii_letters + string.digits + " ._-/:@",
                min_size=low,
                max_size=min(high, low + 12) if high is not None else low + 12,
            )
        return made


def _bounds(node: Schema) -> tuple[float | None, float | None]:
    low = node.get("minimum", node.get("exclusiveMinimum"))
    high = node.get("maximum", node.get("exclusiveMaximum"))
    if "exclusiveMinimum" in node and isinstance(low, int) and node.get("type") == "integer":
        low += 1
    if "exclusiveMaximum" in node and isinstance(high, int) and node.get("type") == "integer":
        high -= 1
    return low, high


def laxed(documents: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`documents`, with up to two numbers or booleans written as pydantic's lax mode may read
    them (`"30"`, `"yes"`, `1.0`) or may not (`2` for a boolean, `"ten"`)."""
    from tests.floe_core_oracle import _at, _lax_forms, _laxable, _places, _set

    @st.composite
    def draw_laxed(draw: st.DrawFn) -> Any:
        data = draw(documents)
        for _ in range(draw(st.integers(0, 2))):
            scalars = [p for p in _places(data) if p and _laxable(_at(data, p))]
            if not scalars:
                break
            path = draw(st.sampled_from(scalars))
            data = _set(data, path, draw(st.sampled_from(_lax_forms(_at(data, path)))))
        return data

    return draw_laxed()


def repeated(documents: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`documents`, one time in two with an entry of one of their lists of mappings written
    twice, or with its name given to another entry of the list (floe-core keys destinations,
    ingestion sources and their tables, transforms and promotion environments by name, and
    refuses a repeated one: drawn at random, two names hardly ever meet)."""
    import copy

    from tests.floe_core_oracle import _at, _places

    @st.composite
    def draw_repeated(draw: st.DrawFn) -> Any:
        data = draw(documents)
        lists = [
            p
            for p in _places(data)
            if isinstance(_at(data, p), list) and any(isinstance(i, dict) for i in _at(data, p))
        ]
        if not lists or draw(st.booleans()):
            return data
        items = _at(data, draw(st.sampled_from(lists)))
        entries = [i for i in items if isinstance(i, dict)]
        entry = draw(st.sampled_from(entries))
        others = [i for i in entries if i is not entry]
        if others and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(entry, key=str))) if entry else None
            if key is not None:
                draw(st.sampled_from(others))[key] = copy.deepcopy(entry[key])
        else:
            items.append(copy.deepcopy(entry))
        return data

    return draw_repeated()
