"""Compile a product written in upstream Floe's code dialect, then run it with real dbt on DuckDB.

The upstream-style example's `orders` product selects its models by name; its platform's one
compute is DuckDB. `dbt debug` and `dbt run` run once per session on the profiles.yml that
`floe-lint compile` wrote.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, run_cli

# one xdist worker runs this module: its dbt runs is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_compile_floe_dialect")

DBT = Path(sys.executable).with_name("dbt")


@dataclass
class Compiled:
    project: Path
    artifacts: dict[str, Any]
    profiles: str
    debug: subprocess.CompletedProcess[str]
    run: subprocess.CompletedProcess[str]


def dbt(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(DBT),
            *args,
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project / "target/floe"),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        check=False,
    )


@pytest.fixture(scope="session")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    if not DBT.exists():
        pytest.fail(f"{DBT} is missing: install the test extras (pip install -e '.[test]')")
    tree = tmp_path_factory.mktemp("floe-dialect") / "floe-upstream-style"
    shutil.copytree(EXAMPLES / "floe-upstream-style", tree)
    project = tree / "orders"
    cwd = Path.cwd()
    os.chdir(project)
    try:
        compiled = run_cli("compile", "floe.yaml", "--out", "target/floe")
    finally:
        os.chdir(cwd)
    assert compiled.code == 0, compiled.stdout + compiled.stderr
    artifacts = json.loads((project / "target/floe/compiled_artifacts.json").read_text())
    profiles = (project / "target/floe/profiles.yml").read_text()
    debug = dbt(project, "debug", "--target", "dev")
    run = dbt(project, "run", "--target", "dev", "--select", "stg_orders", "mart_daily_orders")
    return Compiled(project, artifacts, profiles, debug, run)


def test_artifacts_resolve_each_dbt_model_on_the_platforms_compute(orders: Compiled) -> None:
    steps = [
        (m["name"], m["compute"], m["depends_on"], m["quality_tier"])
        for m in orders.artifacts["transforms"]["models"]
    ]
    assert steps == [
        ("stg_orders", "duckdb", None, "bronze"),
        ("mart_daily_orders", "duckdb", ["stg_orders"], "gold"),
    ]
    assert orders.artifacts["transforms"]["default_compute"] == "duckdb"
    assert orders.artifacts["metadata"]["product_name"] == "orders"
    assert orders.artifacts["plugins"]["compute"] == {
        "type": "duckdb",
        "version": "1.1.0",
        "config": {"path": "northwind.duckdb", "threads": 2},
    }


def test_the_profile_has_one_output_named_after_the_environment(orders: Compiled) -> None:
    assert "orders:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n" in orders.profiles
    assert "timeout_seconds: 3600" in orders.profiles
    assert "spark" not in orders.profiles


def test_dbt_debug_accepts_the_generated_profile(orders: Compiled) -> None:
    assert orders.debug.returncode == 0, orders.debug.stdout[-3000:]
    assert "All checks passed!" in orders.debug.stdout


def test_dbt_runs_the_models_the_artifacts_select(orders: Compiled) -> None:
    assert orders.run.returncode == 0, orders.run.stdout[-3000:]
    assert "PASS=2" in orders.run.stdout

    import duckdb

    with duckdb.connect(str(orders.project / "northwind.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select region, sum(orders), sum(revenue) from mart_daily_orders group by region order by region"
        ).fetchall()
    assert [(r, int(n), float(v)) for r, n, v in rows] == [("amer", 1, 80.0), ("emea", 2, 162.75)]


def test_compile_refuses_a_transform_on_a_compute_the_platform_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Upstream's compiler writes artifacts here and the run then has no profile for spark."""
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLES / "broken/upstream/quickstart", tree)
    monkeypatch.chdir(tree)
    run = run_cli("compile", "floe.yaml", "--out", "target/floe")
    assert run.code == 1
    assert "floe.yaml:10:14" in run.stdout + run.stderr
    assert not (tree / "target").exists()


def test_compile_a_product_without_platform_through_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLES / "floe-upstream-style", tree)
    spec = tree / "orders/floe.yaml"
    spec.write_text(spec.read_text().replace("platform:\n  manifest: ../manifest.yaml\n", ""))
    monkeypatch.chdir(tree / "orders")
    run = run_cli("compile", "floe.yaml", "--manifest", "../manifest.yaml", "--out", "out")
    assert run.code == 0, run.stdout + run.stderr
    artifacts = json.loads((tree / "orders/out/compiled_artifacts.json").read_text())
    assert artifacts["plugins"]["orchestrator"]["type"] == "dagster"
