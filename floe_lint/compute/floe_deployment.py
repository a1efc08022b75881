"""The `deployment` upstream's compile writes into CompiledArtifacts for a selected storage.

floe-core 0.1.0a1's `_build_storage_deployment_binding` writes `DeploymentConfig(storage=...)`
from the storage plugin's `get_deployment_binding()` and, when a catalog is selected, adds the
catalog plugin's `build_catalog_deployment(storage)`. These functions build the same JSON from
the config as the plugin's model reads it (`floe_storage.read_config`): floe-storage-minio,
floe-storage-aws-s3 and floe-catalog-polaris 0.1.0a1. Nothing here reads the network or the
environment; credentials appear only as environment variable names, Kubernetes Secret names
and keys, or a service account, as upstream writes them.
"""

from __future__ import annotations

from typing import Any

_ACCESS, _SECRET, _SESSION = "accessKeyId", "secretAccessKey", "sessionToken"
_ENV_ACCESS, _ENV_SECRET, _ENV_SESSION = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
)


def _bucket(name: str, uri: str, purpose: str, policy: str, prefixes: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "uri": uri,
        "purpose": purpose,
        "create_policy": policy,
        "prefixes": prefixes,
        "features": {},
        "tags": {},
    }


def _credentials(
    mode: str,
    *,
    secret_ref: dict[str, Any] | None = None,
    env_refs: dict[str, str] | None = None,
    service_account_ref: str | None = None,
) -> dict[str, Any]:
    return {
        "mode": mode,
        "secret_ref": secret_ref,
        "env_refs": env_refs or {},
        "service_account_ref": service_account_ref,
    }


def _binding(
    *,
    provider: str,
    protocol: str,
    endpoint: dict[str, Any],
    warehouse: dict[str, Any],
    buckets: list[dict[str, Any]],
    credentials: dict[str, Any],
    capabilities: dict[str, Any],
    provisioning: dict[str, Any],
    runtime: dict[str, Any],
    dbt: dict[str, Any],
    dagster: dict[str, Any],
    notes: list[str],
    allowed: list[str],
) -> dict[str, Any]:
    return {
        "provider": provider,
        "protocol": protocol,
        "endpoint": endpoint,
        "warehouse": warehouse,
        "allowed_locations": allowed,
        "buckets": buckets,
        "credentials": credentials,
        "capabilities": capabilities,
        "provisioning": provisioning,
        "runtime": runtime,
        "dbt": {"profile_name": "floe", "target_name": "dev", "schema_name": "analytics", **dbt},
        "dagster": dagster,
        "notes": notes,
    }


def minio(config: dict[str, Any]) -> dict[str, Any]:
    """floe-storage-minio's `get_deployment_binding()`, as JSON."""
    endpoint, region, bucket = config["endpoint"], config["region"], config["bucket"]
    path_style, artifacts = config["path_style_access"], config["artifact_bucket"]
    warehouse, artifact_uri = f"s3://{bucket}", f"s3://{artifacts}"
    allowed = [warehouse]
    buckets = [_bucket(bucket, warehouse, "warehouse", "create-if-missing", [])]
    if artifacts != bucket:
        allowed.append(artifact_uri)
        buckets.append(_bucket(artifacts, artifact_uri, "artifacts", "create-if-missing", []))
    fragment = {"s3_endpoint": endpoint, "s3_region": region, "s3_path_style_access": path_style}
    resources = {
        "bucket": bucket,
        "endpoint_url": endpoint,
        "region_name": region,
        "path_style_access": path_style,
    }
    secret_ref = {
        "name": config["credential_secret_name"],
        "namespace": config["credential_secret_namespace"],
        "keys": {
            _ACCESS: config["access_key_secret_key"],
            _SECRET: config["secret_key_secret_key"],
        },
    }
    return _binding(
        provider="minio",
        protocol="s3-compatible",
        endpoint={
            "internal_url": endpoint,
            "external_url": config["external_endpoint"] or endpoint,
            "region": region,
            "warehouse_path": warehouse,
            "path_style_access": path_style,
        },
        warehouse={"uri": warehouse, "bucket": bucket, "prefix": ""},
        allowed=allowed,
        buckets=buckets,
        credentials=_credentials("kubernetes-secret", secret_ref=secret_ref),
        capabilities={
            "protocols": ["s3-compatible"],
            "credential_modes": ["kubernetes-secret"],
            "identity_modes": [],
            "sts_supported": False,
            "path_style_access": path_style,
        },
        provisioning={
            "enabled": True,
            "mode": "helm-job",
            "default_create_policy": "create-if-missing",
        },
        runtime={
            "pyiceberg_properties": {
                "s3.endpoint": endpoint,
                "s3.region": region,
                "s3.path-style-access": str(path_style).lower(),
            },
            "dbt_profile_fragment": dict(fragment),
            "dagster_resources": dict(resources),
            "env_refs": {_ACCESS: _ENV_ACCESS, _SECRET: _ENV_SECRET},
        },
        dbt={
            "profile_fragment": dict(fragment),
            "env_refs": {"s3_access_key_id": _ENV_ACCESS, "s3_secret_access_key": _ENV_SECRET},
        },
        dagster={
            "resource_key": "minio_storage",
            "asset_io_manager_key": "iceberg_io_manager",
            "resources": dict(resources),
            "env_refs": {_ENV_ACCESS: _ENV_ACCESS, _ENV_SECRET: _ENV_SECRET},
        },
        notes=[
            "MinIO uses S3-compatible protocol settings.",
            "Credentials are referenced through Kubernetes Secret keys.",
            f"Artifact bucket: {artifacts}",
        ],
    )


def s3_prefix(value: str) -> str:
    """floe-storage-aws-s3's `_normalize_prefix`: empty or ending in one '/'."""
    prefix = value.strip("/")
    return f"{prefix}/" if prefix else ""


def _s3_uri(bucket: str, prefix: str) -> str:
    return f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}"


def _aws_credentials(config: dict[str, Any]) -> dict[str, Any]:
    mode = config["credential_mode"]
    if mode == "workload-identity":
        return _credentials(mode, service_account_ref=config["service_account_ref"])
    if mode == "kubernetes-secret":
        keys = {
            _ACCESS: config["access_key_secret_key"],
            _SECRET: config["secret_key_secret_key"],
            _SESSION: config["session_token_secret_key"],
        }
        return _credentials(
            mode,
            secret_ref={
                "name": config["credential_secret_name"],
                "namespace": config["credential_secret_namespace"],
                "keys": keys,
            },
        )
    env = {_ACCESS: _ENV_ACCESS, _SECRET: _ENV_SECRET, _SESSION: _ENV_SESSION}
    return _credentials(mode, env_refs=env)


def aws_s3(config: dict[str, Any]) -> dict[str, Any]:
    """floe-storage-aws-s3's `get_deployment_binding()`, as JSON (`config` with its prefixes
    normalized and `artifact_bucket` defaulted to `bucket`, as its model does)."""
    mode, region, bucket = config["credential_mode"], config["region"], config["bucket"]
    override, path_style = config["endpoint_override"], config["path_style_access"]
    policy, artifacts = config["create_policy"], config["artifact_bucket"] or bucket
    endpoint = override or f"https://s3.{region}.amazonaws.com"
    warehouse_prefix, artifact_prefix = config["warehouse_prefix"], config["artifact_prefix"]
    warehouse = _s3_uri(bucket, warehouse_prefix)
    artifact_uri = _s3_uri(artifacts, artifact_prefix)
    runtime_env = (
        {_ACCESS: _ENV_ACCESS, _SECRET: _ENV_SECRET}
        if mode in ("environment", "kubernetes-secret")
        else {}
    )
    if mode == "environment":
        runtime_env[_SESSION] = _ENV_SESSION
    properties = {"s3.region": region}
    if override is not None:
        properties["s3.endpoint"] = override
    if override is not None or path_style:
        properties["s3.path-style-access"] = str(path_style).lower()
    fragment: dict[str, Any] = {"s3_region": region, "s3_path_style_access": path_style}
    resources: dict[str, Any] = {
        "bucket": bucket,
        "region_name": region,
        "path_style_access": path_style,
    }
    if override is not None:
        fragment["s3_endpoint"] = override
        resources["endpoint_url"] = override
    environment = mode == "environment"
    return _binding(
        provider="aws-s3",
        protocol="s3",
        endpoint={
            "internal_url": endpoint,
            "external_url": endpoint,
            "region": region,
            "warehouse_path": warehouse,
            "path_style_access": path_style,
        },
        warehouse={"uri": warehouse, "bucket": bucket, "prefix": warehouse_prefix},
        allowed=[warehouse, artifact_uri],
        buckets=[
            _bucket(bucket, warehouse, "warehouse", policy, [warehouse_prefix]),
            _bucket(artifacts, artifact_uri, "artifacts", policy, [artifact_prefix]),
        ],
        credentials=_aws_credentials(config),
        capabilities={
            "protocols": ["s3"],
            "credential_modes": [mode],
            "identity_modes": ["aws-irsa", "aws-pod-identity"]
            if mode == "workload-identity"
            else [],
            "sts_supported": config["sts_supported"],
            "path_style_access": path_style,
        },
        provisioning={"enabled": False, "mode": "external", "default_create_policy": policy},
        runtime={
            "pyiceberg_properties": properties,
            "dbt_profile_fragment": dict(fragment),
            "dagster_resources": dict(resources),
            "env_refs": runtime_env,
        },
        dbt={
            "profile_fragment": dict(fragment),
            "env_refs": {"s3_access_key_id": _ENV_ACCESS, "s3_secret_access_key": _ENV_SECRET}
            if environment
            else {},
        },
        dagster={
            "resource_key": "aws_s3_storage",
            "asset_io_manager_key": "iceberg_io_manager",
            "resources": dict(resources),
            "env_refs": {name: name for name in (_ENV_ACCESS, _ENV_SECRET, _ENV_SESSION)}
            if environment
            else {},
        },
        notes=[
            "AWS S3 buckets are externally managed; compile does not create buckets.",
            f"Artifact location: {artifact_uri}",
        ],
    )


def _credential_ref(credentials: dict[str, Any], key: str) -> dict[str, Any]:
    """floe-core's `StorageCredentialBinding.as_credential_ref` for a Kubernetes Secret."""
    secret = credentials["secret_ref"]
    return {"source": credentials["mode"], "name": secret["name"], "key": secret["keys"][key]}


def polaris(config: dict[str, Any], storage: dict[str, Any], dbt: dict[str, Any]) -> dict[str, Any]:
    """floe-catalog-polaris's `build_catalog_deployment(storage)`, as JSON, for a storage
    whose credentials are a Kubernetes Secret (floe-lint composes it with minio only); `dbt`
    is the Iceberg REST binding the dbt profile attaches."""
    uri, warehouse = config["uri"], config["warehouse"]
    endpoint = storage["endpoint"]
    return {
        "provider": "polaris",
        "polaris": {
            "storage_type": "S3",
            "warehouse": warehouse,
            "default_base_location": storage["warehouse"]["uri"],
            "allowed_locations": list(storage["allowed_locations"]),
            "endpoint": endpoint["external_url"],
            "endpoint_internal": endpoint["internal_url"],
            "catalog_uri": uri,
            "path_style_access": endpoint["path_style_access"],
            "sts_unavailable": not storage["capabilities"]["sts_supported"],
            "credential_refs": {
                key: _credential_ref(storage["credentials"], key) for key in (_ACCESS, _SECRET)
            },
        },
        "glue": None,
        "iceberg_rest": {
            "catalog_name": "polaris",
            "uri": uri,
            "warehouse": warehouse,
            "properties": {},
            "oauth2": None,
        },
        "dbt": {"profile_fragment": {}, "env_refs": {}, "iceberg_rest": dbt},
    }


def deployment(storage: dict[str, Any], catalog: dict[str, Any] | None) -> dict[str, Any]:
    """CompiledArtifacts' `deployment` (floe-core's `DeploymentConfig`)."""
    return {"storage": storage, "catalog": catalog, "ingestion": None}
