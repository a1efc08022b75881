"""Hostile files: special files, odd values and malformed side files never hang or crash a run.

Each case is one of ../shared/repro/security.py's (dev_zero_manifest, fifo_in_tree,
proc_environ_ref, crash_inputs, hostile_config_and_baseline, deep_settings_compile), plus its
neighbours in the same class. Cases that could block run floe-lint in a subprocess with a
timeout, so that a regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from floe_lint.load.reading import ReadError, read_regular
from tests.conftest import run_cli, write_files

MANIFEST = "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
PRODUCT = (
    "name: orders\nversion: '1.0.0'\nplatform: {ref: manifest.yaml}\n"
    "transforms:\n  - {type: dbt, path: models/a/}\n"
)


def product(ref: str, quote: str = "'") -> str:
    return PRODUCT.replace("manifest.yaml", f"{quote}{ref}{quote}", 1)


def floe_lint(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """floe-lint in a fresh process with 1 GB of address space and a timeout."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    return subprocess.run(
        [sys.executable, "-m", "floe_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        preexec_fn=limit_memory,
        check=False,
    )


def no_internal_error(output: str) -> None:
    assert "internal error" not in output and "Traceback" not in output, output


# --- reading files ---------------------------------------------------------------------------


def test_a_manifest_symlinked_to_dev_zero_is_a_finding_naming_it(tmp_path: Path) -> None:
    write_files(tmp_path, {"floe.yaml": PRODUCT})
    (tmp_path / "manifest.yaml").symlink_to("/dev/zero")
    started = time.monotonic()
    done = floe_lint("check", ".", cwd=tmp_path)
    assert time.monotonic() - started < 10
    no_internal_error(done.stdout + done.stderr)
    assert done.returncode == 1
    # The walk does not follow a link out of the folder (the device is never opened as a
    # discovered file); the ref to it is the finding, naming it.
    assert "dev/zero" not in done.stdout
    assert (
        "floe.yaml:3:17: ERROR FL301 [unresolved-ref] cannot resolve platform.ref "
        "'manifest.yaml': 'manifest.yaml' points to a character device" in done.stdout
    )


def test_a_fifo_in_the_tree_does_not_block_and_a_named_one_is_a_finding(tmp_path: Path) -> None:
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    os.mkfifo(tmp_path / "other.yaml")
    os.mkfifo(tmp_path / "floe.prod.yaml")
    done = floe_lint("check", ".", cwd=tmp_path, timeout=20)
    no_internal_error(done.stdout + done.stderr)
    assert "floe.prod.yaml:1:1: ERROR FL001 [yaml-syntax] cannot read file: it is a FIFO" in (
        done.stdout
    )
    assert "other.yaml" not in done.stdout  # not a Floe file by name: skipped, not reported
    named = floe_lint("check", "other.yaml", cwd=tmp_path, timeout=20)
    assert named.returncode == 1 and "other.yaml:1:1: ERROR FL001" in named.stdout


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("/proc/self/environ", "it cannot be read: it is a special file (as in /proc)"),
        ("/dev/zero", "points to a character device, not a regular file"),
        ("fifo.yaml", "points to a FIFO (named pipe), not a regular file"),
        ("notes.yaml", "but it is not a Floe manifest"),
        ("broken.yaml", "but it is not valid YAML (line 1, column 18; lint it on its own"),
    ],
)
def test_a_ref_to_what_is_not_a_manifest_quotes_nothing_of_it(
    tmp_path: Path, target: str, why: str
) -> None:
    write_files(
        tmp_path,
        {
            "floe.yaml": product(target),
            "notes.yaml": "TopSecretNote: 1\n",
            "broken.yaml": "a: [TopSecretNote\n",
        },
    )
    os.mkfifo(tmp_path / "fifo.yaml")
    env = {"FLOE_LINT_REGISTRY_PASSWORD": "TopSecretRegistryPw"}
    for fmt in ("text", "json", "sarif", "github"):
        done = floe_lint(
            "check", "floe.yaml", "--show-source", "--format", fmt, cwd=tmp_path, env=env
        )
        output = done.stdout + done.stderr
        no_internal_error(output)
        assert done.returncode == 1
        assert "TopSecret" not in output, output
        if fmt in ("text", "json"):
            assert why in output, output
    text = floe_lint("check", "floe.yaml", cwd=tmp_path).stdout
    assert text.startswith("floe.yaml:3:17: ERROR FL301 [unresolved-ref]")
    assert len(text.splitlines()) == 1, "only the referencing line is reported"


def test_the_reader_takes_regular_files_only_and_enforces_the_limit_while_reading(
    tmp_path: Path,
) -> None:
    (tmp_path / "small").write_bytes(b"x" * 10)
    assert read_regular(tmp_path / "small", 10) == b"x" * 10
    with pytest.raises(ReadError, match="it is 10 bytes; the limit is 9"):
        read_regular(tmp_path / "small", 9)
    with pytest.raises(ReadError, match="character device"):
        read_regular("/dev/zero")
    with pytest.raises(ReadError, match="special file"):
        read_regular("/proc/self/environ")
    with pytest.raises(ReadError, match="a directory"):
        read_regular(tmp_path)
    (tmp_path / "link").symlink_to(tmp_path / "small")
    assert read_regular(tmp_path / "link") == b"x" * 10
    with pytest.raises(ReadError, match="symbolic link"):
        read_regular(tmp_path / "link", follow_symlinks=False)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "missing")


# --- odd but loadable values -----------------------------------------------------------------

LONG_REF = "a" * 300


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("floe.yaml", product(LONG_REF), 3, "cannot be opened: File name too long"),
        ("manifest.yaml", "scope: !!int domain\n" + MANIFEST, 1, "tagged !!int but is not a whole"),
        ("manifest.yaml", "scope: !!float x\n" + MANIFEST, 1, "tagged !!float but is not a number"),
        ("manifest.yaml", "scope: !!bool maybe\n" + MANIFEST, 1, "!!bool but is not true or false"),
        ("manifest.yaml", "scope: " + "9" * 4301 + "\n" + MANIFEST, 1, "at most 4,300 digits"),
        ("manifest.yaml", "scope: 0x" + "f" * 4000 + "\n" + MANIFEST, 1, "at most 4,300 digits"),
        ("floe.yaml", product("oci://a..b/floe/platform:1.0"), 3, "'a..b' is not a host name"),
        ("floe.yaml", product("oci://[::1]:99999/floe/p:1.0"), 3, "port 99999 is not between"),
        ("floe.yaml", product("oci://[::1]:" + "9" * 5000 + "/f/p:1"), 3, "is not between 1 and"),
        ("floe.yaml", product("oci://[zz]/floe/p:1.0"), 3, "is not a valid OCI reference"),
        ("floe.yaml", product("a\\0b", '"'), 3, "cannot be opened: embedded null byte"),
        ("floe.yaml", product("loop.yaml"), 3, "cannot be opened: Too many levels of symbolic"),
    ],
)
def test_odd_values_are_findings_never_internal_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, line: int, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    run = run_cli("check", name, "--format", "json", "--offline")
    no_internal_error(run.stderr)
    assert run.code == 1
    assert any(f["line"] == line and message in f["message"] for f in run.findings), run.findings


def test_nesting_beyond_100_levels_is_a_finding_at_the_deep_node(tmp_path: Path) -> None:
    from floe_lint.load.document import parse

    deep = parse(Path("m.yaml"), ("x:\n  " + "{a: " * 101 + "1" + "}" * 101 + "\n").encode())
    [problem] = deep.problems
    assert problem.message.startswith("document is nested more than 100 levels deep")
    # x's mapping is level 1, so the 100th flow mapping is level 101: at column 3 + 99 * 4.
    assert (problem.span.start_line, problem.span.start_col) == (2, 3 + 99 * 4)
    for recursive in (b"a: &a {b: 1, <<: *a}\n", b"a: &a [1, *a]\n", b"a: &a {b: *a}\n"):
        [problem] = parse(Path("m.yaml"), recursive).problems
        assert "or an alias refers to a node that contains it" in problem.message
    assert parse(Path("m.yaml"), ("{a: " * 99 + "1" + "}" * 99).encode()).problems == []


def test_a_compute_config_nested_255_deep_is_a_finding_and_90_deep_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    def manifest(depth: int) -> str:
        deep = "{a: " * depth + "1" + "}" * depth
        return (
            "plugins: {compute: {approved: [{name: duckdb, config: {settings: "
            + deep
            + "}}], default: duckdb}}\n"
        )

    write_files(tmp_path, {"manifest.yaml": manifest(255), "floe.yaml": PRODUCT})
    run = run_cli("compile", "floe.yaml", "--out", "out")
    no_internal_error(run.stderr)
    assert run.code == 1 and "nested more than 100 levels deep" in run.stdout + run.stderr
    assert not (tmp_path / "out").exists()
    write_files(tmp_path, {"manifest.yaml": manifest(90)})
    run = run_cli("compile", "floe.yaml", "--out", "out")
    assert run.code == 0, run.stdout + run.stderr
    assert (tmp_path / "out/profiles.yml").is_file()


# --- config, baseline and lock files ---------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "args", "error"),
    [
        (
            {".floe-lint.yaml": "oci:\n  mirrors: {a: 'http://[::1'}\n"},
            [],
            ".floe-lint.yaml: 'oci.mirrors.a' must be an http:// or https:// URL",
        ),
        (
            {".floe-lint.yaml": "oci:\n  mirrors: {a: 'http://a..b:5000'}\n"},
            [],
            "'oci.mirrors.a' is not a valid URL: 'a..b' is not a host name",
        ),
        (
            {".floe-lint.yaml": "oci:\n  mirrors: {a: 'http://h:99999'}\n"},
            [],
            "'oci.mirrors.a' is not a valid URL: port 99999 is not between 1 and 65535",
        ),
        (
            {".floe-lint.yaml": "fail-on: !!int error\n"},
            [],
            ".floe-lint.yaml:1:10: the value is tagged !!int but is not a whole number",
        ),
        (
            {".floe-lint.yaml": "fail-on: " + "9" * 4301 + "\n"},
            [],
            ".floe-lint.yaml:1:10: an integer must have at most 4,300 digits",
        ),
        (
            {"pyproject.toml": "[tool.floe-lint]\nx = " + "[" * 2000 + "]" * 2000 + "\n"},
            [],
            "pyproject.toml: invalid TOML",
        ),
        (
            {"pyproject.toml": "[tool.floe-lint]\nfail-on = " + "9" * 4301 + "\n"},
            [],
            "pyproject.toml: invalid TOML",
        ),
        (
            {"b.json": '{"version": 1, "findings": 5}'},
            ["--baseline", "b.json"],
            "b.json: 'findings' must be a list of findings",
        ),
        (
            {"b.json": '{"version": 1, "findings": [5]}'},
            ["--baseline", "b.json"],
            "b.json: findings[0] needs rule, file, pointer and hash",
        ),
        (
            {"b.json": '{"version": 1, "findings": [{"rule": [], "file": 1}]}'},
            ["--baseline", "b.json"],
            "b.json: findings[0] needs rule, file, pointer and hash",
        ),
        (
            {"b.json": "[" * 100000 + "]" * 100000},
            ["--baseline", "b.json"],
            "b.json: baseline is not valid JSON (it is nested too deeply)",
        ),
        (
            {"b.json": "9" * 5000},
            ["--baseline", "b.json"],
            "b.json: baseline is not valid JSON",
        ),
        ({}, ["--baseline", "a" * 300], ": cannot read baseline: File name too long"),
        ({}, ["a" * 300], "File name too long"),
    ],
)
def test_malformed_config_and_baseline_are_one_line_errors_naming_the_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    args: list[str],
    error: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = run_cli("check", *(args if args and not args[0].startswith("a") else [".", *args]))
    no_internal_error(run.stderr)
    assert run.code == 2
    assert run.stderr.startswith("floe-lint: error: ") and error in run.stderr, run.stderr
    assert len(run.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "lock", ["[" * 100000 + "]" * 100000, '{"version": 1, "refs": {"x": 5}}', "9" * 5000]
)
def test_a_malformed_lock_file_is_a_finding_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lock: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT, "floe.lock": lock})
    run = run_cli("check", ".", "--format", "json")
    no_internal_error(run.stderr)
    [finding] = run.findings
    assert run.code == 1 and finding["name"] == "lock-stale"
    assert finding["message"].startswith("floe.lock: ")


def test_debug_before_the_subcommand_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": MANIFEST,
            ".floe-lint.yaml": "rule-folders: [rules]\n",
            "rules/boom.py": '"""Fails on purpose."""\nID, NAME, SEVERITY, SUBJECT = '
            '"FL990", "boom", "error", "file"\n\n\ndef check(subject, ctx):\n'
            '    raise RuntimeError("boom")\n',
        },
    )
    assert "Traceback" not in run_cli("check", ".").stderr
    for args in (["--debug", "check", "."], ["check", ".", "--debug"]):
        run = run_cli(*args)
        assert run.code == 2 and "Traceback" in run.stderr
        assert "RuntimeError: boom" in run.stderr
