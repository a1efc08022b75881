"""What the commands say around a lint run: hints that work when followed, counts in words,
check modes that never claim to write, paths that can be pasted, options with a way back."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, run_cli, write_files
from tests.oci_support import free_port

FLOE_LINT = shutil.which("floe-lint", path=str(Path(sys.executable).parent)) or "floe-lint"
HINT = re.compile(r"run this and commit the result: (.+)$", re.M)


def _run_hint(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a hinted command exactly as printed (as a user pasting it into a shell would)."""
    words = shlex.split(command)
    assert words[0] == "floe-lint"
    return subprocess.run(
        [FLOE_LINT, *words[1:]], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def product(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The multi-compute example under products/sales, its platform behind an oci:// ref."""
    shutil.copytree(
        EXAMPLES / "multi-compute",
        tmp_path / "products/sales",
        ignore=shutil.ignore_patterns("compiled", "*.duckdb"),
    )
    shutil.move(tmp_path / "products/sales/manifest.yaml", tmp_path / "platform.yaml")
    floe = tmp_path / "products/sales/floe.yaml"
    floe.write_text(
        floe.read_text("utf-8").replace("ref: manifest.yaml", "ref: oci://reg.invalid/p:1"),
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return floe


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--out", "products/sales/compiled"],
        ["--out", "build dir/floe", "--config", "ci/floe lint.yaml"],
    ],
)
def test_every_compile_check_hint_makes_the_check_pass(product: Path, options: list[str]) -> None:
    ref = ["--ref", "oci://reg.invalid/p:1=platform.yaml"]
    if "--config" in options:
        write_files(product.parents[2], {"ci/floe lint.yaml": "fail-on: error\n"})
    check = ["compile", "products/sales/floe.yaml", *options, *ref, "--check"]
    first = run_cli(*check)
    assert first.code == 1
    hints = set(HINT.findall(first.stderr))
    assert len(hints) == 1, first.stderr
    [hint] = hints
    done = _run_hint(hint, product.parents[2])
    assert done.returncode == 0, done.stderr
    again = run_cli(*check)
    assert again.code == 0, again.stderr


def test_compile_check_with_lint_errors_never_says_written(product: Path) -> None:
    missing = ["--ref", "oci://reg.invalid/p:1=missing.yaml"]  # resolves to no file
    run = run_cli("compile", "products/sales/floe.yaml", *missing, "--check")
    assert run.code == 1
    assert "nothing compared" in run.stderr
    assert "written" not in run.stderr


def test_lock_check_of_an_unresolved_hierarchy_never_says_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"p/floe.yaml": "name: p\nplatform: {ref: ../missing.yaml}\n"})
    run = run_cli("lock", "p", "--check")
    assert run.code == 1
    assert "p/floe.lock cannot be checked: the hierarchy did not resolve" in run.stderr
    assert "written" not in run.stderr
    assert "p/floe.lock not written" in run_cli("lock", "p").stderr


def test_lock_without_oci_refs_says_there_is_nothing_to_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "platform.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "p/floe.yaml": "name: p\nplatform: {ref: ../platform.yaml}\n",
        },
    )
    for args in (["lock", "p"], ["lock", "p", "--check"]):
        run = run_cli(*args)
        assert run.code == 0
        assert run.stdout == "p/floe.yaml: no oci:// refs; nothing to lock\n"
    assert not (tmp_path / "p/floe.lock").exists()


def test_publish_refusal_shows_each_severity_and_counts_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {"manifest.yaml": "plugins: {compute: {approved: [duckdb, nosuch], default: nosuch}}\n"},
    )
    # the lint refuses the push before any connection: the port is closed anyway
    run = run_cli("publish", "manifest.yaml", f"oci://127.0.0.1:{free_port()}/p:1")
    assert run.code == 1
    lines = run.stderr.splitlines()
    assert lines[0].startswith("manifest.yaml:1:") and " ERROR FL205 [unknown-compute] " in lines[0]
    assert lines[-1] == "floe-lint: not published: 1 error in manifest.yaml"
    assert "(s)" not in run.stderr


def test_config_prints_paths_that_paste_back_into_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = (
        "baseline: .floe-lint-baseline.json\n"
        "rule-folders: [ci/rules]\n"
        "refs: {'oci://reg.invalid/p:1': platform/manifest.yaml}\n"
    )
    write_files(tmp_path, {".floe-lint.yaml": config, "ci/rules/__init__.py": ""})
    first = run_cli("config")
    assert first.code == 0, first.stderr
    data = yaml.safe_load(first.stdout)
    assert data["baseline"] == ".floe-lint-baseline.json"
    assert data["rule-folders"] == ["ci/rules"]
    assert data["refs"] == {"oci://reg.invalid/p:1": "platform/manifest.yaml"}
    (tmp_path / ".floe-lint.yaml").write_text(first.stdout, "utf-8")  # pasted as printed
    assert run_cli("config").stdout == first.stdout
    # from a subfolder the config (and so every path in it) is the same
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert yaml.safe_load(run_cli("config").stdout) == data


def test_show_source_can_be_turned_off_again(lint) -> None:  # type: ignore[no-untyped-def]
    files = {"floe.yaml": "name: x\nplatform: {ref: nowhere.yaml}\n"}
    lint(files)
    shown = run_cli("check", ".", "--show-source")
    assert "^" in shown.stdout
    hidden = run_cli("check", ".", "--show-source", "--no-show-source")
    assert hidden.stdout and "^" not in hidden.stdout
    assert hidden.stdout == run_cli("check", ".").stdout  # not a terminal: off by default


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["check", "--fromat", "json", "."],
            "unknown option '--fromat' for 'floe-lint check'; did you mean '--format'?",
        ),
        (
            ["check", "--selct=FL2", "."],
            "unknown option '--selct' for 'floe-lint check'; did you mean '--select'?",
        ),
        (
            ["lock", "--chek"],
            "unknown option '--chek' for 'floe-lint lock'; did you mean '--check'?",
        ),
        (["--debgu", "rules"], "unknown option '--debgu' for 'floe-lint rules'; did you mean"),
        (["rules", "extra"], "unexpected argument 'extra' for 'floe-lint rules'"),
    ],
)
def test_unknown_options_get_a_did_you_mean(argv: list[str], message: str) -> None:
    run = run_cli(*argv)
    assert run.code == 2
    assert message in run.stderr
    assert run.stderr.count("\n") == 1


def test_debug_shows_the_traceback_and_exits_2_as_documented(tmp_path: Path) -> None:
    script = (
        "import floe_lint.lint.engine as e, sys\n"
        "def boom(*a, **k): raise RuntimeError('kaboom')\n"
        "e.run = boom\n"
        "from floe_lint.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    for argv in (["--debug", "check", "."], ["check", ".", "--debug"]):
        proc = subprocess.run(
            [sys.executable, "-c", script, *argv],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 2
        assert "Traceback (most recent call last)" in proc.stderr
        assert "RuntimeError: kaboom" in proc.stderr
    readme = (EXAMPLES.parent / "README.md").read_text("utf-8")
    assert "`2` usage, config or internal error" in readme and "`--debug`" in readme


def test_check_connections_shows_what_the_user_wrote_and_never_fails_on_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DBX_HOST", "SNOWFLAKE_ACCOUNT", "SPARK_HOST"):
        monkeypatch.delenv(name, raising=False)
    write_files(
        tmp_path,
        {
            "manifest.yaml": """\
                plugins:
                  compute:
                    approved:
                      - bigquery
                      - redshift
                      - duckdb
                      - {name: databricks, config: {host: "{{ env_var('DBX_HOST') }}"}}
                      - {name: snowflake, config: {account: "{{ env_var('SNOWFLAKE_ACCOUNT') }}"}}
                      - {name: spark, config: {host: "{{ env_var('SPARK_HOST', 'spark.local') }}"}}
                    default: duckdb
                """
        },
    )
    run = run_cli("check-connections", "manifest.yaml")
    assert run.code == 0, run.stdout + run.stderr  # nothing that was really checked failed
    assert "None" not in run.stdout and "{{" not in run.stdout and "env_var" not in run.stdout
    rows = {line.split()[0]: line for line in run.stdout.splitlines()[1:]}
    assert "bigquery at project (no project configured)" in rows["bigquery"]
    assert "redshift at (no host configured):5439" in rows["redshift"]
    assert "databricks at $DBX_HOST" in rows["databricks"]
    assert "snowflake at account $SNOWFLAKE_ACCOUNT" in rows["snowflake"]
    assert "spark at $SPARK_HOST:10001" in rows["spark"]
    assert rows["duckdb"].split()[1] in ("yes", "skipped")
    if not Path("/data").is_dir():
        assert "no path configured; dbt uses /data/warehouse.duckdb in the pod" in rows["duckdb"]


def test_compile_of_an_upstream_product_without_a_platform_says_to_pass_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Upstream's platform.manifest is optional; compile then needs --manifest, and says so."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "floe.yaml": "apiVersion: floe.dev/v1\nkind: FloeSpec\n"
            "metadata: {name: orders, version: 1.0.0}\ntransforms:\n  - {name: stg_orders}\n"
        },
    )
    run = run_cli("compile", "floe.yaml", "--out", "out")
    assert run.code == 1
    assert run.stderr == (
        "floe-lint: compile failed: floe.yaml:1:1: the product names no platform "
        "(platform.manifest); pass --manifest\n"
    )
    assert not (tmp_path / "out").exists()
