"""Redshift: AWS's managed warehouse (dbt-redshift), by password or IAM."""

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


class RedshiftPlugin(ComputePlugin):
    name = "redshift"
    version = "1.0.0"
    is_self_hosted = False
    config_schema = config_schema(
        "Redshift compute config",
        {
            "host": from_environment("redshift", "host", {"type": "string", "minLength": 1}),
            "port": {"type": "integer"},
            "dbname": from_environment("redshift", "dbname", {"type": "string", "minLength": 1}),
            "schema": {"type": "string", "minLength": 1},
            "method": {"enum": ["database", "iam"]},
            "user": SECRET,
            "password": SECRET,
            "cluster_id": {"type": "string", "minLength": 1, "description": "For method iam."},
            "region": {"type": "string", "minLength": 1},
            "iam_profile": {"type": "string", "minLength": 1},
            "sslmode": {
                "enum": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
            },
            "ra3_node": {"type": "boolean"},
            "autocommit": {"type": "boolean"},
            "connect_timeout": {"type": "integer"},
        },
    )
    profile_schema = profile_schema(
        "redshift",
        {
            "method": {"enum": ["database", "iam"]},
            "host": {"type": "string", "minLength": 1},
            "port": {"type": "integer"},
            "dbname": {"type": "string", "minLength": 1},
            "schema": {"type": "string", "minLength": 1},
            "user": {"type": "string", "minLength": 1},
            "password": SECRET,
            "cluster_id": {"type": "string"},
            "region": {"type": "string"},
            "iam_profile": {"type": "string"},
            "sslmode": {"type": "string"},
            "ra3_node": {"type": "boolean"},
            "autocommit": {"type": "boolean"},
            "connect_timeout": {"type": "integer"},
        },
        ("method", "host", "port", "dbname", "schema", "user"),
    )
    resources = REMOTE_RESOURCES

    def generate_dbt_profile(self, config: ComputeConfig) -> dict[str, Any]:
        props = config.properties
        method = props.get("method", "database")
        profile: dict[str, Any] = {
            "type": "redshift",
            "method": method,
            "host": self.setting(config, "host"),
            "port": props.get("port", 5439),
            "dbname": self.setting(config, "dbname"),
            "schema": props.get("schema", "public"),
            "user": self.secret(config, "user"),
            "threads": props.get("threads", 4),
        }
        if method == "database":
            profile["password"] = self.secret(config, "password")
        profile.update(
            copied(
                props,
                "cluster_id",
                "region",
                "iam_profile",
                "sslmode",
                "ra3_node",
                "autocommit",
                "connect_timeout",
            )
        )
        return profile

    def get_required_dbt_packages(self) -> list[str]:
        return ["dbt-redshift>=1.9"]

    def validate_connection(self, config: ComputeConfig) -> ConnectionResult:
        props = config.properties
        where = f"{shown(props.get('host'), 'host')}:{shown(props.get('port', 5439), 'port')}"
        return not_checked(self, config, where, "redshift_connector", "dbt-redshift")


PLUGIN = RedshiftPlugin()
