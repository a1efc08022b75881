"""BigQuery: Google Cloud's managed warehouse (dbt-bigquery)."""

from __future__ import annotations

import os

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


class BigQueryPlugin(ComputePlugin):
    name = "bigquery"
    version = "1.0.0"
    is_self_hosted = False
    config_schema = config_schema(
        "BigQuery compute config",
        {
            "project": from_environment(
                "bigquery",
                "project",
                {"type": "string", "minLength": 1, "description": "GCP project id."},
            ),
            "dataset": {"type": "string", "minLength": 1},
            "location": {"type": "string", "minLength": 1, "description": "e.g. EU, US."},
            "keyfile": SECRET,
            "method": {
                "enum": ["oauth", "service-account"],
                "description": "oauth: workload identity / gcloud; service-account: key file.",
            },
            "priority": {"enum": ["interactive", "batch"]},
            "job_execution_timeout_seconds": {"type": "integer"},
            "job_retries": {"type": "integer"},
            "maximum_bytes_billed": {"type": "integer"},
            "impersonate_service_account": {"type": "string"},
        },
    )
    profile_schema = profile_schema(
        "bigquery",
        {
            "method": {"enum": ["oauth", "service-account"]},
            "project": {"type": "string", "minLength": 1},
            "dataset": {"type": "string", "minLength": 1},
            "keyfile": SECRET,
            "location": {"type": "string"},
            "priority": {"enum": ["interactive", "batch"]},
            "job_execution_timeout_seconds": {"type": "integer"},
            "job_retries": {"type": "integer"},
            "maximum_bytes_billed": {"type": "integer"},
            "impersonate_service_account": {"type": "string"},
        },
        ("method", "project", "dataset"),
    )
    resources = REMOTE_RESOURCES

    def generate_dbt_profile(self, config: ComputeConfig) -> dict[str, Any]:
        props = config.properties
        method = props.get("method", "oauth")
        profile: dict[str, Any] = {
            "type": "bigquery",
            "method": method,
            "project": self.setting(config, "project"),
            "dataset": props.get("dataset", "analytics"),
            "threads": props.get("threads", 4),
        }
        if method == "service-account":
            # A path to the key file mounted from the connection secret.
            profile["keyfile"] = self.secret(config, "keyfile")
        profile.update(
            copied(
                props,
                "location",
                "priority",
                "job_execution_timeout_seconds",
                "job_retries",
                "maximum_bytes_billed",
                "impersonate_service_account",
            )
        )
        return profile

    def get_required_dbt_packages(self) -> list[str]:
        return ["dbt-bigquery>=1.9"]

    def validate_connection(self, config: ComputeConfig) -> ConnectionResult:
        props = config.properties
        adc = props.get("method", "oauth") == "oauth"
        also = ("GOOGLE_APPLICATION_CREDENTIALS (or workload identity)",)
        return not_checked(
            self,
            config,
            f"project {shown(props.get('project'), 'project')}",
            "google.cloud.bigquery",
            "dbt-bigquery",
            also if adc and "GOOGLE_APPLICATION_CREDENTIALS" not in os.environ else (),
        )


PLUGIN = BigQueryPlugin()
