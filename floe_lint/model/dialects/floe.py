"""Upstream Floe's code dialect mapped onto the model: where its manifest.yaml and floe.yaml
keep each field (read from upstream's pydantic models, not copied).

A manifest selects one plugin per category (`plugins.compute: {type, version, config,
connection_secret_ref}`): that compute is the one it approves and, unless `defaults.compute`
says otherwise, its default; a domain without `plugins.compute` keeps its parent's. An
enterprise whitelists per category in `approved_plugins`; a domain lists its products in
`approved_products`. A product names its platform in `platform.manifest` (optional) and its
transforms by dbt model `name`.
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.load.document import Document, Node
from floe_lint.model.governance import settings
from floe_lint.model.manifest import ComputeEntry, Manifest, Selection, Whitelist
from floe_lint.model.product import Product, Transform, transform_pointers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCOPE = "/scope"
NAME = "/metadata/name"
PARENT = "/parent_manifest"
PLUGINS = "/plugins"
COMPUTE = "/plugins/compute"
DEFAULTS = "/defaults/compute"
WHITELISTS = "/approved_plugins"
GOVERNANCE = "/governance"
PRODUCTS = "/approved_products"
SINKS = "/approved_sinks"
DESTINATIONS = "/destinations"
PLATFORM = "/platform/manifest"
TRANSFORMS = "/transforms"

#: manifests are environment-agnostic: the runtime picks the environment with FLOE_ENV
ENVIRONMENT_KEYS = frozenset(
    {
        "env_overrides",
        "environments",
        "environment",
        "env",
        "dev",
        "staging",
        "prod",
        "production",
        "target_env",
        "floe_env",
    }
)
#: connection and credential keys that a floe.yaml must not hold at any depth (lowercased)
PRODUCT_FORBIDDEN_KEYS = frozenset(
    {
        "database",
        "schema",
        "host",
        "port",
        "username",
        "password",
        "credentials",
        "connection_string",
        "endpoint",
        "access_key",
        "secret_key",
        "token",
        "api_key",
    }
)
#: the top-level manifest keys upstream defines; others are ignored there, with a warning
MANIFEST_KEYS = frozenset(
    {
        "apiVersion",
        "kind",
        "metadata",
        "scope",
        "parent_manifest",
        "plugins",
        "governance",
        "approved_plugins",
        "approved_sinks",
        "approved_products",
        "defaults",
        "artifacts",
        "observability",
        "resource_presets",
    }
)
#: keys valid on one scope only: key -> that scope
SCOPED_KEYS = {
    "approved_plugins": "enterprise",
    "approved_sinks": "enterprise",
    "approved_products": "domain",
}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _listed(value: Any) -> tuple[str, ...] | None:
    """The names of a list (None when the key is absent or not a list)."""
    return _names(value) if isinstance(value, list) else None


def _names(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _selection(doc: Document, category: str) -> tuple[str, Node] | None:
    """The plugin selected for a category and the node of its name (`quality`: `provider`)."""
    node = doc.node(PLUGINS).child(category)
    value = node.value
    key = "provider" if category == "quality" else "type"
    name = value.get(key) if isinstance(value, dict) else None
    if not isinstance(name, str) or not name.strip():
        return None
    return name.strip(), node.child(key)


def compute_entries(doc: Document) -> tuple[ComputeEntry, ...]:
    """The one compute a manifest selects, as its approved list."""
    selected = _selection(doc, "compute")
    if selected is None:
        return ()
    node = doc.node(COMPUTE)
    config, secret = node.child("config").value, node.child("connection_secret_ref").value
    return (
        ComputeEntry(
            selected[0],
            node,
            selected[1],
            config if isinstance(config, dict) else {},
            secret if isinstance(secret, str) else None,
            node.child("config"),
        ),
    )


def _default(doc: Document, entries: tuple[ComputeEntry, ...]) -> tuple[Any, Node]:
    """`defaults.compute`, else the selected compute (upstream's resolver does the same)."""
    if doc.get(DEFAULTS) is not None or not entries:
        return doc.get(DEFAULTS), doc.node(DEFAULTS)
    return entries[0].name, entries[0].name_node


def _whitelists(doc: Document) -> tuple[Whitelist, ...]:
    found: list[Whitelist] = []
    approved = doc.get(WHITELISTS)
    if isinstance(approved, dict):
        for category, names in approved.items():
            if isinstance(names, list):
                node = doc.node(WHITELISTS).child(str(category))
                found.append(Whitelist(str(category), _names(names), node))
    return tuple(found)


def _selections(doc: Document) -> tuple[Selection, ...]:
    plugins = doc.get(PLUGINS)
    found: list[Selection] = []
    if isinstance(plugins, dict):
        for category in plugins:
            selected = _selection(doc, str(category)) if category != "compute" else None
            if selected is not None:
                found.append(Selection(str(category), *selected))
    return tuple(found)


def _top_level(doc: Document) -> Iterator[tuple[str, Node]]:
    if isinstance(doc.data, dict):
        for key in doc.data:
            yield str(key), doc.node().child(str(key))


def manifest(doc: Document) -> Manifest:
    entries = compute_entries(doc)
    default, default_node = _default(doc, entries)
    scope = _text(doc.get(SCOPE))
    keys = list(_top_level(doc))
    return Manifest(
        doc=doc,
        node=doc.node(),
        scope=scope,
        scope_node=doc.node(SCOPE),
        name=_text(doc.get(NAME)),
        parent_ref=_text(doc.get(PARENT)),
        has_parent=doc.get(PARENT) is not None,
        parent_node=doc.node(PARENT),
        entries=entries,
        approved_node=doc.node(COMPUTE),
        default=default,
        default_node=default_node,
        default_key="defaults.compute",
        inherits=doc.get(COMPUTE) is None and doc.get(PARENT) is not None,
        whitelists=_whitelists(doc),
        restricts_by_whitelist=True,
        selections=_selections(doc),
        approved_products=_listed(doc.get(PRODUCTS)),
        approved_products_node=doc.node(PRODUCTS),
        approved_sinks=_listed(doc.get(SINKS)),
        approved_sinks_node=doc.node(SINKS),
        environment_nodes=tuple(node for key, node in keys if key in ENVIRONMENT_KEYS),
        unknown_nodes=tuple(
            node
            for key, node in keys
            if key not in MANIFEST_KEYS
            and key not in ENVIRONMENT_KEYS
            and not (key == "api_version" and doc.get("/apiVersion") is None)
        ),
        known_keys=MANIFEST_KEYS,
        misplaced=tuple(
            (node, SCOPED_KEYS[key])
            for key, node in keys
            if key in SCOPED_KEYS and node.value is not None and scope != SCOPED_KEYS[key]
        ),
        environment_blocks=(),
        governance=settings(doc.node(GOVERNANCE)),
    )


def _is_port_schema(node: Node) -> bool:
    """`outputPorts[i].schema` lists an output port's columns; it is not a database schema.

    (Upstream's own check rejects it there too, which makes every output port invalid.)
    """
    parts = node.pointer.split("/")
    return len(parts) == 4 and parts[1] in ("outputPorts", "output_ports") and parts[3] == "schema"


def forbidden_keys(node: Node) -> Iterator[tuple[Node, str]]:
    """Every connection or credential key under `node`, in document order."""
    value = node.value
    if isinstance(value, dict):
        for key in value:
            child = node.child(str(key))
            if str(key).lower() in PRODUCT_FORBIDDEN_KEYS and not _is_port_schema(child):
                yield child, str(key)
            yield from forbidden_keys(child)
    elif isinstance(value, list):
        for index in range(len(value)):
            yield from forbidden_keys(node.child(index))


def _sinks(doc: Document) -> tuple[tuple[str, Node], ...]:
    items = doc.get(DESTINATIONS)
    found: list[tuple[str, Node]] = []
    if isinstance(items, list):
        for index, item in enumerate(items):
            sink = item.get("sink_type") if isinstance(item, dict) else None
            if isinstance(sink, str):
                found.append((sink, doc.node(DESTINATIONS).child(index, "sink_type")))
    return tuple(found)


def product(doc: Document) -> Product:
    items = doc.get(TRANSFORMS)
    transforms: list[Transform] = []
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                at, name_at, compute_at = transform_pointers(TRANSFORMS, index, "name")
                transforms.append(
                    Transform(
                        index,
                        item,
                        Node(doc, at),
                        _text(item.get("name")),
                        Node(doc, name_at),
                        Node(doc, compute_at),
                        identity_key="name",
                    )
                )
    return Product(
        doc=doc,
        node=doc.node(),
        name=_text(doc.get(NAME)),
        platform_ref=_text(doc.get(PLATFORM)),
        platform_node=doc.node(PLATFORM),
        transforms=tuple(transforms),
        name_node=doc.node(NAME),
        platform_key="platform.manifest",
        platform_optional=True,
        forbidden=tuple(forbidden_keys(doc.node())),
        sinks=_sinks(doc),
        environment_blocks=(),
    )
