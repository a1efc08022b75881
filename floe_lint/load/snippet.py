"""The smallest valid YAML for a missing key, built from the schema that requires it, so a
"missing" message can say what to write (`platform: {ref: ../platform/manifest.yaml}`)."""

from __future__ import annotations

import re
from typing import Any

# Values for strings that a schema leaves free (or constrains by pattern), by key: what a
# reader would most likely write there. Any value must still satisfy the key's schema; one
# that does not is not used.
PLACEHOLDERS = {
    "ref": "../platform/manifest.yaml",
    "manifest": "../manifest.yaml",
    "parent_manifest": "../enterprise/manifest.yaml",
    "name": "orders",
    "version": "1.0.0",
    "owner": "platform@acme.example",
    "path": "models/",
    "type": "duckdb",
    "compute": "duckdb",
    "approved": "duckdb",
    "default": "duckdb",
    "uri": "oci://registry.acme.example/floe",
    "apiVersion": "floe.dev/v1",
    "connection_secret_ref": "warehouse-credentials",
    "destinationTable": "raw.orders",
    "destination_table": "raw.orders",
    "custom_patterns": "^[a-z][a-z0-9_]*$",
    "oidc_issuer": "https://token.actions.githubusercontent.com",
    "issuer": "https://token.actions.githubusercontent.com",
}
_MAX_DEPTH = 6
_END = "...\n"  # what safe_dump ends a lone scalar with


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < _MAX_DEPTH:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        node, seen = target, seen + 1
    return node


def _string(node: dict[str, Any], key: str) -> str | None:
    text = PLACEHOLDERS.get(key, key or "x")
    if len(text) < node.get("minLength", 0):
        return None
    pattern = node.get("pattern")
    if isinstance(pattern, str) and not re.search(pattern, text):  # our schemas' patterns
        return None
    return text


def _required(node: dict[str, Any]) -> list[str]:
    """The keys an object must have: `required`, and of each `allOf` part its `required` or
    that of its first alternative."""
    names = list(node.get("required", []))
    for part in node.get("allOf", []):
        if isinstance(part, dict):
            choices: list[Any] = part.get("anyOf") or part.get("oneOf") or [part]
            first = choices[0] if isinstance(choices[0], dict) else {}
            names += [n for n in first.get("required", []) if n not in names]
    return [n for n in names if isinstance(n, str)]


def minimal(node: Any, root: dict[str, Any], key: str = "", depth: int = 0) -> Any:
    """The smallest value `node` accepts (None when this cannot tell: no snippet then)."""
    node = _resolve(node, root)
    if not isinstance(node, dict) or depth > _MAX_DEPTH:
        return None
    if "const" in node:
        return node["const"]
    if isinstance(node.get("enum"), list) and node["enum"]:
        return next((v for v in node["enum"] if v is not None), node["enum"][0])
    for branch in ("oneOf", "anyOf"):
        if isinstance(node.get(branch), list) and node[branch]:
            return minimal(node[branch][0], root, key, depth + 1)
    kind = node.get("type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    if kind == "object" or (kind is None and "properties" in node):
        properties = node.get("properties", {})
        value = {}
        for name in _required(node):
            item = minimal(properties.get(name), root, name, depth + 1)
            if item is None:
                return None
            value[name] = item
        return value
    if kind == "array":
        if node.get("minItems", 0) < 1:
            return []
        items = node.get("items", {"type": "string"})  # no items schema: any item; a string
        item = minimal(items, root, key, depth + 1)
        return None if item is None else [item]
    if kind == "string":
        return _string(node, key)
    if kind in ("integer", "number"):
        return node.get("minimum", 1)
    if kind == "boolean":
        return False
    return None


def snippet(key: str, node: Any, root: dict[str, Any]) -> str | None:
    """`key: value` on one line, in YAML flow style, or None."""
    value = minimal(node, root, key)
    if value is None:
        if key not in PLACEHOLDERS:
            return None
        value = PLACEHOLDERS[key]
    if isinstance(node, dict) and not _valid(value, node, root):
        return None
    from floe_lint.load.pyyaml import yaml

    text: str = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=1 << 16)
    return f"{key}: {text.removesuffix(_END).strip()}"


def _valid(value: Any, node: dict[str, Any], root: dict[str, Any]) -> bool:
    """Whether `value` passes the key's schema: a snippet is never one that fails again."""
    import jsonschema  # a "missing" message comes from jsonschema: it is imported already

    schema = {**node, "$defs": root.get("$defs", {})}
    return bool(jsonschema.Draft202012Validator(schema).is_valid(value))
