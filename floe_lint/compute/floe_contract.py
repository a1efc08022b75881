"""Upstream Floe's `CompiledArtifacts` contract (floe-core 0.1.0a1, contract 0.16.0), written for
a product in upstream's code dialect, so that what runs after `floe platform compile` (its
orchestrator, its dbt job pods) reads what `floe-lint compile` writes.

The shape is read from floe-core's models (schemas/compiled_artifacts.py, telemetry/config.py)
and its compile (compilation/builder.py, resolver.py, dbt_profiles.py); the test suite validates
every file written here with floe-core's own `CompiledArtifacts` and compares it with what the
published `floe platform compile` writes for the same inputs. Plain data, serialized by `json`:
nothing here imports pydantic.

Where floe-lint knows more than upstream's compile, it says so in the contract's own fields: a
hierarchy's manifests are the `inheritance_chain` (mode `mesh`, the product's domain in its
identity) and governance is merged down the chain (each field from the nearest level that sets
it). Output is deterministic: `compiled_at` is `SOURCE_DATE_EPOCH` (the reproducible-builds
convention), else the epoch; `source_hash` hashes the floe.yaml and its platform manifest, as
upstream does.
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime
from typing import Any

from floe_lint.compute.floe_enforcement import enforcement_result
from floe_lint.compute.floe_quality import quality_config
from floe_lint.load.document import Document
from floe_lint.load.lax import read_as
from floe_lint.model.level import Level

#: floe-core 0.1.0a1's COMPILED_ARTIFACTS_VERSION and FLOE_VERSION
CONTRACT_VERSION = "0.16.0"
FLOE_VERSION = "0.3.0"
#: the environments upstream renders a dbt output for; the target is the environment's name
ENVIRONMENTS = ("dev",)
DEFAULT_PLUGIN_VERSION = "0.0.0"
DEFAULT_THREADS = 4
DEFAULT_TIMEOUT_SECONDS = 3600
#: categories of upstream's ResolvedPlugins -> the manifest's plugins key
PLUGIN_CATEGORIES = (
    ("compute", "compute"),
    ("orchestrator", "orchestrator"),
    ("catalog", "catalog"),
    ("storage", "storage"),
    ("ingestion", "ingestion"),
    ("semantic", "semantic_layer"),
    ("lineage_backend", "lineage_backend"),
    ("secrets", "secrets"),
    ("identity", "identity"),
)
GOVERNANCE_FIELDS = (
    "pii_encryption",
    "audit_logging",
    "policy_enforcement_level",
    "data_retention_days",
    "default_ttl_hours",
    "snapshot_keep_last",
    "stale_table_recovery_mode",
)
#: credential-like plugin config keys (normalized: lower case, letters and digits only) that
#: upstream leaves out of the artifacts' copy of a plugin's config
_SECRET_CONFIG_KEYS = frozenset(
    {
        "accesskey",
        "apikey",
        "apitoken",
        "bearertoken",
        "clientsecret",
        "clienttoken",
        "password",
        "privatekey",
        "refreshtoken",
        "secret",
        "secretaccesskey",
        "secretkey",
        "token",
    }
)
_WHOLE_NUMBERS = ("data_retention_days", "default_ttl_hours", "snapshot_keep_last")
_SLUG_UNSAFE = re.compile(r"[^a-zA-Z0-9_]+")


def product_slug(name: str) -> str:
    """A file- and dbt-safe form of a product name (upstream's `{product_slug}`)."""
    return _SLUG_UNSAFE.sub("_", name).strip("_") or "product"


def expand_placeholders(value: Any, product: str) -> Any:
    """`{product_name}` and `{product_slug}` in every string of a plugin config."""
    if isinstance(value, str):
        return value.replace("{product_name}", product).replace(
            "{product_slug}", product_slug(product)
        )
    if isinstance(value, list):
        return [expand_placeholders(item, product) for item in value]
    if isinstance(value, dict):
        return {key: expand_placeholders(item, product) for key, item in value.items()}
    return value


def _sanitized(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            str(key): _sanitized(child)
            for key, child in value.items()
            if re.sub(r"[^a-z0-9]", "", str(key).lower()) not in _SECRET_CONFIG_KEYS
        }
    if isinstance(value, list):
        return [_sanitized(child) for child in value]
    return value


def chain(level: Level) -> list[Level]:
    """The platform's levels, the product's own platform first."""
    levels: list[Level] = []
    current: Level | None = level
    while current is not None and current not in levels:
        levels.append(current)
        current = current.parent
    return levels


def selection(level: Level, category: str) -> dict[str, Any] | None:
    """The plugin a level selects in `category`, or the nearest ancestor's."""
    for current in chain(level):
        value = current.doc.get(f"/plugins/{category}")
        if isinstance(value, dict):
            return value
    return None


def plugin_ref(selected: dict[str, Any] | None) -> dict[str, Any] | None:
    if selected is None:
        return None
    config = selected.get("config")
    return {
        "type": selected.get("type"),
        "version": selected.get("version") or DEFAULT_PLUGIN_VERSION,
        "config": _sanitized(config) if isinstance(config, dict) else None,
    }


def default_compute(level: Level) -> str | None:
    """`defaults.compute`, else the compute plugin's type (upstream's resolver), down the chain."""
    for current in chain(level):
        defaults = current.doc.get("/defaults")
        if isinstance(defaults, dict) and isinstance(defaults.get("compute"), str):
            return str(defaults["compute"])
        compute = current.doc.get("/plugins/compute")
        if isinstance(compute, dict) and isinstance(compute.get("type"), str):
            return str(compute["type"])
    return None


def governance(level: Level) -> dict[str, Any] | None:
    """Each governance field from the nearest level that sets it; None when no level has any."""
    blocks = [g for c in chain(level) if isinstance(g := c.doc.get("/governance"), dict)]
    if not blocks:
        return None
    found = {
        name: next((b[name] for b in blocks if b.get(name) is not None), None)
        for name in GOVERNANCE_FIELDS
    }
    for name in _WHOLE_NUMBERS:  # as floe-core's lax mode reads them ("30" is 30)
        ok, read = read_as(found[name], "integer") if found[name] is not None else (False, None)
        found[name] = read if ok else found[name]
    return found


def compute_config(selected: dict[str, Any], product: str) -> tuple[int, int, dict[str, Any]]:
    """(threads, timeout_seconds, connection settings) as upstream hands them to a plugin."""
    config = selected.get("config")
    expanded = expand_placeholders(dict(config) if isinstance(config, dict) else {}, product)
    threads = expanded.pop("threads", DEFAULT_THREADS)
    timeout = expanded.pop("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
    return threads, timeout, expanded


def _compiled_at() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else 0
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None).isoformat()


def source_hash(product: Document, platform: Document) -> str:
    digest = hashlib.sha256(product.text.encode("utf-8"))
    digest.update(platform.text.encode("utf-8"))
    return f"sha256:{digest.hexdigest()}"


def _quality_checks(item: dict[str, Any]) -> list[dict[str, Any]] | None:
    checks = item.get("qualityChecks", item.get("quality_checks"))
    if not isinstance(checks, list) or not checks:
        return None
    return [
        {
            "name": check.get("name"),
            "type": check.get("type"),
            "column": check.get("column"),
            "dimension": check.get("dimension"),
            "severity": check.get("severity", "warning"),
            "custom_weight": check.get("custom_weight"),
            "parameters": check.get("parameters") or {},
            "enabled": check.get("enabled", True),
        }
        for check in checks
        if isinstance(check, dict)
    ]


def models(product: Document, default: str) -> list[dict[str, Any]]:
    items = product.get("/transforms")
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        depends = item.get("dependsOn", item.get("depends_on"))
        found.append(
            {
                "name": item.get("name"),
                "compute": item.get("compute") or default,
                "tags": item.get("tags"),
                "depends_on": depends,
                "quality_checks": _quality_checks(item),
                "quality_tier": item.get("tier"),
            }
        )
    return found


def ingestion_outputs(product: Document) -> list[dict[str, Any]]:
    sources = product.get("/ingestion/sources")
    outputs = []
    for source in sources if isinstance(sources, list) else []:
        if not isinstance(source, dict):
            continue

        def field(camel: str, snake: str, default: Any = None, of: dict[str, Any] = source) -> Any:
            return of.get(camel, of.get(snake, default))

        table = field("destinationTable", "destination_table")
        cursor = field("cursorField", "cursor_field")
        outputs.append(
            {
                "source_name": source.get("name"),
                "source_type": field("sourceType", "source_type"),
                "logical_table": table,
                "physical_table": table,
                "file_format": source.get("format"),
                "source_path": source.get("path"),
                "write_mode": field("writeMode", "write_mode", "append"),
                "schema_contract": field("schemaContract", "schema_contract", "evolve"),
                "freshness_field": cursor or "_loaded_at",
                "primary_key": field("primaryKey", "primary_key"),
                "cursor_field": cursor,
                "quality_tier": "bronze",
            }
        )
    return outputs


def observability(platform: Level, name: str, version: str) -> dict[str, Any]:
    """Telemetry as upstream's builder sets it (its defaults, the manifest's endpoints)."""
    configured = platform.doc.get("/observability")
    manifest = configured if isinstance(configured, dict) else None
    tracing = manifest.get("tracing") if manifest else None
    endpoint = tracing.get("endpoint") if isinstance(tracing, dict) else None
    lineage: dict[str, Any] = {"lineage": True, "lineage_endpoint": None, "lineage_transport": None}
    if manifest is not None:
        settings = manifest.get("lineage")
        settings = settings if isinstance(settings, dict) else {}
        lineage = {
            "lineage": settings.get("enabled", True),
            "lineage_endpoint": settings.get("endpoint"),
            "lineage_transport": settings.get("transport", "http"),
        }
    return {
        "telemetry": {
            "enabled": True,
            "otlp_endpoint": endpoint or "http://localhost:4317",
            "otlp_protocol": "grpc",
            "sampling": {"dev": 1.0, "staging": 0.5, "prod": 0.1},
            "resource_attributes": {
                "service_name": name,
                "service_version": version,
                "deployment_environment": "dev",
                "floe_namespace": "default",
                "floe_product_name": name,
                "floe_product_version": version,
                "floe_mode": "dev",
            },
            "authentication": None,
            "batch_processor": {
                "max_queue_size": 2048,
                "max_export_batch_size": 512,
                "schedule_delay_millis": 5000,
                "export_timeout_millis": 30000,
            },
            "logging": {"log_level": "INFO", "json_output": True},
            "backend": "console",
        },
        "lineage": lineage["lineage"],
        "lineage_namespace": name,
        "lineage_endpoint": lineage["lineage_endpoint"],
        "lineage_transport": lineage["lineage_transport"],
    }


def lineage_of(platform: Level, product_ref: str) -> tuple[str, list[dict[str, Any]], str]:
    """(mode, inheritance chain from the enterprise down, domain) of the product's platform."""
    levels = chain(platform)
    if len(levels) == 1 and levels[0].scope is None:
        return "simple", [], "default"
    refs: list[dict[str, Any]] = []
    ref = product_ref
    for level in levels:
        if level.scope in ("enterprise", "domain"):
            refs.append(
                {
                    "name": level.doc.get("/metadata/name"),
                    "version": level.doc.get("/metadata/version"),
                    "scope": level.scope,
                    "ref": ref,
                }
            )
        parent = level.doc.get("/parent_manifest")
        ref = parent if isinstance(parent, str) else ref
    domain = next((r["name"] for r in refs if r["scope"] == "domain"), None)
    return "mesh", list(reversed(refs)), domain if isinstance(domain, str) else "default"


def artifacts(
    product: Document,
    platform: Level,
    product_ref: str,
    dbt_profiles: dict[str, Any],
    deployment: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The CompiledArtifacts document of a product whose profiles are already rendered
    (`deployment`: the storage and catalog bindings, see `floe_deployment`)."""
    name = str(product.get("/metadata/name"))
    version = str(product.get("/metadata/version"))
    default = default_compute(platform) or ""
    mode, inheritance, domain = lineage_of(platform, product_ref)
    return {
        "version": CONTRACT_VERSION,
        "metadata": {
            "compiled_at": _compiled_at(),
            "floe_version": FLOE_VERSION,
            "source_hash": source_hash(product, platform.doc),
            "product_name": name,
            "product_version": version,
        },
        "identity": {
            "product_id": f"{domain}.{name.replace('-', '_')}",
            "domain": domain,
            "repository": "",
            "namespace_registered": False,
            "registration_timestamp": None,
        },
        "mode": mode,
        "inheritance_chain": inheritance,
        "observability": observability(platform, name, version),
        "plugins": {
            key: plugin_ref(selection(platform, category)) for key, category in PLUGIN_CATEGORIES
        },
        "deployment": deployment,
        "ingestion_outputs": ingestion_outputs(product),
        "transforms": {"models": models(product, default), "default_compute": default},
        "dbt_profiles": dbt_profiles,
        "governance": governance(platform),
        "enforcement_result": enforcement_result(platform.doc, product),
        "data_contracts": [],
        "quality_config": quality_config(selection(platform, "quality")),
    }
