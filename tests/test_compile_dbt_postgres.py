"""Real dbt-postgres against a real PostgreSQL server started for this session.

The server (Debian's `postgresql`, installed by scripts/test) runs from a temporary folder
with `initdb` + `pg_ctl` on 127.0.0.1 and a free port. Credentials reach dbt and
`check-connections` only through environment variables, never through any file.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli, write_files
from tests.test_compile_dbt_duckdb import compile_in, dbt

# one xdist worker runs this module: its PostgreSQL server and dbt runs is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_compile_dbt_postgres")


@dataclass
class Server:
    port: int
    user: str
    password: str

    @property
    def env(self) -> dict[str, str]:
        return {
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_PORT": str(self.port),
        }


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = Path(found[-1]) if found else Path(shutil.which("initdb") or "initdb")
    if not initdb.exists():
        pytest.fail("PostgreSQL is not installed: scripts/test installs Debian's postgresql")
    return initdb.parent


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="floe-pg-"))  # directly in /tmp: reachable by postgres
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root; the server runs as the postgres user
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = Server(_free_port(), "floe", secrets.token_hex(12))
    password_file = root / "pw"
    password_file.write_text(server.password + "\n", encoding="utf-8")
    if as_user:
        shutil.chown(password_file, "postgres", "postgres")
    data = root / "data"
    _run(
        [
            *as_user,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            server.user,
            f"--pwfile={password_file}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--no-sync",
        ],
    )
    password_file.unlink()
    options = f"-p {server.port} -c listen_addresses=127.0.0.1 -k {root}"
    _run(
        [
            *as_user,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "server.log"),
            "-w",
            "start",
        ],
    )
    try:
        yield server
    finally:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Project:
    path: Path
    debug: subprocess.CompletedProcess[str]
    run: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def postgres_dbt(postgres: Server, tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = tmp_path_factory.mktemp("dbt-postgres") / "sales"
    shutil.copytree(
        EXAMPLES / "multi-compute",
        project,
        ignore=shutil.ignore_patterns("compiled", "*.duckdb", "floe.yaml", "manifest.yaml"),
    )
    write_files(
        project,
        {
            "manifest.yaml": """\
                plugins:
                  compute:
                    approved:
                      - name: postgres
                        config: {host: 127.0.0.1, dbname: postgres, schema: marts, threads: 2}
                        connection_secret_ref: postgres-credentials
                    default: postgres
            """,
            "floe.yaml": """\
                name: sales-analytics
                platform: {ref: manifest.yaml}
                transforms:
                  - {type: dbt, path: models/marts/, compute: postgres}
            """,
        },
    )
    compile_in(project)
    profiles = (project / "target/floe/profiles.yml").read_text("utf-8")
    assert postgres.password not in profiles and str(postgres.port) not in profiles
    debug = dbt(project, "debug", "--target", "postgres", env=postgres.env)
    run = dbt(
        project, "run", "--target", "postgres", "--select", "path:models/marts", env=postgres.env
    )
    return Project(project, debug, run)


def test_dbt_debug_connects_with_the_generated_postgres_profile(postgres_dbt: Project) -> None:
    assert postgres_dbt.debug.returncode == 0, postgres_dbt.debug.stdout[-3000:]
    assert "Connection test: [OK connection ok]" in _plain(postgres_dbt.debug.stdout)


def test_dbt_runs_the_marts_step_on_postgres(postgres_dbt: Project, postgres: Server) -> None:
    assert postgres_dbt.run.returncode == 0, postgres_dbt.run.stdout[-3000:]
    import psycopg2  # type: ignore[import-untyped, unused-ignore]

    with (
        psycopg2.connect(
            host="127.0.0.1",
            port=postgres.port,
            user=postgres.user,
            password=postgres.password,
            dbname="postgres",
        ) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute("select region, orders, revenue from marts.orders_by_region order by region")
        rows = [(r, n, float(v)) for r, n, v in cursor.fetchall()]
    connection.close()
    assert rows == [("amer", 1, 80.0), ("emea", 2, 162.75)]


def test_check_connections_reports_postgres_ok(
    postgres_dbt: Project, postgres: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(postgres_dbt.path)
    for name, value in postgres.env.items():
        monkeypatch.setenv(name, value)
    run = run_cli("check-connections")
    assert run.code == 0, run.stdout + run.stderr
    [row] = run.stdout.splitlines()[1:]
    name, ok, latency, unit, *message = row.split()
    assert (name, ok, unit) == ("postgres", "yes", "ms") and float(latency) >= 0
    assert " ".join(message).startswith("PostgreSQL 1")
    assert postgres.password not in run.stdout


def test_check_connections_fails_on_a_wrong_password_without_showing_it(
    postgres_dbt: Project, postgres: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(postgres_dbt.path)
    for name, value in postgres.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("POSTGRES_PASSWORD", "wrong-" + postgres.password)
    run = run_cli("check-connections")
    assert run.code == 1
    assert run.stdout.splitlines()[1].split()[:2] == ["postgres", "no"]
    assert "password authentication failed" in run.stdout
    assert postgres.password not in run.stdout


def _plain(text: str) -> str:
    """dbt output without its colour codes."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_check_connections_resolves_a_password_through_a_pure_filter(
    postgres: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`password: "{{ env_var('PG_PW') | trim }}"` passes check (a filter that adds no text);
    check-connections sent the template's own text as the password (only `| as_number` was
    read), so the real server refused a connection dbt would make."""
    write_files(
        tmp_path,
        {
            "manifest.yaml": """\
                plugins:
                  compute:
                    approved:
                      - name: postgres
                        config:
                          host: 127.0.0.1
                          dbname: postgres
                          password: "{{ env_var('PG_PW') | trim }}"
                    default: postgres
            """,
            "floe.yaml": """\
                name: sales-analytics
                platform: {ref: manifest.yaml}
                transforms:
                  - {type: dbt, path: models/marts/, compute: postgres}
            """,
        },
    )
    monkeypatch.chdir(tmp_path)
    for name, value in postgres.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PG_PW", f"  {postgres.password}\n")
    assert run_cli("check").code == 0
    run = run_cli("check-connections")
    assert run.code == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[1].split()[:2] == ["postgres", "yes"]
    assert postgres.password not in run.stdout
