"""check/compile parity: whatever `compile` refuses, `check` reports first.

The suite-wide half lives in `tests/conftest.py` (`compile_where_check_passed`): every product
of every test tree and example that a `check` run passes is compiled, and must compile.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from floe_lint.compute.plugin import registry
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
    ("approved", "missing"),
    [
        ("[snowflake]", "'database'"),
        ("[{name: snowflake, config: {account: acme, warehouse: WH}}]", "'database'"),
        ("[bigquery]", "'project'"),
        ("[postgres]", "'dbname'"),
        ("[{name: redshift, config: {host: h}}]", "'dbname'"),
        ("[{name: databricks, config: {host: h}}]", "'http_path'"),
    ],
)
def test_a_required_plugin_key_is_reported_by_check_at_the_config(
    approved: str, missing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    check = run_cli("check", ".", "--format", "json")
    assert check.code == 1
    [finding] = check.findings
    assert finding["name"] == "compute-config" and finding["file"] == "manifest.yaml"
    assert finding["line"] == 3 and f"lacks required config {missing}" in finding["message"]
    compiled = run_cli("compile", "floe.yaml", "--out", "out")
    assert compiled.code == 1 and not (tmp_path / "out").exists()


def test_a_key_an_enterprise_leaves_to_its_domains_is_judged_where_products_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    product = "name: p\nplatform: {ref: domain.yaml}\ntransforms: [{type: dbt, path: models/a/}]\n"
    enterprise = (
        "scope: enterprise\nplugins: {compute: {approved: [snowflake], default: snowflake}}\n"
    )
    complete = (
        "scope: domain\nparent_manifest: enterprise.yaml\nplugins:\n  compute:\n"
        "    approved: [{name: snowflake, config: {database: SALES}}]\n"
    )
    write_files(
        tmp_path, {"enterprise.yaml": enterprise, "domain.yaml": complete, "floe.yaml": product}
    )
    assert run_cli("check", ".").code == 0
    assert run_cli("check", "enterprise.yaml").code == 0  # domains may complete it
    bare = (
        "scope: domain\nparent_manifest: enterprise.yaml\n"
        "plugins: {compute: {approved: [snowflake]}}\n"
    )
    (tmp_path / "domain.yaml").write_text(bare, "utf-8")
    for given in (".", "domain.yaml", "floe.yaml"):
        run = run_cli("check", given)
        assert run.code == 1 and "domain.yaml:3:32: ERROR FL208" in run.stdout, (given, run.stdout)
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
