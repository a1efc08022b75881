"""check/compile parity: whatever `compile` refuses, `check` reports first.

The suite-wide half lives in `tests/conftest.py` (`compile_where_check_passed`): every product
of every test tree and example that a `check` run passes is compiled, and must compile.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from floe_lint.compute.plugin import ComputeConfig, is_credential_schema, registry
from tests import conftest
from tests.conftest import EXAMPLES, REPO, run_cli, write_files


def test_every_example_product_that_check_passes_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    products = sorted(EXAMPLES.glob("**/floe.yaml"))
    # offline: the examples' registry refs resolve from their caches, never through DNS; a
    # product naming no platform passes check with a warning (platform-not-checked) and cannot
    # compile: check has reported it, so parity holds
    passing = [
        p
        for p in products
        if run_cli("check", str(p), "--offline").code == 0
        and not conftest.names_no_platform(p, ["--offline"])
    ]
    assert len(passing) >= 4, passing  # the mesh's products and multi-compute
    for product in passing:
        run = run_cli("compile", str(product), "--out", str(tmp_path / product.parent.name))
        assert run.code == 0, (product, run.stdout, run.stderr)


def test_the_suite_compiles_what_check_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The conftest hook is live: a passing check of a tree with a product compiles it."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": "name: p\nplatform: {ref: manifest.yaml}\n"
            "transforms: [{type: dbt, path: models/a/}]\n",
        },
    )
    before = len(conftest.COMPILED)
    assert run_cli("check", ".").code == 0
    assert conftest.COMPILED[before:] == [Path("floe.yaml")]


@pytest.mark.parametrize(
    ("approved", "rendered"),
    [
        ("[snowflake]", {"database": "SNOWFLAKE_DATABASE", "account": "SNOWFLAKE_ACCOUNT"}),
        (
            "[{name: snowflake, config: {warehouse: COMPUTE_WH}}]",
            {"database": "SNOWFLAKE_DATABASE"},
        ),
        ("[bigquery]", {"project": "BIGQUERY_PROJECT"}),
        ("[postgres]", {"dbname": "POSTGRES_DBNAME", "host": "POSTGRES_HOST"}),
        ("[{name: redshift, config: {host: h}}]", {"dbname": "REDSHIFT_DBNAME"}),
        ("[{name: databricks, config: {host: h}}]", {"http_path": "DATABRICKS_HTTP_PATH"}),
        ("[{name: postgres, config: {env_prefix: PG_}}]", {"dbname": "PG_DBNAME"}),
    ],
)
def test_a_connection_detail_left_out_is_rendered_from_the_environment_by_both_commands(
    approved: str, rendered: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seed's plugins read optional settings with `.get` and credentials with env_var():
    neither check nor compile refuses a config without its connection details."""
    monkeypatch.chdir(tmp_path)
    engine = approved.strip("[]{").split(",")[0].removeprefix("name: ")
    write_files(
        tmp_path,
        {
            "manifest.yaml": f"plugins:\n  compute:\n    approved: {approved}\n"
            f"    default: {engine}\n",
            "floe.yaml": "name: p\nplatform: {ref: manifest.yaml}\n"
            "transforms: [{type: dbt, path: models/a/}]\n",
        },
    )
    check = run_cli("check", ".")
    assert (check.code, check.stdout) == (0, "")
    compiled = run_cli("compile", "floe.yaml", "--out", "out")
    assert compiled.code == 0, compiled.stdout + compiled.stderr
    output = yaml.safe_load((tmp_path / "out" / "profiles.yml").read_text("utf-8"))
    profile = output["p"]["outputs"][engine]
    for key, variable in rendered.items():
        assert profile[key] == "{{ env_var('" + variable + "') }}", key


def test_every_key_left_to_the_environment_is_documented_in_the_plugins_schema() -> None:
    """`plugins --schema NAME` names the variable of every key a bare name leaves out."""
    for name, plugin in registry().plugins.items():
        profile = plugin.generate_dbt_profile(ComputeConfig(name, None, {}))
        schema = json.loads(run_cli("plugins", "--schema", name).stdout)["properties"]
        for key, value in profile.items():
            variable = f"{name.upper()}_{key.upper()}"
            if value == "{{ env_var('" + variable + "') }}" and not is_credential_schema(
                schema[key]
            ):
                assert schema[key]["default"] == value, (name, key)
                assert f"the environment variable {variable}" in schema[key]["description"]


def test_the_readme_table_of_environment_variables_is_what_the_schemas_say() -> None:
    text = (REPO / "README.md").read_text("utf-8")
    start = text.index(
        "| compute | keys taken from the environment when the config leaves them out |"
    )
    rows = text[start:].split("\n\n")[0].splitlines()[2:]
    documented: dict[str, dict[str, str]] = {}
    for row in rows:
        name, keys = (cell.strip() for cell in row.strip("|").split("|"))
        documented[name] = dict(re.findall(r"`(\w+)` \(`(\w+)`", keys))
    for name, plugin in registry().plugins.items():
        properties = plugin.config_schema["properties"]
        from_env = {
            k for k, v in properties.items() if "default" in v and "env_var" in v["default"]
        }
        assert from_env <= set(documented.get(name, {})), name
        for key, variable in documented.get(name, {}).items():
            assert f"the environment variable {variable} " in properties[key]["description"]


def test_a_key_a_plugin_declares_required_is_judged_where_products_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # a third-party style plugin that declares a required key, which compile refuses
    strict = copy.copy(registry().plugins["postgres"])
    strict.config_schema = {**strict.config_schema, "required": ["dbname"]}
    monkeypatch.setitem(registry().plugins, "postgres", strict)
    product = "name: p\nplatform: {ref: domain.yaml}\ntransforms: [{type: dbt, path: models/a/}]\n"
    enterprise = (
        "scope: enterprise\nplugins: {compute: {approved: [postgres], default: postgres}}\n"
    )
    complete = (
        "scope: domain\nparent_manifest: enterprise.yaml\nplugins:\n  compute:\n"
        "    approved: [{name: postgres, config: {dbname: sales}}]\n"
    )
    write_files(
        tmp_path, {"enterprise.yaml": enterprise, "domain.yaml": complete, "floe.yaml": product}
    )
    assert run_cli("check", ".").code == 0
    assert run_cli("check", "enterprise.yaml").code == 0  # domains may complete it
    bare = (
        "scope: domain\nparent_manifest: enterprise.yaml\n"
        "plugins: {compute: {approved: [postgres]}}\n"
    )
    (tmp_path / "domain.yaml").write_text(bare, "utf-8")
    message = (
        "domain.yaml:3:32: ERROR FL208 [compute-config] compute 'postgres' lacks required "
        "config 'dbname', even merged with its parents'"
    )
    for given in (".", "domain.yaml", "floe.yaml"):
        run = run_cli("check", given)
        assert run.code == 1 and message in run.stdout, (given, run.stdout)
    assert run_cli("compile", "floe.yaml", "--out", "out").code == 1


def test_plugins_schema_prints_each_plugins_config_schema() -> None:
    for name, plugin in registry().plugins.items():
        run = run_cli("plugins", "--schema", name)
        assert run.code == 0
        schema = json.loads(run.stdout)
        assert schema == plugin.config_schema
        jsonschema.Draft202012Validator.check_schema(schema)


def test_plugins_schema_of_an_unknown_compute_is_exit_2_with_did_you_mean() -> None:
    run = run_cli("plugins", "--schema", "snowflak")
    assert run.code == 2 and run.stdout == ""
    assert "no compute plugin 'snowflak'; did you mean 'snowflake'?" in run.stderr
    assert "installed: bigquery" in run.stderr and "Traceback" not in run.stderr


def test_an_upstream_platform_on_snowflake_by_name_lints_clean_and_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The three-tier quickstart's shape: `plugins.compute: {type: snowflake}`, no config."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "apiVersion: floe.dev/v1\nkind: Manifest\n"
            "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\n"
            "plugins:\n  compute: {type: snowflake}\n  orchestrator: {type: dagster}\n",
            "floe.yaml": "apiVersion: floe.dev/v1\nkind: FloeSpec\n"
            "metadata: {name: orders, version: 1.0.0}\n"
            "platform: {manifest: manifest.yaml}\ntransforms: [{name: stg_orders}]\n",
        },
    )
    check = run_cli("check", ".")
    assert (check.code, check.stdout) == (0, "")
    assert run_cli("compile", "floe.yaml", "--out", "out").code == 0
    profile = yaml.safe_load((tmp_path / "out" / "profiles.yml").read_text("utf-8"))
    output = profile["orders"]["outputs"]["dev"]  # upstream renders one output per environment
    assert output["database"] == "{{ env_var('SNOWFLAKE_DATABASE') }}"
    assert output["account"] == "{{ env_var('SNOWFLAKE_ACCOUNT') }}"
