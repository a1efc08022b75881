"""Snowflake: a managed cloud warehouse (dbt-snowflake); credentials come from the environment."""

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

AUTH_METHODS = ("password", "keypair", "oauth", "externalbrowser")


class SnowflakePlugin(ComputePlugin):
    name = "snowflake"
    version = "1.0.0"
    is_self_hosted = False
    config_schema = config_schema(
        "Snowflake compute config",
        {
            "account": from_environment(
                "snowflake",
                "account",
                {"type": "string", "minLength": 1, "description": "Account identifier."},
            ),
            "user": SECRET,
            "password": SECRET,
            "private_key": SECRET,
            "private_key_passphrase": SECRET,
            "token": SECRET,
            "warehouse": {"type": "string", "minLength": 1},
            "database": from_environment(
                "snowflake", "database", {"type": "string", "minLength": 1}
            ),
            "schema": {"type": "string", "minLength": 1},
            "role": {"type": "string", "minLength": 1},
            "auth": {"enum": list(AUTH_METHODS), "description": "How dbt authenticates."},
            "query_tag": {"type": "string"},
            "client_session_keep_alive": {"type": "boolean"},
            "connect_retries": {"type": "integer"},
            "connect_timeout": {"type": "integer"},
        },
    )
    profile_schema = profile_schema(
        "snowflake",
        {
            "account": {"type": "string", "minLength": 1},
            "user": {"type": "string", "minLength": 1},
            "password": SECRET,
            "private_key": SECRET,
            "private_key_passphrase": SECRET,
            "token": SECRET,
            "authenticator": {"enum": ["oauth", "externalbrowser"]},
            "warehouse": {"type": "string"},
            "database": {"type": "string", "minLength": 1},
            "schema": {"type": "string", "minLength": 1},
            "role": {"type": "string"},
            "query_tag": {"type": "string"},
            "client_session_keep_alive": {"type": "boolean"},
            "connect_retries": {"type": "integer"},
            "connect_timeout": {"type": "integer"},
        },
        ("account", "user", "database", "schema"),
    )
    resources = REMOTE_RESOURCES

    def generate_dbt_profile(self, config: ComputeConfig) -> dict[str, Any]:
        props = config.properties
        profile: dict[str, Any] = {
            "type": "snowflake",
            "account": self.setting(config, "account"),
            "user": self.secret(config, "user"),
        }
        auth = props.get("auth", "password")
        if auth == "password":
            profile["password"] = self.secret(config, "password")
        elif auth == "keypair":
            profile["private_key"] = self.secret(config, "private_key")
            profile["private_key_passphrase"] = self.secret(config, "private_key_passphrase", "")
        elif auth == "oauth":
            profile.update(authenticator="oauth", token=self.secret(config, "token"))
        else:
            profile["authenticator"] = "externalbrowser"
        profile.update(
            warehouse=props.get("warehouse", "COMPUTE_WH"),
            database=self.setting(config, "database"),
            schema=props.get("schema", "PUBLIC"),
            threads=props.get("threads", 4),
        )
        profile.update(
            copied(
                props,
                "role",
                "query_tag",
                "client_session_keep_alive",
                "connect_retries",
                "connect_timeout",
            )
        )
        return profile

    def get_required_dbt_packages(self) -> list[str]:
        return ["dbt-snowflake>=1.9"]

    def validate_connection(self, config: ComputeConfig) -> ConnectionResult:
        account = shown(config.properties.get("account"), "account")
        if not config.properties.get("account"):
            account = f"${self.env_prefix(config)}ACCOUNT"
        return not_checked(
            self, config, f"account {account}", "snowflake.connector", "dbt-snowflake"
        )


PLUGIN = SnowflakePlugin()
