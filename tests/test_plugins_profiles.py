"""Every generated dbt output is what the real adapter accepts.

Each engine's output is rendered the way dbt renders profiles.yml (env_var() from the
environment) and validated by the adapter's own credentials class, through dbt-core's
`Profile.from_raw_profile_info`. Every output also matches the JSON Schema the plugin
documents, which is the contract where an adapter is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import re
from argparse import Namespace
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from floe_lint.compute.plugin import BUILTIN_ENGINES, ComputeConfig, registry
from floe_lint.compute.render import literal_secrets, render_profile
from floe_lint.secrets import is_reference, is_secret_key

# (engine, config, adapter module) - every auth method each plugin can emit
CASES: list[tuple[str, dict[str, Any]]] = [
    ("duckdb", {}),
    ("duckdb", {"path": "/data/x.duckdb", "memory_limit": "4GB", "extensions": ["parquet"]}),
    ("spark", {"host": "spark-thrift", "port": 10001, "schema": "staging"}),
    ("spark", {"cluster": "spark-thrift", "auth": "LDAP"}),
    ("spark", {"host": "dbc.example.com", "method": "http", "http_cluster": "0123-abc"}),
    ("snowflake", {"account": "acme-eu1", "database": "ANALYTICS", "role": "TRANSFORMER"}),
    ("snowflake", {"database": "ANALYTICS", "auth": "keypair"}),
    ("snowflake", {"database": "ANALYTICS", "auth": "oauth"}),
    ("bigquery", {"project": "acme-analytics", "dataset": "sales", "location": "EU"}),
    ("bigquery", {"project": "acme-analytics", "method": "service-account"}),
    ("redshift", {"host": "acme.redshift.amazonaws.com", "dbname": "analytics"}),
    (
        "redshift",
        {
            "host": "acme.redshift.amazonaws.com",
            "dbname": "dev",
            "method": "iam",
            "cluster_id": "acme",
            "region": "eu-west-1",
        },
    ),
    (
        "databricks",
        {
            "host": "acme.cloud.databricks.com",
            "http_path": "/sql/1.0/warehouses/1",
            "catalog": "main",
        },
    ),
    (
        "databricks",
        {
            "host": "acme.cloud.databricks.com",
            "http_path": "/sql/1.0/warehouses/1",
            "auth_type": "oauth",
        },
    ),
    ("postgres", {"host": "db.internal", "port": 5432, "dbname": "analytics"}),
    ("postgres", {"dbname": "analytics", "env_prefix": "PG_"}),
    # connection details left out: rendered from the environment (ENGINE_KEY), as in the seed
    ("snowflake", {"warehouse": "COMPUTE_WH"}),
    ("bigquery", {}),
    ("redshift", {}),
    ("databricks", {}),
    ("postgres", {}),
]
ADAPTER_MODULE = {
    "duckdb": "dbt.adapters.duckdb",
    "spark": "dbt.adapters.spark",
    "snowflake": "dbt.adapters.snowflake",
    "bigquery": "dbt.adapters.bigquery",
    "redshift": "dbt.adapters.redshift",
    "databricks": "dbt.adapters.databricks",
    "postgres": "dbt.adapters.postgres",
}
ENV_VALUE = "from-the-environment"
# dbt-databricks still uses pydantic v1-style validators
# one xdist worker runs this module: its module fixture is built once (scripts/test, --dist loadgroup)
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.xdist_group("test_plugins_profiles"),
]


def _profile(engine: str, config: dict[str, Any]) -> dict[str, Any]:
    plugin = registry().get(engine)
    assert plugin is not None
    return render_profile(plugin, ComputeConfig(engine, f"{engine}-credentials", config))


def _ids(case: tuple[str, dict[str, Any]]) -> str:
    engine, config = case
    return (
        engine
        + "-"
        + ("-".join(f"{k}={v}" for k, v in config.items() if k != "host")[:40] or "bare")
    )


def test_every_engine_is_covered() -> None:
    assert {engine for engine, _ in CASES} == set(BUILTIN_ENGINES)


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_profile_matches_the_documented_schema(case: tuple[str, dict[str, Any]]) -> None:
    engine, config = case
    plugin = registry().get(engine)
    assert plugin is not None
    profile = _profile(engine, config)
    errors = [e.message for e in Draft202012Validator(plugin.profile_schema).iter_errors(profile)]
    assert errors == []


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_every_credential_comes_from_the_environment(case: tuple[str, dict[str, Any]]) -> None:
    profile = _profile(*case)
    assert list(literal_secrets(profile)) == []
    secrets = {k: v for k, v in profile.items() if is_secret_key(k)}
    assert all(is_reference(v) for v in secrets.values()), secrets


@pytest.fixture(scope="module")
def dbt_profiles() -> Any:
    """dbt-core's own profile loader, with the global flags it expects."""
    from dbt.config.profile import Profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import set_from_args

    set_from_args(Namespace(), {})
    return Profile, ProfileRenderer


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_adapter_credentials_class_accepts_the_profile(
    case: tuple[str, dict[str, Any]], dbt_profiles: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, config = case
    assert importlib.util.find_spec(ADAPTER_MODULE[engine]) is not None, (
        f"{ADAPTER_MODULE[engine]} is missing: the test extra installs every adapter "
        "(pip install -e '.[test]', as scripts/test does)"
    )
    from dbt_common.context import set_invocation_context

    profile = _profile(engine, config)
    needed = {
        var
        for value in profile.values()
        if isinstance(value, str)
        for var in re.findall(r"env_var\('([^']+)'", value)
    }
    for var in needed:
        monkeypatch.setenv(var, "5432" if var.endswith("PORT") else ENV_VALUE)
    set_invocation_context(dict(os.environ))

    Profile, ProfileRenderer = dbt_profiles
    raw = {"target": engine, "outputs": {engine: dict(profile)}}
    loaded = Profile.from_raw_profile_info(raw, "product", ProfileRenderer({}), engine)

    credentials = loaded.credentials
    assert credentials.type == engine
    for key, value in profile.items():
        if isinstance(value, str) and "env_var(" in value and is_secret_key(key):
            assert getattr(credentials, key) == ENV_VALUE, key  # rendered from the environment
