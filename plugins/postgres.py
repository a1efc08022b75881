"""PostgreSQL: operational analytics on a Postgres server (dbt-postgres).

Connection details that differ per environment (host, port) may come from the environment
when the manifest leaves them out; the user and password always do.
"""

from __future__ import annotations

import os

from floe_lint.api import (
    REMOTE_RESOURCES,
    SECRET,
    ComputeConfig,
    ComputePlugin,
    ConnectionResult,
    PluginError,
    config_schema,
    copied,
    from_environment,
    profile_schema,
    resolve_env,
    timed,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class PostgresPlugin(ComputePlugin):
    name = "postgres"
    version = "1.0.0"
    is_self_hosted = True
    config_schema = config_schema(
        "PostgreSQL compute config",
        {
            "host": from_environment("postgres", "host", {"type": "string", "minLength": 1}),
            "port": {
                "type": "integer",
                "description": "Absent: the environment variable POSTGRES_PORT (PREFIX_PORT "
                "with env_prefix), else 5432.",
            },
            "dbname": from_environment("postgres", "dbname", {"type": "string", "minLength": 1}),
            "schema": {"type": "string", "minLength": 1},
            "user": SECRET,
            "password": SECRET,
            "sslmode": {
                "enum": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
            },
            "connect_timeout": {"type": "integer"},
            "search_path": {"type": "string"},
        },
    )
    profile_schema = profile_schema(
        "postgres",
        {
            "host": {"type": "string", "minLength": 1},
            "port": {"type": ["integer", "string"]},
            "user": SECRET,
            "password": SECRET,
            "dbname": {"type": "string", "minLength": 1},
            "schema": {"type": "string", "minLength": 1},
            "sslmode": {"type": "string"},
            "connect_timeout": {"type": "integer"},
            "search_path": {"type": "string"},
        },
        ("host", "port", "user", "password", "dbname", "schema"),
    )
    # Remote to the pod, like the cloud warehouses.
    resources = REMOTE_RESOURCES

    def generate_dbt_profile(self, config: ComputeConfig) -> dict[str, Any]:
        props = config.properties
        prefix = self.env_prefix(config)
        profile: dict[str, Any] = {
            "type": "postgres",
            "host": self.setting(config, "host"),
            "port": props.get("port") or f"{{{{ env_var('{prefix}PORT', '5432') | as_number }}}}",
            "user": self.secret(config, "user"),
            "password": self.secret(config, "password"),
            "dbname": self.setting(config, "dbname"),
            "schema": props.get("schema", "public"),
            "threads": props.get("threads", 4),
        }
        profile.update(copied(props, "sslmode", "connect_timeout", "search_path"))
        return profile

    def get_required_dbt_packages(self) -> list[str]:
        return ["dbt-postgres>=1.9"]

    def validate_connection(self, config: ComputeConfig) -> ConnectionResult:
        profile = self.generate_dbt_profile(config)
        try:
            params = {
                key: resolve_env(profile[key], os.environ)
                for key in ("host", "port", "user", "password", "dbname")
            }
        except PluginError as error:
            return ConnectionResult(False, f"not checked: {error}", checked=False)
        try:
            import psycopg2  # type: ignore[import-untyped, unused-ignore]
        except ImportError:
            return ConnectionResult(
                False,
                "not checked: needs driver psycopg2 (pip install dbt-postgres)",
                checked=False,
            )

        def check() -> str:
            with (
                psycopg2.connect(
                    connect_timeout=int(profile.get("connect_timeout", 5)), **params
                ) as connection,
                connection.cursor() as cursor,
            ):
                cursor.execute("show server_version")
                row = cursor.fetchone()
            connection.close()
            version = row[0] if row else "?"
            return f"PostgreSQL {version} at {params['host']}:{params['port']}/{params['dbname']}"

        return timed(check)


PLUGIN = PostgresPlugin()
