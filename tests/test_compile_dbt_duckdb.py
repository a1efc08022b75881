"""Real dbt on the generated profiles.yml: the multi-compute example's DuckDB step.

`dbt debug` and `dbt run --target duckdb --select path:models/marts` run once per session
against the profiles.yml that `floe-lint compile` wrote (dbt start-up is slow).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli

# one xdist worker runs this module: its dbt runs is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_compile_dbt_duckdb")

DBT = Path(sys.executable).with_name("dbt")


@dataclass
class DbtRuns:
    project: Path
    debug: subprocess.CompletedProcess[str]
    run: subprocess.CompletedProcess[str]


def dbt(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
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
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(env or {})},
        check=False,
    )


def compile_in(project: Path) -> None:
    """`floe-lint compile` with the project as working directory (session fixtures cannot
    use monkeypatch.chdir)."""
    cwd = Path.cwd()
    os.chdir(project)
    try:
        compiled = run_cli("compile")
    finally:
        os.chdir(cwd)
    assert compiled.code == 0, compiled.stdout + compiled.stderr


@pytest.fixture(scope="session")
def duckdb_dbt(tmp_path_factory: pytest.TempPathFactory) -> DbtRuns:
    if not DBT.exists():
        pytest.fail(f"{DBT} is missing: install the test extras (pip install -e '.[test]')")
    project = tmp_path_factory.mktemp("dbt-duckdb") / "multi-compute"
    shutil.copytree(
        EXAMPLES / "multi-compute", project, ignore=shutil.ignore_patterns("compiled", "*.duckdb")
    )
    compile_in(project)
    debug = dbt(project, "debug", "--target", "duckdb")
    run = dbt(project, "run", "--target", "duckdb", "--select", "path:models/marts")
    return DbtRuns(project, debug, run)


def test_dbt_debug_accepts_the_generated_duckdb_profile(duckdb_dbt: DbtRuns) -> None:
    assert duckdb_dbt.debug.returncode == 0, duckdb_dbt.debug.stdout[-3000:]
    assert "All checks passed!" in duckdb_dbt.debug.stdout


def test_dbt_runs_the_marts_step_on_duckdb(duckdb_dbt: DbtRuns) -> None:
    assert duckdb_dbt.run.returncode == 0, duckdb_dbt.run.stdout[-3000:]
    assert "PASS=1" in duckdb_dbt.run.stdout  # only the marts model: path:models/marts

    import duckdb

    with duckdb.connect(str(duckdb_dbt.project / "sales.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select region, orders, revenue from orders_by_region order by region"
        ).fetchall()
        tables = {
            r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
        }
    assert [(r, n, float(v)) for r, n, v in rows] == [("amer", 1, 80.0), ("emea", 2, 162.75)]
    assert "stg_orders" not in tables  # the staging step belongs to Spark


def test_check_connections_opens_duckdb_and_explains_spark(
    duckdb_dbt: DbtRuns, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(duckdb_dbt.project)
    run = run_cli("check-connections", "floe.yaml")
    assert run.code == 0, run.stdout + run.stderr
    rows = {line.split()[0]: line for line in run.stdout.splitlines()[1:]}
    assert rows["duckdb"].split()[1] == "yes"
    assert "opened sales.duckdb" in rows["duckdb"]
    assert rows["spark"].split()[1] == "skipped"
    assert "spark-thrift.floe-platform.svc.cluster.local:10001" in rows["spark"]
