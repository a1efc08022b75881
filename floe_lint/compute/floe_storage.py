"""The storage and catalog settings upstream's compile merges into a dbt profile.

Upstream's compile (floe-core 0.1.0a1, `_build_storage_deployment_binding`) asks the storage
plugin the manifest selects (`plugins.storage`) for its deployment binding and, when a catalog is
selected too, the catalog plugin for its own built on it; `generate_dbt_profiles` merges the
storage's `profile_fragment` into each output (its keys win) and adds its `env_refs` as
`{{ env_var('NAME') }}` where the output has no such key, and floe-compute-duckdb's
`augment_dbt_profile` adds, for a catalog with an Iceberg REST binding, the `httpfs` and
`iceberg` extensions, an `iceberg` secret and an `attach` of the catalog. All of it follows from
the plugins' config, with no network: this module is the same translation for the published
plugins `minio` and `aws-s3` (floe-storage-minio, floe-storage-aws-s3) and `polaris`
(floe-catalog-polaris), each config checked as the plugin's pydantic model checks it. A storage
type none of these is left alone (upstream's compile refuses it unless a package registers it);
a catalog floe-lint does not compose with the selected storage is refused (`Unsupported`).
Credentials only ever appear as `{{ env_var('NAME') }}`: the plugins' own config never reaches
the profile. Each `Storage` and `Catalog` also carries the plugin's whole deployment binding
(`floe_deployment`), which compile writes as the artifacts' `deployment`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from floe_lint.compute import floe_deployment

#: pydantic's lax reading of a bool
_BOOLS = {
    **dict.fromkeys(("1", "on", "t", "true", "y", "yes"), True),
    **dict.fromkeys(("0", "off", "f", "false", "n", "no"), False),
}
_URL = re.compile(r"^https?://")
_CREDENTIAL_MODES = ("environment", "workload-identity", "kubernetes-secret")


#: floe-core's `_SECRET_VALUE_MARKERS` and `_URL_CREDENTIAL_QUERY_KEYS` (schemas/compiled_artifacts)
_SECRET_VALUES = (
    "bearer",
    "password",
    "private-key",
    "private_key",
    "privatekey",
    "raw-secret-value",
    "secret-value",
    "token",
)
_SECRET_FIELDS = (
    "access-key",
    "access_key",
    "accesskey",
    "bearer",
    "credential",
    "password",
    "private-key",
    "private_key",
    "privatekey",
    "secret",
    "token",
)
_K8S_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


class ConfigInvalid(ValueError):
    """A plugin config its pydantic model refuses; the message names the key."""


class Unsupported(ValueError):
    """A selection floe-lint does not translate as upstream's plugin would."""


@dataclass(frozen=True)
class Field:
    kind: str  # "str", "text" (may be empty), "bool", "url", "int" or "mode"
    default: Any = None
    required: bool = False


def _read(name: str, spec: Field, value: Any) -> Any:
    if value is None and spec.default is None and not spec.required:
        return None  # an optional field (`str | None`)
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in _BOOLS:
            return _BOOLS[value.lower()]
        raise ConfigInvalid(f"config {name}: must be a boolean")
    if spec.kind == "int":
        return _integer(name, value)
    if not isinstance(value, str):
        raise ConfigInvalid(f"config {name}: must be a string")
    from floe_lint.compute import jinja

    if jinja.runs_jinja(value):  # it lands in the dbt profile, which dbt renders as Jinja
        raise ConfigInvalid(f"config {name}: {jinja.MESSAGE}")
    if spec.kind != "text" and not value:
        raise ConfigInvalid(f"config {name}: must not be empty")
    if spec.kind == "url" and not _URL.match(value):
        raise ConfigInvalid(f"config {name}: must start with http:// or https://")
    if spec.kind == "mode" and value not in _CREDENTIAL_MODES:
        raise ConfigInvalid(f"config {name}: must be one of {', '.join(_CREDENTIAL_MODES)}")
    return value


def _integer(name: str, value: Any) -> int:
    """pydantic's lax reading of an int: a bool, a whole float, or text Python reads as one."""
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and len(value) <= 100:
        try:
            return int(value)
        except ValueError:
            pass
    raise ConfigInvalid(f"config {name}: must be an integer")


def _names_admin(text: str) -> bool:
    """floe-core's `_DEFAULT_ADMIN_CREDENTIAL_PATTERN`: 'admin' (then digits) not followed by a
    letter, without its regular expression (linear time)."""
    start = text.find("admin")
    while start != -1:
        end = start + len("admin")
        while end < len(text) and text[end].isdigit():
            end += 1
        if end == len(text) or not ("a" <= text[end] <= "z"):
            return True
        start = text.find("admin", start + 1)
    return False


def looks_secret(name: str, value: Any) -> None:
    """Refuse a value upstream's deployment binding refuses as credential material (floe-core's
    `_assert_no_secret_material` on the profile and runtime fragments it lands in)."""
    if not isinstance(value, str):
        return
    parsed = urlsplit(value)
    if parsed.scheme and parsed.netloc:
        if parsed.username or parsed.password:
            raise ConfigInvalid(f"config {name}: holds a credential in the URL")
        for part in (parsed.query, parsed.fragment):
            for key, _ in parse_qsl(part, keep_blank_values=True):
                key = re.sub(r"[^a-z0-9]", "", key.lower())
                if any(
                    m.replace("_", "").replace("-", "") in key for m in _SECRET_FIELDS
                ) or key in (
                    "accesstoken",
                    "apikey",
                    "clientsecret",
                    "credentials",
                    "signature",
                ):
                    raise ConfigInvalid(f"config {name}: holds a credential in the URL")
    lowered = value.lower()
    if any(marker in lowered for marker in _SECRET_VALUES) or _names_admin(lowered):
        raise ConfigInvalid(
            f"config {name}: looks like a credential, which upstream's deployment binding refuses"
        )


def kubernetes_name(name: str, value: str, *, dotted: bool) -> None:
    """A Secret's name (a DNS subdomain) or namespace (a DNS label), as floe-core checks them."""
    parts = value.split(".") if dotted else [value]
    limit = 253 if dotted else 63
    if len(value) > limit or not all(_K8S_LABEL.fullmatch(part) for part in parts):
        raise ConfigInvalid(
            f"config {name}: must be a Kubernetes {'name' if dotted else 'namespace'}"
        )


def read_config(config: Any, fields: Mapping[str, Field]) -> dict[str, Any]:
    """`config` as the plugin's model reads it (extra keys forbidden, defaults filled in)."""
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ConfigInvalid("config must be a mapping")
    extra = sorted(str(key) for key in config if key not in fields)
    if extra:
        raise ConfigInvalid(f"config {extra[0]}: is not a setting of this plugin")
    out: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in config:
            if spec.required:
                raise ConfigInvalid(f"config {name}: is required")
            out[name] = spec.default
        else:
            out[name] = _read(name, spec, config[name])
    return out


@dataclass(frozen=True)
class Storage:
    """What a storage plugin's deployment binding gives the profile and a catalog."""

    provider: str
    fragment: dict[str, Any]
    env_refs: dict[str, str]
    credential_mode: str
    #: the plugin's whole `get_deployment_binding()` (see `floe_deployment`)
    binding: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalog:
    """The dbt side of a catalog plugin's deployment binding."""

    fragment: dict[str, Any] = field(default_factory=dict)
    env_refs: dict[str, str] = field(default_factory=dict)
    #: the Iceberg REST binding floe-compute-duckdb attaches (name, uri, warehouse, oauth2)
    iceberg_rest: dict[str, Any] | None = None
    #: the plugin's whole `build_catalog_deployment(storage)` (see `floe_deployment`)
    binding: dict[str, Any] | None = None


_AWS_KEYS = {
    "s3_access_key_id": "AWS_ACCESS_KEY_ID",
    "s3_secret_access_key": "AWS_SECRET_ACCESS_KEY",
}

MINIO = {
    "endpoint": Field("url", required=True),
    "bucket": Field("str", required=True),
    "region": Field("str", "us-east-1"),
    "path_style_access": Field("bool", True),
    "artifact_bucket": Field("str", "floe-artifacts"),
    "credential_secret_name": Field("str", "floe-platform-minio-credentials"),
    "credential_secret_namespace": Field("str", "floe-system"),
    "access_key_secret_key": Field("str", "root-user"),
    "secret_key_secret_key": Field("str", "root-password"),
    "external_endpoint": Field("text"),
    "access_key_id": Field("text"),
    "secret_access_key": Field("text"),
}


def minio(config: Any) -> Storage:
    """floe-storage-minio's `get_deployment_binding().dbt`."""
    read = read_config(config, MINIO)
    kubernetes_name("credential_secret_name", read["credential_secret_name"], dotted=True)
    kubernetes_name(
        "credential_secret_namespace", read["credential_secret_namespace"], dotted=False
    )
    for name in ("endpoint", "region", "bucket"):
        looks_secret(name, read[name])
    fragment = {
        "s3_endpoint": read["endpoint"],
        "s3_region": read["region"],
        "s3_path_style_access": read["path_style_access"],
    }
    binding = floe_deployment.minio(read)
    return Storage("minio", fragment, dict(_AWS_KEYS), "kubernetes-secret", binding)


AWS_S3 = {
    "bucket": Field("str", required=True),
    "warehouse_prefix": Field("text", "warehouse/"),
    "artifact_bucket": Field("str"),
    "artifact_prefix": Field("text", "artifacts/"),
    "region": Field("str", required=True),
    "endpoint_override": Field("url"),
    "path_style_access": Field("bool", False),
    "credential_mode": Field("mode", "workload-identity"),
    "credential_secret_name": Field("str"),
    "credential_secret_namespace": Field("str", "floe-system"),
    "access_key_secret_key": Field("str", "accessKeyId"),
    "secret_key_secret_key": Field("str", "secretAccessKey"),
    "session_token_secret_key": Field("str", "sessionToken"),
    "service_account_ref": Field("str"),
    "create_policy": Field("str", "must-exist"),
    "sts_supported": Field("bool", True),
}


def aws_s3(config: Any) -> Storage:
    """floe-storage-aws-s3's `get_deployment_binding().dbt`."""
    read = read_config(config, AWS_S3)
    if read["create_policy"] not in ("must-exist", "never-create"):
        raise ConfigInvalid("config create_policy: must be must-exist or never-create")
    mode, secret, account = (
        read["credential_mode"],
        read["credential_secret_name"],
        read["service_account_ref"],
    )
    if mode == "workload-identity" and (account is None or secret is not None):
        raise ConfigInvalid(
            "config credential_mode: workload-identity takes service_account_ref only"
        )
    if mode == "kubernetes-secret" and (secret is None or account is not None):
        raise ConfigInvalid(
            "config credential_mode: kubernetes-secret takes credential_secret_name only"
        )
    if mode == "environment" and (secret is not None or account is not None):
        raise ConfigInvalid(
            "config credential_mode: environment takes environment variable names only"
        )
    if mode == "kubernetes-secret":
        kubernetes_name("credential_secret_name", secret, dotted=True)
        kubernetes_name(
            "credential_secret_namespace", read["credential_secret_namespace"], dotted=False
        )
    endpoint = read["endpoint_override"] or f"https://s3.{read['region']}.amazonaws.com"
    looks_secret("endpoint_override" if read["endpoint_override"] else "region", endpoint)
    for name in ("region", "bucket"):
        looks_secret(name, read[name])
    fragment: dict[str, Any] = {
        "s3_region": read["region"],
        "s3_path_style_access": read["path_style_access"],
    }
    if read["endpoint_override"] is not None:
        fragment["s3_endpoint"] = read["endpoint_override"]
    env_refs = dict(_AWS_KEYS) if mode == "environment" else {}
    for name in ("warehouse_prefix", "artifact_prefix"):
        read[name] = floe_deployment.s3_prefix(read[name])
    binding = floe_deployment.aws_s3(read)
    return Storage("aws-s3", fragment, env_refs, mode, binding)


POLARIS = {
    "uri": Field("url", required=True),
    "warehouse": Field("str", required=True),
    "oauth2": Field("mapping", required=True),
    "connect_timeout_seconds": Field("int", 10),
    "read_timeout_seconds": Field("int", 30),
    "max_retries": Field("int", 5),
    "credential_vending_enabled": Field("bool", True),
}
OAUTH2 = {
    "client_id": Field("str", required=True),
    "client_secret": Field("text", required=True),
    "token_url": Field("url", required=True),
    "scope": Field("text"),
    "refresh_margin_seconds": Field("int", 60),
}
_RANGES = {
    "connect_timeout_seconds": (1, 60),
    "read_timeout_seconds": (1, 300),
    "max_retries": (0, 10),
    "oauth2.refresh_margin_seconds": (10, 300),
}


def polaris(config: Any, storage: Storage) -> Catalog:
    """floe-catalog-polaris's `build_catalog_deployment(storage).dbt`."""
    if isinstance(config, dict):
        fields = {k: v for k, v in POLARIS.items() if k != "oauth2"}
        read = read_config({k: v for k, v in config.items() if k != "oauth2"}, fields)
        if "oauth2" not in config:
            raise ConfigInvalid("config oauth2: is required")
        try:
            oauth2 = read_config(config["oauth2"], OAUTH2)
        except ConfigInvalid as error:
            raise ConfigInvalid(str(error).replace("config ", "config oauth2.", 1)) from error
        values = {**read, **{f"oauth2.{k}": v for k, v in oauth2.items()}}
        for name, (low, high) in _RANGES.items():
            if not low <= values[name] <= high:
                raise ConfigInvalid(f"config {name}: must be from {low} to {high}")
    else:
        read = read_config(config, POLARIS)  # refuses a non-mapping, or a missing uri
    if storage.provider != "minio":
        raise Unsupported(
            f"floe-lint composes catalog 'polaris' with storage 'minio' only, not "
            f"'{storage.provider}' (upstream's compile checks that composition with its plugin "
            "packages)"
        )
    rest = {
        "catalog_name": "iceberg",
        "uri": read["uri"],
        "warehouse": read["warehouse"],
        "properties": {},
        "oauth2": {
            "secret_name": "polaris",
            "client_id_env": "POLARIS_CLIENT_ID",
            "client_secret_env": "POLARIS_CLIENT_SECRET",
            "oauth2_server_uri_env": "POLARIS_OAUTH2_SERVER_URI",
            "oauth2_scope_env": "POLARIS_SCOPE",
            "oauth2_scope_default": "PRINCIPAL_ROLE:ALL",
        },
    }
    binding = floe_deployment.polaris(read, storage.binding, rest)
    return Catalog(iceberg_rest=rest, binding=binding)


STORAGES: dict[str, Callable[[Any], Storage]] = {"minio": minio, "aws-s3": aws_s3}
CATALOGS: dict[str, Callable[[Any, Storage], Catalog]] = {"polaris": polaris}


def env_var(name: str, default: str | None = None) -> str:
    """dbt's `{{ env_var('NAME') }}` as upstream's `format_env_var_placeholder` writes it."""
    if default is not None:
        return f"{{{{ env_var('{name}', '{default}') }}}}"
    return f"{{{{ env_var('{name}') }}}}"


def _fragment(output: dict[str, Any], fragment: dict[str, Any], env_refs: dict[str, str]) -> Any:
    merged = {**output, **fragment}
    for key, name in env_refs.items():
        merged.setdefault(key, env_var(name))
    return merged


def merge(output: dict[str, Any], storage: Storage, catalog: Catalog | None) -> dict[str, Any]:
    """`output` with the storage's and catalog's settings, as upstream's compile merges them
    (`generate_dbt_profiles`, then floe-compute-duckdb's `augment_dbt_profile`)."""
    merged: dict[str, Any] = _fragment(output, storage.fragment, storage.env_refs)
    if catalog is None:
        return merged
    merged = _fragment(merged, catalog.fragment, catalog.env_refs)
    rest = catalog.iceberg_rest
    if merged.get("type") != "duckdb" or rest is None:
        return merged
    options = {"endpoint": rest["uri"], **rest["properties"]}
    oauth2 = rest["oauth2"]
    attach_entry = {"path": rest["warehouse"], "alias": rest["catalog_name"], "type": "iceberg"}
    extensions = merged.get("extensions")
    extensions = (
        list(extensions)
        if isinstance(extensions, list)
        else []
        if extensions is None
        else [extensions]
    )
    for name in ("httpfs", "iceberg"):
        if name not in extensions:
            extensions.append(name)
    merged["extensions"] = extensions
    if oauth2 is not None:
        options.setdefault("secret", oauth2["secret_name"])
        secret = {
            "type": "iceberg",
            "name": oauth2["secret_name"],
            "client_id": env_var(oauth2["client_id_env"]),
            "client_secret": env_var(oauth2["client_secret_env"]),
            "oauth2_server_uri": env_var(oauth2["oauth2_server_uri_env"]),
            "oauth2_scope": env_var(oauth2["oauth2_scope_env"], oauth2["oauth2_scope_default"]),
        }
        merged["secrets"] = _with_secret(merged.get("secrets"), secret)
    attach = merged.get("attach")
    if attach is not None and not isinstance(attach, list):
        raise Unsupported(
            "config attach: must be a list before the catalog's attachment is added "
            "(upstream's DuckDB plugin refuses it)"
        )
    attach = list(attach or [])
    entry = {**attach_entry, "options": options}
    if entry not in attach:
        attach.append(entry)
    merged["attach"] = attach
    return merged


def _with_secret(existing: Any, secret: dict[str, Any]) -> list[Any]:
    if existing is not None and not isinstance(existing, list):
        raise Unsupported(
            "config secrets: must be a list before the catalog's secret is added "
            "(upstream's DuckDB plugin refuses it)"
        )
    secrets = list(existing or [])
    for held in secrets:
        if isinstance(held, dict) and held.get("name") == secret["name"]:
            if held == secret:
                return secrets
            raise Unsupported(
                f"config secrets: already defines a different secret named '{secret['name']}' "
                "(upstream's DuckDB plugin refuses it)"
            )
    secrets.append(secret)
    return secrets
