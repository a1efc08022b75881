"""Upstream Floe's compute plugins as a plugin source, with the real floe-compute-duckdb: its
`floe.computes` entry point is adapted onto floe-lint's contract, preferred over the built-in
DuckDB plugin for products in upstream's dialect, named as the one that rendered the profile,
and real dbt accepts what it renders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from floe_compute_duckdb import DuckDBComputePlugin
from floe_core.compute_config import ComputeConfig as UpstreamConfig

from floe_lint.compute.plugin import ComputeConfig, PluginError
from floe_lint.compute.upstream_plugins import preferring_upstream
from tests.conftest import run_cli

DBT = Path(sys.executable).with_name("dbt")
CONFIG = {"path": "{product_slug}.duckdb", "threads": 3, "memory_limit": "1GB"}


def write_product(root: Path, config: dict[str, object] | None) -> None:
    compute: dict[str, object] = {"type": "duckdb"}
    if config is not None:
        compute["config"] = config
    manifest = {
        "apiVersion": "floe.dev/v1",
        "kind": "Manifest",
        "metadata": {"name": "acme", "version": "1.0.0", "owner": "platform@acme.example"},
        "plugins": {"compute": compute, "orchestrator": {"type": "dagster"}},
    }
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    (root / "floe.yaml").write_text(
        "apiVersion: floe.dev/v1\nkind: FloeSpec\nmetadata: {name: daily-orders, version: 1.0.0}\n"
        "transforms: [{name: stg_orders}]\n"
    )
    (root / "dbt_project.yml").write_text(
        "name: daily_orders\nprofile: daily-orders\nversion: '1.0'\nconfig-version: 2\n"
    )


def compile_in(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, object]]:
    monkeypatch.chdir(root)
    run = run_cli("compile", "floe.yaml", "--out", "target/floe")
    assert run.code == 0, run.stdout + run.stderr
    profiles = yaml.safe_load((root / "target/floe/profiles.yml").read_text())
    return run.stdout, profiles["daily-orders"]["outputs"]["dev"]


def test_the_upstream_plugin_is_listed_with_its_source_and_version() -> None:
    found = preferring_upstream()
    plugin = found.plugins["duckdb"]
    assert plugin.version == "0.1.0"
    assert found.sources["duckdb"].startswith(
        "floe-compute-duckdb 0.1.0a1 (upstream floe.computes: "
        "floe_compute_duckdb:DuckDBComputePlugin), over the built-in"
    )
    assert found.sources["spark"] == "built-in"


def test_the_adapter_maps_the_manifest_config_onto_upstreams_compute_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_product(tmp_path, CONFIG)
    stdout, output = compile_in(tmp_path, monkeypatch)
    expected = DuckDBComputePlugin().generate_dbt_profile(
        UpstreamConfig(
            plugin="duckdb",
            threads=3,
            timeout_seconds=3600,
            connection={"path": "daily_orders.duckdb", "memory_limit": "1GB"},
        )
    )
    assert output == expected
    assert output["settings"] == {"memory_limit": "1GB"}
    assert (
        "profile daily-orders.dev: rendered by duckdb 0.1.0 from floe-compute-duckdb 0.1.0a1 "
        "(upstream floe.computes:" in stdout
    )


def test_it_is_preferred_over_the_built_in_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a path upstream's plugin uses an in-memory database; the built-in one a file."""
    write_product(tmp_path, None)
    _, output = compile_in(tmp_path, monkeypatch)
    assert output == {"type": "duckdb", "path": ":memory:", "threads": 4, "timeout_seconds": 3600}


def test_an_upstream_plugins_refusal_is_a_plugin_error() -> None:
    plugin = preferring_upstream().plugins["duckdb"]
    with pytest.raises(PluginError, match=r"must not contain '\.\.'"):
        plugin.generate_dbt_profile(ComputeConfig("duckdb", None, {"path": "../escape.duckdb"}))


def test_dbt_debug_accepts_the_profile_the_upstream_plugin_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_product(tmp_path, CONFIG)
    compile_in(tmp_path, monkeypatch)
    debug = subprocess.run(
        [
            str(DBT),
            "debug",
            "--target",
            "dev",
            "--project-dir",
            str(tmp_path),
            "--profiles-dir",
            str(tmp_path / "target/floe"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        check=False,
    )
    assert debug.returncode == 0, debug.stdout[-3000:]
    assert "All checks passed!" in debug.stdout
