"""The published floe-core as an oracle: what upstream's own loaders accept, and floe-lint's
verdict on the same file.

Upstream's `floe platform compile` reads a file with `yaml.safe_load` and validates it with
`PlatformManifest` or `FloeSpec` (floe_core/compilation/loader.py); `upstream_refusal` does
exactly that, with the real models. The mutation strategies make documents the way users
break them: keys added and removed, types changed, names cased, environment blocks,
approved_plugins in the wrong place, governance out of range.
"""

from __future__ import annotations

import copy
import datetime
import io
import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from floe_lint.cli import main

#: Findings that are schema errors: the file is not what the schema describes.
SCHEMA_RULES = frozenset(
    {
        "FL001",
        "FL002",
        "FL003",
        "FL004",
        "FL101",
        "FL102",
        "FL103",
        "FL104",
        "FL105",
        "FL106",
        "FL108",
        "FL109",  # duplicate-name: floe-core's models refuse a repeated name
    }
)
#: The warning that names what upstream refuses where floe-lint deliberately accepts it.
UPSTREAM_REFUSES = "FL701"


def upstream_refusal(path: Path) -> str | None:
    """None when floe-core loads the file as its compile does; else why it refuses it."""
    from floe_core.schemas.floe_spec import FloeSpec
    from floe_core.schemas.manifest import PlatformManifest
    from pydantic import ValidationError

    text = path.read_text("utf-8")
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError) as error:  # ValueError: a date that does not exist
        return f"yaml: {str(error).splitlines()[0]}"
    model = FloeSpec if path.name.startswith("floe") else PlatformManifest
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown manifest keys: a warning upstream too
            model.model_validate(data if data is not None else {})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{model.__name__}: {where}: {first['msg']}"
    except (ValueError, TypeError) as error:  # a model validator's own error
        return f"{model.__name__}: {error}"
    return None


@dataclass(frozen=True)
class Verdict:
    findings: list[dict[str, Any]]

    def on(self, path: Path) -> list[dict[str, Any]]:
        return [f for f in self.findings if Path(f["file"]).resolve() == path.resolve()]

    def schema_errors(self, path: Path) -> list[dict[str, Any]]:
        return [f for f in self.on(path) if f["rule"] in SCHEMA_RULES and f["severity"] == "error"]

    def reports(self, path: Path) -> bool:
        """An error on the file, or the warning that names upstream's refusal."""
        return any(f["severity"] == "error" or f["rule"] == UPSTREAM_REFUSES for f in self.on(path))


def floe_lint(path: Path) -> Verdict:
    out, err = io.StringIO(), io.StringIO()
    main(
        ["check", str(path), "--format", "json", "--no-dependents", "--offline"],
        out,
        err,
    )
    if not out.getvalue():
        raise AssertionError(f"floe-lint wrote no report for {path}: {err.getvalue()}")
    return Verdict(json.loads(out.getvalue())["findings"])


# --- documents and their mutations ---------------------------------------------------------

MANIFEST: dict[str, Any] = {
    "apiVersion": "floe.dev/v1",
    "kind": "Manifest",
    "metadata": {"name": "acme-platform", "version": "1.0.0", "owner": "platform@acme.example"},
    "plugins": {
        "compute": {"type": "duckdb", "config": {"path": "acme.duckdb", "threads": 2}},
        "orchestrator": {"type": "dagster"},
        "catalog": {"type": "polaris", "connection_secret_ref": "polaris-credentials"},
    },
    "defaults": {"compute": "duckdb"},
    "governance": {
        "pii_encryption": "required",
        "audit_logging": "enabled",
        "policy_enforcement_level": "warn",
        "data_retention_days": 90,
        "quality_gates": {"minimum_test_coverage": 80, "require_descriptions": False},
        "naming": {"enforcement": "warn", "pattern": "medallion"},
    },
    "observability": {
        "tracing": {"enabled": True, "exporter": "otlp"},
        "lineage": {"enabled": True, "transport": "http"},
        "logging": {"level": "INFO", "format": "json"},
    },
    "artifacts": {
        "registry": {"uri": "oci://registry.acme.example/floe", "auth": {"type": "aws-irsa"}}
    },
    "resource_presets": {
        "small": {
            "requests": {"cpu": "250m", "memory": "512Mi"},
            "limits": {"cpu": "1", "memory": "1Gi"},
        }
    },
}
ENTERPRISE: dict[str, Any] = {
    **copy.deepcopy(MANIFEST),
    "scope": "enterprise",
    "approved_plugins": {"compute": ["duckdb", "spark"], "orchestrator": ["dagster"]},
    "approved_sinks": ["rest_api"],
}
DOMAIN: dict[str, Any] = {
    "apiVersion": "floe.dev/v1",
    "kind": "Manifest",
    "metadata": {"name": "sales", "version": "1.0.0", "owner": "sales@acme.example"},
    "scope": "domain",
    "parent_manifest": "../enterprise/manifest.yaml",
    "plugins": {"compute": {"type": "duckdb"}},
    "approved_products": ["orders"],
}
PRODUCT: dict[str, Any] = {
    "apiVersion": "floe.dev/v1",
    "kind": "FloeSpec",
    "metadata": {"name": "orders", "version": "1.0.0", "owner": "sales@acme.example"},
    "platform": {"manifest": "manifest.yaml"},
    "transforms": [
        {"name": "stg_orders", "tags": ["staging"], "tier": "bronze"},
        {
            "name": "fct_orders",
            "compute": "duckdb",
            "dependsOn": ["stg_orders"],
            "qualityChecks": [
                {
                    "name": "id_not_null",
                    "type": "not_null",
                    "column": "id",
                    "dimension": "completeness",
                }
            ],
        },
    ],
    "schedule": {"cron": "0 6 * * *", "timezone": "UTC", "enabled": True},
    "destinations": [
        {
            "name": "crm",
            "sink_type": "rest_api",
            "connection_secret_ref": "crm-key",
            "batch_size": 100,
        }
    ],
    "ingestion": {
        "sources": [
            {
                "name": "raw-orders",
                "sourceType": "filesystem",
                "format": "csv",
                "path": "data/orders.csv",
                "destinationTable": "raw.orders",
            }
        ]
    },
}

KEYS = (
    "name",
    "type",
    "version",
    "owner",
    "config",
    "compute",
    "tags",
    "tier",
    "scope",
    "description",
    "governance",
    "defaults",
    "approved_plugins",
    "approved_products",
    "approved_sinks",
    "parent_manifest",
    "artifacts",
    "registry",
    "auth",
    "uri",
    "env",
    "prod",
    "environments",
    "host",
    "schema",
    "password",
    "endpoint",
    "labels",
    "dependsOn",
    "depends_on",
    "enabled",
    "cron",
    "timezone",
    "data_retention_days",
    "minimum_test_coverage",
    "pii_encryption",
    "naming",
    "quality_gates",
    "sources",
    "format",
    "path",
    "extra_key",
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(
        [
            -1,
            0,
            1,
            7,
            100,
            150,
            1.5,
            "",
            "duckdb",
            "Duckdb",
            "SPARK",
            "1.0.0",
            "1.0",
            "required",
            "optional",
            "strict",
            "warn",
            "off",
            "enabled",
            "yes",
            "30",
            "oci://registry.acme.example/floe",
            "http://x",
            "bronze",
            "Gold",
            "{{ env_var('X') }}",
            "a b",
            "raw.orders",
            "enterprise",
            "domain",
            "1.0.0\n",
            "duckdb\n",
            # what yaml.safe_dump writes as a timestamp, !!binary and !!set
            datetime.date(2024, 1, 1),
            datetime.datetime(2024, 1, 1, 6, 0),
            b"1.0.0",
            b"\xff",
            {"duckdb"},
        ]
    ),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=2),
    st.dictionaries(st.sampled_from(KEYS), SCALARS, max_size=2),
)


def _places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a node (the root included)."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*path, index))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _at(data, path[:-1])[path[-1]] = value
    return data


def _laxable(value: Any) -> bool:
    return isinstance(value, bool | int | float)


def _lax_forms(value: Any) -> list[Any]:
    """Other ways of writing `value` that pydantic's lax mode may read as it (or not: a
    fraction for an integer, 2 for a boolean), as users write them."""
    if isinstance(value, bool):
        word = "true" if value else "false"
        return [
            word,
            word.title(),
            "yes" if value else "no",
            "on" if value else "off",
            int(value),
            float(value),
            str(int(value)),
            "y" if value else "n",
            2,
            "maybe",
        ]
    if isinstance(value, int):
        return [
            str(value),
            f" {value} ",
            f"{value}.0",
            float(value),
            f"+{value}",
            value + 0.5,
            f"{value:_}" if value < 1000 else f"{value // 1000}_{value % 1000:03}",
            f"0{value}",
            True,
            False,
            f"{value}e0",
            "ten",
        ]
    return [str(value), f"{value}e0", True, int(value), "inf", "nan", "1,5"]


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """`base` after one to three mutations of the kinds users make."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        places = _places(data)
        kind = draw(
            st.sampled_from(
                [
                    "add",
                    "remove",
                    "retype",
                    "case",
                    "environment",
                    "approved",
                    "governance",
                    "lax",
                    "repeat",
                ]
            )
        )
        if kind == "repeat":  # an entry of a list written twice: floe-core keys them by name
            lists = [p for p in places if isinstance(_at(data, p), list) and _at(data, p)]
            if lists:
                items = _at(data, draw(st.sampled_from(lists)))
                items.append(copy.deepcopy(draw(st.sampled_from(items))))
        elif kind == "lax":
            scalars = [p for p in places if p and _laxable(_at(data, p))]
            if scalars:
                path = draw(st.sampled_from(scalars))
                data = _set(data, path, draw(st.sampled_from(_lax_forms(_at(data, path)))))
        elif kind == "add":
            mappings = [p for p in places if isinstance(_at(data, p), dict)]
            target = _at(data, draw(st.sampled_from(mappings)))
            target[draw(st.sampled_from(KEYS))] = draw(VALUES)
        elif kind == "remove":
            keyed = [p for p in places if p and isinstance(_at(data, p[:-1]), dict)]
            if keyed:
                path = draw(st.sampled_from(keyed))
                del _at(data, path[:-1])[path[-1]]
        elif kind == "retype":
            path = draw(st.sampled_from([p for p in places if p]))
            data = _set(data, path, draw(VALUES))
        elif kind == "case":
            path = draw(st.sampled_from([p for p in places if p]))
            value = _at(data, path)
            parent = _at(data, path[:-1])
            if isinstance(value, str):
                _set(data, path, draw(st.sampled_from([value.upper(), value.title()])))
            elif isinstance(parent, dict) and isinstance(path[-1], str):
                parent[draw(st.sampled_from([path[-1].upper(), path[-1].title()]))] = parent.pop(
                    path[-1]
                )
        elif kind == "environment":
            key = draw(st.sampled_from(["env", "prod", "environments", "env_overrides", "dev"]))
            data[key] = {"plugins": {"compute": {"type": "spark"}}}
        elif kind == "approved":
            data["approved_plugins"] = draw(
                st.one_of(
                    st.none(),
                    st.just({"compute": ["duckdb"]}),
                    st.just({"compute": "duckdb"}),
                    st.just({"compute": [1]}),
                )
            )
        else:
            governance = data.setdefault("governance", {})
            if not isinstance(governance, dict):
                governance = data["governance"] = {}
            field = draw(
                st.sampled_from(
                    [
                        "data_retention_days",
                        "default_ttl_hours",
                        "snapshot_keep_last",
                        "pii_encryption",
                        "policy_enforcement_level",
                        "quality_gates",
                        "naming",
                    ]
                )
            )
            if field == "quality_gates":
                governance[field] = {
                    "minimum_test_coverage": draw(st.sampled_from([-1, 0, 50, 100, 101, 150]))
                }
            elif field == "naming":
                governance[field] = draw(
                    st.sampled_from(
                        [
                            {"enforcement": "strict"},
                            {"pattern": "custom"},
                            {"enforcement": "loud"},
                            None,
                        ]
                    )
                )
            else:
                governance[field] = draw(SCALARS)
    return data


def write(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path
