"""The plugin registry and the ComputePlugin contract that every engine honours."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from floe_lint.compute.plugin import (
    BUILTIN_ENGINES,
    WORKLOAD_SIZES,
    ComputeConfig,
    ComputePlugin,
    ConnectionResult,
    PluginError,
    ResourceSpec,
    known_compute_names,
    registry,
)
from floe_lint.compute.render import render_profile
from tests.conftest import run_cli


def test_each_adr_engine_is_a_builtin_plugin_named_after_its_module() -> None:
    found = registry()
    assert found.errors == []
    assert sorted(found.plugins) == sorted(BUILTIN_ENGINES)
    for name, plugin in found.plugins.items():
        assert type(plugin).__module__ == f"floe_lint.plugins.{name}"
        assert found.sources[name] == "built-in"
    assert known_compute_names() >= set(BUILTIN_ENGINES)


PLUGIN_NAMED_PROBE = """
import json, sys
from floe_lint.compute.plugin import BUILTIN_ENGINES, plugin_named, registry
alone = {}
for name in BUILTIN_ENGINES:
    plugin = plugin_named(name)
    loaded = sorted(m for m in sys.modules if m.startswith("floe_lint.plugins."))
    alone[name] = [plugin.name, loaded[-1] if len(loaded) == len(alone) + 1 else loaded]
    assert registry.cache_info().currsize == 0
same = [plugin_named(n) is registry().get(n) for n in BUILTIN_ENGINES]
print(json.dumps([alone, same, plugin_named("no-such-engine")]))
"""


def test_plugin_named_imports_that_builtin_alone_and_is_what_the_registry_holds() -> None:
    """A check asks for the plugins its files name (`plugin_named`): each built-in is imported
    alone while the registry is not built, and is the very object the registry then holds."""
    import json
    import subprocess
    import sys

    from tests.conftest import REPO

    result = subprocess.run(
        [sys.executable, "-c", PLUGIN_NAMED_PROBE],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    alone, same, unknown = json.loads(result.stdout)
    assert alone == {n: [n, f"floe_lint.plugins.{n}"] for n in sorted(BUILTIN_ENGINES)}
    assert same == [True] * len(BUILTIN_ENGINES)
    assert unknown is None


def test_self_hosted_engines_are_duckdb_spark_and_postgres() -> None:
    hosted = {name for name, p in registry().plugins.items() if p.is_self_hosted}
    assert hosted == {"duckdb", "spark", "postgres"}


@pytest.mark.parametrize("engine", BUILTIN_ENGINES)
def test_each_workload_size_has_a_resource_spec(engine: str) -> None:
    plugin = registry().plugins[engine]
    specs = [plugin.get_resource_requirements(size) for size in WORKLOAD_SIZES]
    assert all(isinstance(s, ResourceSpec) for s in specs)
    assert all(s.cpu_request and s.memory_limit for s in specs)


@pytest.mark.parametrize("engine", BUILTIN_ENGINES)
def test_an_unknown_workload_size_is_an_error_not_a_default(engine: str) -> None:
    with pytest.raises(PluginError, match="unknown workload size 'huge'"):
        registry().plugins[engine].get_resource_requirements("huge")


@pytest.mark.parametrize("engine", BUILTIN_ENGINES)
def test_each_plugin_names_its_dbt_adapter(engine: str) -> None:
    packages = registry().plugins[engine].get_required_dbt_packages()
    assert any(p.startswith(f"dbt-{engine}") for p in packages), packages


class _Leaky(ComputePlugin):
    name, version, is_self_hosted = "leaky", "0.1", False
    config_schema: ClassVar[dict[str, Any]] = {"type": "object"}
    profile_schema: ClassVar[dict[str, Any]] = {}
    resources: ClassVar[dict[str, ResourceSpec]] = {}

    def generate_dbt_profile(self, config: ComputeConfig) -> dict[str, Any]:
        return {"type": "postgres", "user": "{{ env_var('U') }}", "password": "hunter2"}

    def get_required_dbt_packages(self) -> list[str]:
        return []

    def validate_connection(self, config: ComputeConfig) -> ConnectionResult:
        return ConnectionResult(False, "", checked=False)


def test_a_plugin_cannot_emit_a_literal_secret() -> None:
    with pytest.raises(PluginError, match="literal credential in password") as caught:
        render_profile(_Leaky(), ComputeConfig("leaky"))
    assert "hunter2" not in str(caught.value)


def test_a_literal_secret_in_config_is_refused_without_echoing_it() -> None:
    snowflake = registry().plugins["snowflake"]
    config = ComputeConfig("snowflake", None, {"database": "DB", "password": "hunter2"})
    with pytest.raises(
        PluginError, match=r"literal credential in password; .* \{\{ env_var"
    ) as caught:
        render_profile(snowflake, config)
    assert "hunter2" not in str(caught.value)


def test_a_config_env_var_reference_is_used_for_the_credential() -> None:
    snowflake = registry().plugins["snowflake"]
    ref = "{{ env_var('ACME_SF_PASSWORD') }}"
    config = ComputeConfig("snowflake", None, {"database": "DB", "password": ref})
    assert render_profile(snowflake, config)["password"] == ref


def test_env_prefix_renames_every_credential_variable() -> None:
    postgres = registry().plugins["postgres"]
    profile = render_profile(
        postgres, ComputeConfig("postgres", None, {"dbname": "d", "env_prefix": "WH_"})
    )
    assert profile["user"] == "{{ env_var('WH_USER') }}"
    assert profile["password"] == "{{ env_var('WH_PASSWORD') }}"
    assert profile["host"] == "{{ env_var('WH_HOST') }}"


@pytest.mark.parametrize("engine", ["snowflake", "bigquery", "redshift", "databricks", "spark"])
def test_remote_engines_say_what_they_need_instead_of_pretending(
    engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("SNOWFLAKE_USER", "SNOWFLAKE_PASSWORD", "REDSHIFT_USER", "DATABRICKS_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    config = {
        "snowflake": {"database": "DB"},
        "bigquery": {"project": "p"},
        "redshift": {"host": "h", "dbname": "d"},
        "databricks": {"host": "h", "http_path": "/p"},
        "spark": {"method": "http"},
    }[engine]
    result = registry().plugins[engine].validate_connection(ComputeConfig(engine, None, config))
    assert not result.checked and not result.success
    assert result.message.startswith("not checked:")
    if engine != "bigquery":
        assert "environment variables" in result.message


def test_plugins_command_lists_names_versions_and_dbt_packages() -> None:
    run = run_cli("plugins")
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["NAME", "VERSION", "SELF-HOSTED", "SOURCE", "DBT", "PACKAGES"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == set(BUILTIN_ENGINES)
    # the test extras install upstream's floe-compute-duckdb: its plugin is listed, and said so
    assert rows["duckdb"].split()[:3] == ["duckdb", "0.1.0", "yes"]
    assert "floe-compute-duckdb 0.1.0a1 (upstream floe.computes:" in rows["duckdb"]
    assert "dbt-duckdb>=1.7.0" in rows["duckdb"]
    assert "1.0.0" in rows["postgres"] and "built-in" in rows["postgres"]
    assert "dbt-spark[PyHive]>=1.9" in rows["spark"]
