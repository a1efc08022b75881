"""DuckDB: embedded analytics, run inside the dbt pod itself (dbt-duckdb)."""

from __future__ import annotations

import os
from pathlib import Path

from floe_lint.api import (
    ComputeConfig,
    ComputePlugin,
    ConnectionResult,
    PluginError,
    ResourceSpec,
    config_schema,
    profile_schema,
    resolve_env,
    sized,
    timed,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_PATH = "/data/warehouse.duckdb"


class DuckDBPlugin(ComputePlugin):
    name = "duckdb"
    version = "1.0.0"
    is_self_hosted = True
    timeout_key = "timeout_seconds"
    config_schema = config_schema(
        "DuckDB compute config",
        {
            "path": {"type": "string", "minLength": 1, "description": "Database file."},
            "memory_limit": {
                "type": "string",
                "pattern": r"^[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
                "description": "a size such as 4GB or 512MiB: DuckDB's memory_limit setting",
            },
            "extensions": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "settings": {"type": "object", "description": "Other DuckDB settings."},
            "schema": {"type": "string", "minLength": 1},
        },
    )
    profile_schema = profile_schema(
        "duckdb",
        {
            "path": {"type": "string"},
            "schema": {"type": "string"},
            "extensions": {"type": "array", "items": {"type": "string"}},
            "settings": {"type": "object"},
        },
        ("path",),
    )
    # Embedded: the pod is the engine, so it gets the memory DuckDB is allowed to use.
    resources = sized(
        ResourceSpec("500m", "1000m", "1Gi", "2Gi"),
        ResourceSpec("1000m", "2000m", "2Gi", "4Gi"),
        ResourceSpec("2000m", "4000m", "4Gi", "8Gi"),
    )

    def generate_dbt_profile(self, config: ComputeConfig) -> dict[str, Any]:
        props = config.properties
        profile: dict[str, Any] = {
            "type": "duckdb",
            "path": props.get("path", DEFAULT_PATH),
            "threads": props.get("threads", 4),
        }
        if "schema" in props:
            profile["schema"] = props["schema"]
        if props.get("extensions"):
            profile["extensions"] = list(props["extensions"])
        settings = dict(props.get("settings", {}))
        if "memory_limit" in props:
            settings["memory_limit"] = props["memory_limit"]
        if settings:
            profile["settings"] = settings
        return profile

    def get_required_dbt_packages(self) -> list[str]:
        return ["dbt-duckdb>=1.9"]

    def validate_connection(self, config: ComputeConfig) -> ConnectionResult:
        if "path" not in config.properties and not Path(DEFAULT_PATH).parent.is_dir():
            # The default is where the pod mounts its volume; nobody asked for it here.
            return ConnectionResult(
                False,
                f"not checked: no path configured; dbt uses {DEFAULT_PATH} in the pod, whose "
                "folder this machine does not have; set 'path' in the config to check a file",
                checked=False,
            )
        try:
            path = str(resolve_env(config.properties.get("path", DEFAULT_PATH), os.environ))
        except PluginError as error:
            return ConnectionResult(False, str(error), checked=False)
        try:
            import duckdb
        except ImportError:
            return ConnectionResult(
                False, "not checked: needs driver duckdb (pip install dbt-duckdb)", checked=False
            )

        def check() -> str:
            exists = path == ":memory:" or Path(path).exists()
            target = path if exists else ":memory:"
            with duckdb.connect(target, read_only=exists and target != ":memory:") as con:
                row = con.execute("select version()").fetchone()
            version = row[0] if row else "?"
            if exists:
                return f"duckdb {version}: opened {path}"
            if not Path(path).parent.exists():
                raise PluginError(f"folder of {path} does not exist")
            return f"duckdb {version}: {path} does not exist yet; dbt creates it"

        return timed(check)


PLUGIN = DuckDBPlugin()
