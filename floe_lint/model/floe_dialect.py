"""Upstream Floe's code dialect: which documents are written in it, and what they say.

ADR-0010 writes a level's computes as an approved list; upstream Floe's code writes one
selection per plugin category (`plugins.compute: {type, ...}`), an enterprise whitelist in
`approved_plugins`, a default in `defaults.compute`, products under `platform.manifest` and
transforms by dbt model `name`. This module reads those documents into plain facts with the
JSON pointer of every node they came from; the model turns the facts into levels and products.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from floe_lint.load import pointer as ptr

#: upstream's closed set of plugin categories (`plugins.py`); `quality` has a `provider`
CATEGORIES = (
    "compute",
    "orchestrator",
    "catalog",
    "storage",
    "semantic_layer",
    "ingestion",
    "secrets",
    "telemetry_backend",
    "lineage_backend",
    "identity",
    "dbt",
    "quality",
)
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
#: connection and credential keys that must never appear in a floe.yaml (compared lowercased)
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
#: top-level manifest keys upstream defines; any other is allowed with a warning
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
#: keys that only one scope may carry: key -> the scope upstream allows it on
SCOPED_KEYS: dict[str, str] = {
    "approved_plugins": "enterprise",
    "approved_sinks": "enterprise",
    "approved_products": "domain",
}

# --- what a code-dialect document says ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Selection:
    """`plugins.<category>: {type, ...}` (`provider` for quality)."""

    category: str
    type: str
    pointer: str
    config: dict[str, Any]
    connection_secret_ref: str | None

    @property
    def type_pointer(self) -> str:
        key = "provider" if self.category == "quality" else "type"
        return ptr.join(self.pointer, key)


def selections(data: dict[str, Any]) -> list[Selection]:
    plugins = data.get("plugins")
    found: list[Selection] = []
    if not isinstance(plugins, dict):
        return found
    for category, value in plugins.items():
        if not isinstance(value, dict):
            continue
        name = value.get("provider" if category == "quality" else "type")
        if not isinstance(name, str) or not name.strip():
            continue
        config = value.get("config")
        secret = value.get("connection_secret_ref")
        found.append(
            Selection(
                str(category),
                name.strip(),
                ptr.join("/plugins", str(category)),
                config if isinstance(config, dict) else {},
                secret if isinstance(secret, str) else None,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class Whitelist:
    """`approved_plugins.<category>` of an enterprise."""

    category: str
    names: tuple[str, ...]
    pointer: str


def whitelists(data: dict[str, Any]) -> dict[str, Whitelist]:
    approved = data.get("approved_plugins")
    found: dict[str, Whitelist] = {}
    if isinstance(approved, dict):
        for category, names in approved.items():
            if isinstance(names, list):
                found[str(category)] = Whitelist(
                    str(category),
                    tuple(n for n in names if isinstance(n, str)),
                    ptr.join("/approved_plugins", str(category)),
                )
    return found


def environment_keys(data: dict[str, Any]) -> list[str]:
    return [f"/{k}" for k in data if isinstance(k, str) and k in ENVIRONMENT_KEYS]


def unknown_keys(data: dict[str, Any]) -> list[str]:
    return [
        ptr.join("", str(k))
        for k in data
        if not (isinstance(k, str) and (k in MANIFEST_KEYS or k in ENVIRONMENT_KEYS))
    ]


def misplaced_keys(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(pointer, the scope it belongs to) of each whitelist on a level of another scope."""
    scope = data.get("scope")
    return [
        (f"/{key}", allowed)
        for key, allowed in SCOPED_KEYS.items()
        if data.get(key) is not None and scope != allowed
    ]


@dataclass(frozen=True, slots=True)
class ForbiddenKey:
    pointer: str
    key: str


def _is_port_schema(pointer: str) -> bool:
    """`outputPorts[i].schema` is an output port's column list, not a database schema.

    (Upstream's own check rejects it too, which makes every output port invalid there.)
    """
    parts = pointer.split("/")
    return len(parts) == 4 and parts[1] in ("outputPorts", "output_ports") and parts[3] == "schema"


def forbidden_keys(value: Any, pointer: str = "") -> Iterator[ForbiddenKey]:
    """Every connection or credential key anywhere in a product, in document order."""
    if isinstance(value, dict):
        for key, child in value.items():
            child_pointer = ptr.join(pointer, str(key))
            if str(key).lower() in PRODUCT_FORBIDDEN_KEYS and not _is_port_schema(child_pointer):
                yield ForbiddenKey(child_pointer, str(key))
            yield from forbidden_keys(child, child_pointer)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from forbidden_keys(child, ptr.join(pointer, index))
