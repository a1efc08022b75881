"""Spark: a shared Spark Thrift server (or HTTP endpoint) that dbt-spark drives remotely."""

from __future__ import annotations

from floe_lint.api import (
    SECRET,
    ComputeConfig,
    ComputePlugin,
    ConnectionResult,
    ResourceSpec,
    config_schema,
    copied,
    not_checked,
    profile_schema,
    shown,
    sized,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_HOST = "spark-thrift.floe-platform.svc.cluster.local"


class SparkPlugin(ComputePlugin):
    name = "spark"
    version = "1.0.0"
    is_self_hosted = True
    config_schema = config_schema(
        "Spark compute config",
        {
            "host": {"type": "string", "minLength": 1, "description": "Thrift server host."},
            "cluster": {"type": "string", "minLength": 1, "description": "Alias of host."},
            "user": SECRET,
            "password": SECRET,
            "token": SECRET,
            "port": {"type": "integer"},
            "schema": {"type": "string", "minLength": 1},
            "method": {"enum": ["thrift", "http"], "description": "dbt-spark connection method."},
            "auth": {"enum": ["NONE", "NOSASL", "LDAP", "KERBEROS"]},
            "http_cluster": {"type": "string", "description": "Cluster id (method http)."},
            "use_ssl": {"type": "boolean"},
            "connect_retries": {"type": "integer"},
            "connect_timeout": {"type": "integer"},
        },
    )
    profile_schema = profile_schema(
        "spark",
        {
            "method": {"enum": ["thrift", "http"]},
            "host": {"type": "string", "minLength": 1},
            "port": {"type": "integer"},
            "schema": {"type": "string", "minLength": 1},
            "user": SECRET,
            "password": SECRET,
            "token": SECRET,
            "auth": {"type": "string"},
            "cluster": {"type": "string"},
            "use_ssl": {"type": "boolean"},
            "connect_retries": {"type": "integer"},
            "connect_timeout": {"type": "integer"},
        },
        ("method", "host", "port", "schema"),
    )
    # The cluster does the work; the dbt pod only submits SQL.
    resources = sized(
        ResourceSpec("250m", "500m", "256Mi", "512Mi"),
        ResourceSpec("500m", "1000m", "512Mi", "1Gi"),
        ResourceSpec("500m", "1000m", "1Gi", "2Gi"),
    )

    def generate_dbt_profile(self, config: ComputeConfig) -> dict[str, Any]:
        props = config.properties
        method = props.get("method", "thrift")
        profile: dict[str, Any] = {
            "type": "spark",
            "method": method,
            "host": props.get("host") or props.get("cluster") or DEFAULT_HOST,
            "port": props.get("port", 10001 if method == "thrift" else 443),
            "schema": props.get("schema", "default"),
            "threads": props.get("threads", 4),
        }
        if method == "http":
            profile["token"] = self.secret(config, "token")
            if "http_cluster" in props:
                profile["cluster"] = props["http_cluster"]
        elif props.get("auth") == "LDAP":
            profile.update(
                auth="LDAP",
                user=self.secret(config, "user"),
                password=self.secret(config, "password"),
            )
        elif "auth" in props:
            profile["auth"] = props["auth"]
        profile.update(copied(props, "use_ssl", "connect_retries", "connect_timeout"))
        return profile

    def get_required_dbt_packages(self) -> list[str]:
        return ["dbt-spark[PyHive]>=1.9"]

    def validate_connection(self, config: ComputeConfig) -> ConnectionResult:
        profile = self.generate_dbt_profile(config)
        where = f"{shown(profile['host'], 'host')}:{shown(profile['port'], 'port')}"
        return not_checked(self, config, where, "pyhive", "'dbt-spark[PyHive]'")


PLUGIN = SparkPlugin()
