"""Databricks: a SQL warehouse or cluster reached over HTTP (dbt-databricks)."""

from __future__ import annotations

from floe_lint.api import (
    REMOTE_RESOURCES,
    SECRET,
    ComputeConfig,
    ComputePlugin,
    ConnectionResult,
    config_schema,
    copied,
    from_environment,
    not_checked,
    profile_schema,
    shown,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class DatabricksPlugin(ComputePlugin):
    name = "databricks"
    version = "1.0.0"
    is_self_hosted = False
    config_schema = config_schema(
        "Databricks compute config",
        {
            "host": from_environment(
                "databricks",
                "host",
                {"type": "string", "minLength": 1, "description": "Workspace host name."},
            ),
            "http_path": from_environment(
                "databricks",
                "http_path",
                {"type": "string", "minLength": 1, "description": "Warehouse path."},
            ),
            "catalog": {"type": "string", "minLength": 1},
            "schema": {"type": "string", "minLength": 1},
            "auth_type": {"enum": ["token", "oauth"]},
            "token": SECRET,
            "client_id": SECRET,
            "client_secret": SECRET,
            "connect_retries": {"type": "integer"},
            "connect_timeout": {"type": "integer"},
        },
    )
    profile_schema = profile_schema(
        "databricks",
        {
            "host": {"type": "string", "minLength": 1},
            "http_path": {"type": "string", "minLength": 1},
            "catalog": {"type": "string"},
            "schema": {"type": "string", "minLength": 1},
            "token": SECRET,
            "auth_type": {"const": "oauth"},
            "client_id": SECRET,
            "client_secret": SECRET,
            "connect_retries": {"type": "integer"},
            "connect_timeout": {"type": "integer"},
        },
        ("host", "http_path", "schema"),
    )
    resources = REMOTE_RESOURCES

    def generate_dbt_profile(self, config: ComputeConfig) -> dict[str, Any]:
        props = config.properties
        profile: dict[str, Any] = {
            "type": "databricks",
            "host": self.setting(config, "host"),
            "http_path": self.setting(config, "http_path"),
            "schema": props.get("schema", "default"),
            "threads": props.get("threads", 4),
        }
        if "catalog" in props:
            profile["catalog"] = props["catalog"]
        if props.get("auth_type") == "oauth":
            profile.update(
                auth_type="oauth",
                client_id=self.secret(config, "client_id"),
                client_secret=self.secret(config, "client_secret"),
            )
        else:
            profile["token"] = self.secret(config, "token")
        profile.update(copied(props, "connect_retries", "connect_timeout"))
        return profile

    def get_required_dbt_packages(self) -> list[str]:
        return ["dbt-databricks>=1.9"]

    def validate_connection(self, config: ComputeConfig) -> ConnectionResult:
        where = shown(config.properties.get("host"), "host")
        return not_checked(self, config, where, "databricks.sql", "dbt-databricks")


PLUGIN = DatabricksPlugin()
