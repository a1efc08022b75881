"""The command line as users meet it: commands, formats, exit codes and error messages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from floe_lint.load.validation import schema
from tests.conftest import EXAMPLES, REPO, run_cli, write_files


def floe_lint(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "floe_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_mesh_example_is_clean(monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    run = run_cli("check", "examples/mesh")
    assert run.code == 0, run.stdout
    assert run.stdout == ""
    assert "no problems" in run.stderr


BROKEN = EXAMPLES / "broken"


def _readme_command(readme: Path, lead: str) -> str:
    match = re.search(re.escape(lead) + r" `([^`]+)`", readme.read_text("utf-8"))
    assert match, f"{readme} no longer says {lead!r}"
    return match[1]


def test_broken_example_fires_every_rule_as_the_readmes_say() -> None:
    from floe_lint.lint.registry import builtin_rules

    every = {r.id for r in builtin_rules()}
    for readme, lead, cwd in (
        (REPO / "README.md", "To see every rule fire:", REPO),
        (BROKEN / "README.md", "Every rule of floe-lint fires at least once here:", REPO),
    ):
        command = _readme_command(readme, lead)
        # run as written, with the floe-lint this suite tests (`floe-lint` on PATH)
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        env.pop("FLOE_LINT_OFFLINE", None)
        proc = subprocess.run(
            ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 1, proc.stderr
        fired = set(re.findall(r" (?:ERROR|WARNING|NOTE) (FL\d{3}) ", proc.stdout))
        assert every - fired == set(), f"{command}: never fires {sorted(every - fired)}"


def test_text_format_is_path_line_col_severity_id_name_message(monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    run = run_cli("check", "examples/broken/products/orders/floe.yaml", "--select", "FL201")
    first = run.stdout.splitlines()[0]
    assert first.startswith(
        "examples/broken/products/orders/floe.yaml:8:14: ERROR FL201 [compute-not-approved] "
        "transform 'models/staging/' selects compute 'snowflake'"
    )
    assert "\033[" not in run.stdout  # not a terminal: no colour
    assert run.stderr.startswith("floe-lint: 2 errors")


def test_show_source_prints_the_line_and_a_caret(monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    run = run_cli(
        "check", "examples/broken/products/orders/floe.yaml", "--select", "FL201", "--show-source"
    )
    lines = run.stdout.splitlines()
    assert lines[1] == "    8 |     compute: snowflake  # compute-not-approved: sales removed it"
    assert lines[2] == "      |              ^^^^^^^^^"


def test_json_report_matches_its_schema_and_is_sorted(monkeypatch) -> None:
    monkeypatch.chdir(BROKEN)
    run = run_cli("check", ".", "--format", "json")
    report = run.report
    jsonschema.Draft202012Validator(schema("report")).validate(report)
    keys = [(f["file"], f["line"], f["column"], f["rule"]) for f in report["findings"]]
    assert keys == sorted(keys)
    assert report["summary"]["errors"] == sum(f["severity"] == "error" for f in report["findings"])
    assert all("\\" not in f["file"] and not f["file"].startswith("/") for f in report["findings"])


def test_output_file_gets_the_report_and_stdout_stays_empty(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(BROKEN)
    out = tmp_path / "report.json"
    run = run_cli("check", ".", "--format", "json", "--output", str(out))
    assert run.stdout == ""
    assert json.loads(out.read_text())["findings"]


def test_select_and_ignore_by_id_and_name(monkeypatch) -> None:
    monkeypatch.chdir(BROKEN)
    selected = run_cli("check", ".", "--format", "json", "--select", "secret-literal,FL206")
    assert {f["name"] for f in selected.findings} == {"secret-literal", "duplicate-compute"}
    ignored = run_cli("check", ".", "--format", "json", "--ignore", "FL2,schema-*")
    names = {f["name"] for f in ignored.findings}
    assert names and not any(n.startswith("schema-") or n.startswith("compute-") for n in names)


def test_exit_0_when_only_warnings(lint) -> None:
    digest_free = (
        "name: x\nplatform: {ref: 'oci://reg.example/p:latest'}\ntransforms: [{path: a/}]\n"
    )
    run = lint(
        {
            "floe.yaml": digest_free,
            "m.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
        },
        "--ref",
        "oci://reg.example/p:latest=m.yaml",
    )
    assert [f["name"] for f in run.findings] == ["unpinned-ref"]
    assert run.code == 0


def test_usage_errors_exit_2_with_one_line(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for args, expected in [
        (["check", "missing.yaml"], "no such file or directory: missing.yaml"),
        (["check", ".", "--select", "FL999x"], "unknown rule 'FL999x'"),
        (["check", ".", "--ignore", "compute-not-aproved"], "did you mean 'compute-not-approved'?"),
        (["check", ".", "--ref", "oci://x/y:1"], "--ref expects REF=PATH"),
        (["rule", "FL9"], "unknown rule"),
    ]:
        run = run_cli(*args)
        assert run.code == 2, args
        assert expected in run.stderr and "Traceback" not in run.stderr


def test_unreadable_config_is_exit_2_naming_the_file(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {".floe-lint.yaml": "refs: [1, 2\n"})
    run = run_cli("check", ".")
    assert run.code == 2
    assert ".floe-lint.yaml" in run.stderr and "Traceback" not in run.stderr


def test_config_refs_table_resolves_oci_refs_relative_to_the_config(tmp_path, monkeypatch) -> None:
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": "refs:\n  oci://reg.example/platform:1.0: platform/manifest.yaml\n",
            "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "product/floe.yaml": "name: x\nplatform: {ref: 'oci://reg.example/platform:1.0'}\n"
            "transforms: [{path: a/}]\n",
        },
    )
    monkeypatch.chdir(tmp_path / "product")
    run = run_cli("check", ".", "--format", "json")
    assert run.code == 0, run.stdout


def test_rules_lists_every_rule_and_rule_prints_its_doc() -> None:
    run = run_cli("rules")
    assert run.code == 0
    # columns are as wide as the longest id and name
    assert re.search(r"^FL201  compute-not-approved +error ", run.stdout, re.M)
    doc = run_cli("rule", "FL201")
    assert doc.stdout.startswith("FL201 compute-not-approved (default severity: error)")
    assert "Fails:" in doc.stdout and "Why:" in doc.stdout
    assert run_cli("rule", "compute-not-approved").stdout == doc.stdout


def test_schema_command_prints_valid_draft_2020_12_schemas() -> None:
    for name in ("manifest", "floe", "report"):
        run = run_cli("schema", name)
        printed = json.loads(run.stdout)
        jsonschema.Draft202012Validator.check_schema(printed)
        assert printed["$schema"].endswith("2020-12/schema")


def _on_terminal(*args: str, no_color: bool) -> str:
    """stdout of floe-lint run on a pseudo-terminal, as in an interactive shell."""
    import pty

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color:
        env["NO_COLOR"] = "1"
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "floe_lint", *args],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=60) == 1
    finally:
        os.close(leader)
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize(
    ("options", "no_color", "coloured"),
    [
        ((), False, True),  # a terminal: colour
        ((), True, False),  # NO_COLOR: none
        (("--color", "never"), False, False),
        (("--color", "always"), True, True),  # an explicit request wins (no-color.org)
    ],
)
def test_colour_on_a_terminal_unless_no_color_or_told_otherwise(
    options: tuple[str, ...], no_color: bool, coloured: bool
) -> None:
    orders = "examples/broken/products/orders/floe.yaml"
    out = _on_terminal("check", orders, "--select", "FL201", *options, no_color=no_color)
    assert "FL201" in out
    assert ("\033[" in out) is coloured


def test_colour_on_a_pipe_only_when_asked_for() -> None:
    orders = "examples/broken/products/orders/floe.yaml"
    assert "\033[" not in floe_lint("check", orders).stdout
    assert "\033[" in floe_lint("check", orders, "--color", "always", env={"NO_COLOR": "1"}).stdout


def test_version_and_module_entry_point() -> None:
    proc = floe_lint("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("floe-lint ")


def test_internal_errors_are_one_line_without_traceback(tmp_path) -> None:
    # A rule that crashes must not leak a traceback (unless --debug).
    script = (
        "import floe_lint.lint.engine as e, sys\n"
        "def boom(*a, **k): raise RuntimeError('kaboom')\n"
        "e.run = boom\n"
        "from floe_lint.cli import main\n"
        "sys.exit(main(['check', '.']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == "floe-lint: internal error: RuntimeError: kaboom (rerun with --debug)"
    )


def test_files_that_are_not_floe_documents_are_ignored(lint) -> None:
    run = lint(
        {
            "dbt_project.yml": "name: x\nversion: '1.0'\n",
            "models/schema.yml": "version: 2\n",
            "other.yaml": "key: [unclosed\n",
        }
    )
    assert run.findings == [] and run.code == 0


def test_examples_dir_paths_resolve_from_any_working_directory(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", str(EXAMPLES / "mesh"), "--format", "json")
    assert run.code == 0


def test_readme_lists_every_rule() -> None:
    from floe_lint.lint.registry import builtin_rules

    readme = (REPO / "README.md").read_text()
    missing = [
        r.id for r in builtin_rules() if f"| {r.id} | `{r.name}` | {r.severity} |" not in readme
    ]
    assert missing == [], f"README rules table lacks {missing}"


@pytest.mark.parametrize("args", [("rules",), ("schema", "manifest")])
def test_a_reader_that_goes_away_ends_the_run_quietly(args: tuple[str, ...]) -> None:
    """`floe-lint rules | head -1`: no traceback, no internal error, the SIGPIPE status."""
    process = subprocess.Popen(
        [sys.executable, "-m", "floe_lint", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1", "FLOE_LINT_OFFLINE": "1"},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the interpreter has started: every write meets EPIPE
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert "BrokenPipeError" not in stderr and "Exception ignored" not in stderr
