"""Upstream Floe's compute plugins as a plugin source: a package that registers an entry point
in upstream's group `floe.computes` (the published `floe-compute-duckdb`, for one) is adapted
onto floe-lint's `ComputePlugin` contract and preferred over the built-in plugin of the same
name when a product in upstream's dialect is compiled, so its profile is the one upstream's own
compile would render.

The adapter maps the manifest's compute selection onto upstream's `ComputeConfig`: `threads`
(default 4) and `timeout_seconds` (default 3600) are its own fields, every other config key is
`connection`. Entry points are found by the same cheap scan as floe-lint's own groups and
loaded only here, when compiling or listing plugins: a `check` never imports floe-core.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from floe_lint.compute.plugin import (
    WORKLOAD_SIZES,
    ComputeConfig,
    ComputePlugin,
    ConnectionResult,
    PluginError,
    Registry,
    ResourceSpec,
    registry,
)
from floe_lint.entry_points import installed

UPSTREAM_GROUP = "floe.computes"
DEFAULT_THREADS = 4
DEFAULT_TIMEOUT_SECONDS = 3600
#: any config: upstream's plugin validates its own (floe-lint's FL208 keeps the built-in schema)
_ANY_CONFIG: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
}


class UpstreamCompute(ComputePlugin):
    """One upstream `floe_core.plugins.compute.ComputePlugin` behind floe-lint's contract."""

    upstream: Any
    config_schema = _ANY_CONFIG
    profile_schema = _ANY_CONFIG

    def upstream_config(self, config: ComputeConfig) -> Any:
        from floe_core.compute_config import ComputeConfig as UpstreamConfig

        connection = dict(config.properties)
        threads = connection.pop("threads", DEFAULT_THREADS)
        timeout = connection.pop("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
        connection.pop("env_prefix", None)  # floe-lint's own key, not the engine's
        try:
            return UpstreamConfig(
                plugin=self.name, threads=threads, timeout_seconds=timeout, connection=connection
            )
        except ValueError as error:  # pydantic's ValidationError is one
            raise PluginError(f"compute '{self.name}': {_first_line(error)}") from error

    def generate_dbt_profile(self, config: ComputeConfig) -> dict[str, Any]:
        upstream_config = self.upstream_config(config)
        try:
            profile = self.upstream.generate_dbt_profile(upstream_config)
        except (ValueError, KeyError, TypeError) as error:
            raise PluginError(f"compute '{self.name}': {_first_line(error)}") from error
        return dict(profile)

    def get_required_dbt_packages(self) -> list[str]:
        return [str(p) for p in self.upstream.get_required_dbt_packages()]

    def validate_connection(self, config: ComputeConfig) -> ConnectionResult:
        result = self.upstream.validate_connection(self.upstream_config(config))
        status = str(getattr(result.status, "value", result.status))
        return ConnectionResult(
            status == "healthy", str(result.message), round(float(result.latency_ms), 1)
        )

    def get_resource_requirements(self, workload_size: str) -> ResourceSpec:
        try:
            spec = self.upstream.get_resource_requirements(workload_size)
        except ValueError as error:
            raise PluginError(f"compute '{self.name}': {_first_line(error)}") from error
        return ResourceSpec(
            spec.cpu_request, spec.cpu_limit, spec.memory_request, spec.memory_limit
        )


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]


def adapt(upstream: Any) -> UpstreamCompute:
    """floe-lint's contract over an upstream plugin instance (name and version read from it)."""
    sizes: dict[str, ResourceSpec] = {}
    attributes = {
        "name": str(upstream.name),
        "version": str(upstream.version),
        "is_self_hosted": bool(upstream.is_self_hosted),
        "resources": sizes,
        "upstream": upstream,
    }
    adapter_class = type(f"Upstream_{upstream.name}", (UpstreamCompute,), attributes)
    adapter: UpstreamCompute = adapter_class()
    for size in WORKLOAD_SIZES:
        try:
            sizes[size] = adapter.get_resource_requirements(size)
        except PluginError:
            continue
    return adapter


@cache
def preferring_upstream() -> Registry:
    """floe-lint's plugins, with each upstream compute plugin in place of the built-in one of
    the same name (a plugin written for floe-lint's own entry point group is kept)."""
    base = registry()
    found = Registry(dict(base.plugins), dict(base.sources), list(base.errors))
    for entry in installed(UPSTREAM_GROUP):
        dist = f"{entry.dist.name} {entry.dist.version}" if entry.dist else "?"
        source = f"{dist} (upstream {UPSTREAM_GROUP}: {entry.value})"
        try:
            loaded = entry.load()
            plugin = adapt(loaded() if isinstance(loaded, type) else loaded)
        except Exception as error:  # a third party's import error must not stop the run
            found.errors.append(f"entry point '{entry.name}' = {source}: {_first_line(error)}")
            continue
        if plugin.name in found.plugins and found.sources[plugin.name] != "built-in":
            found.errors.append(
                f"{source}: compute '{plugin.name}' is already provided by "
                f"{found.sources[plugin.name]}; ignored"
            )
            continue
        if plugin.name in found.plugins:
            source += ", over the built-in for upstream-dialect products"
        found.plugins[plugin.name] = plugin
        found.sources[plugin.name] = source
    return found
