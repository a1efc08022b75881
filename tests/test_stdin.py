"""`floe-lint check - --stdin-filename PATH`, through the installed console script: unsaved
text (an editor's buffer) is linted as if it were at PATH: findings name PATH, its refs resolve
from PATH's folder, and a manifest's dependents are found as for the file on disk. Standard
input is read up to the limit every file has, never whole."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.load.reading import MAX_BYTES
from tests.conftest import write_files

FLOE_LINT = shutil.which("floe-lint", path=str(Path(sys.executable).parent)) or "floe-lint"
MANIFEST = "plugins:\n  compute:\n    approved: [duckdb, spark]\n    default: duckdb\n"
PRODUCT = """\
name: {name}
version: 1.0.0
platform: {{ref: ../../platform/manifest.yaml}}
transforms:
  - {{type: dbt, path: models/x/, compute: {compute}}}
"""


def floe_lint(cwd: Path, stdin: bytes, *argv: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [FLOE_LINT, *argv],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        check=False,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": MANIFEST,
            "products/a/floe.yaml": PRODUCT.format(name="a", compute="spark"),
            "products/b/floe.yaml": PRODUCT.format(name="b", compute="duckdb"),
        },
    )
    return tmp_path


def test_the_text_is_linted_where_it_would_be(tree: Path) -> None:
    unsaved = PRODUCT.format(name="a", compute="snowflake").encode()
    done = floe_lint(tree, unsaved, "check", "-", "--stdin-filename", "products/a/floe.yaml")
    assert done.returncode == 1
    assert done.stdout.decode() == (
        "products/a/floe.yaml:5:43: ERROR FL201 [compute-not-approved] transform 'models/x/' "
        "selects compute 'snowflake', which platform manifest manifest.yaml does not approve "
        "(no level of the hierarchy approves it); approved: duckdb, spark\n"
    )
    # FL201 has an unsafe fix, but --fix is refused with standard input: it is not offered
    assert done.stderr.decode() == "floe-lint: 1 error (2 files checked)\n"
    # the file on disk is clean: what was linted is the text
    clean = floe_lint(tree, b"", "check", "products/a/floe.yaml")
    assert (clean.returncode, clean.stdout) == (0, b"")


def test_the_same_text_on_disk_offers_its_fixes(tree: Path) -> None:
    (tree / "products/a/floe.yaml").write_text(PRODUCT.format(name="a", compute="snowflake"))
    done = floe_lint(tree, b"", "check", "products/a/floe.yaml")
    assert done.stderr.decode() == (
        "floe-lint: 1 error (2 files checked)\n"
        "floe-lint: 0 fixable with --fix; 1 more with --unsafe-fixes\n"
    )


def test_a_file_that_is_not_saved_yet(tree: Path) -> None:
    unsaved = PRODUCT.format(name="draft", compute="snowflake").encode()
    done = floe_lint(
        tree,
        unsaved,
        "check",
        "-",
        "--stdin-filename",
        "products/a/draft.yaml",
        "--format",
        "concise",
    )
    assert not (tree / "products/a/draft.yaml").exists()
    assert done.stdout.decode().startswith(
        "products/a/draft.yaml:5:43: ERROR FL201 [compute-not-approved] "
    )


def test_an_unsaved_manifest_brings_its_dependents(tree: Path) -> None:
    narrowed = MANIFEST.replace("[duckdb, spark]", "[duckdb]").encode()
    done = floe_lint(tree, narrowed, "check", "-", "--stdin-filename", "platform/manifest.yaml")
    assert done.returncode == 1
    assert done.stdout.decode() == (
        "products/a/floe.yaml:5:43: ERROR FL201 [compute-not-approved] transform 'models/x/' "
        "selects compute 'spark', which platform manifest manifest.yaml does not approve "
        "(no level of the hierarchy approves it); approved: duckdb\n"
        "      note: a dependent of the changed manifest platform/manifest.yaml\n"
    )
    assert done.stderr.decode() == (
        "floe-lint: 1 error (3 files checked, 2 of them dependents of the changed manifests)\n"
    )


def test_standard_input_is_read_up_to_the_limit(tree: Path) -> None:
    huge = b"# " + b"x" * MAX_BYTES + b"\n"
    done = floe_lint(tree, huge, "check", "-", "--stdin-filename", "products/a/floe.yaml")
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.decode() == "floe-lint: error: standard input is larger than 5 MiB\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["check", "-"],
            "'check -' needs --stdin-filename PATH: where the text would be (its name decides "
            "what it is, its folder resolves its refs)",
        ),
        (
            ["check", "--stdin-filename", "floe.yaml", "."],
            "--stdin-filename is for 'check -' (the text on standard input)",
        ),
        (
            ["check", "-", "--stdin-filename", "products"],
            "--stdin-filename products is a folder; name a file in it",
        ),
    ],
)
def test_stdin_usage_errors_are_one_line(tree: Path, argv: list[str], message: str) -> None:
    done = floe_lint(tree, b"name: x\n", *argv)
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.decode() == f"floe-lint: error: {message}\n"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    computes=st.lists(st.sampled_from(["duckdb", "spark", "snowflake", "", "duck db"]), max_size=4),
    extra=st.sampled_from(
        ["", "colour: blue\n", "version: [1]\n", "platform: {ref: nowhere.yaml}\n"]
    ),
    at=st.sampled_from(["products/a/floe.yaml", "products/a/draft.yaml", "platform/manifest.yaml"]),
)
def test_stdin_reports_what_the_same_text_on_disk_reports(
    tree: Path, computes: list[str], extra: str, at: str
) -> None:
    """Any text, linted through stdin as if at PATH, gets the report that the same text saved
    at PATH gets (in-process, to keep the property fast)."""
    lines = "".join(
        f"  - {{type: dbt, path: models/m{i}/, compute: '{c}'}}\n" for i, c in enumerate(computes)
    )
    if at.startswith("platform/"):
        text = (
            MANIFEST.replace(
                "[duckdb, spark]", f"[{', '.join(c for c in computes if c) or 'duckdb'}]"
            )
            + extra
        )
    else:
        text = PRODUCT.format(name="a", compute="duckdb") + lines + extra
    raw = text.encode()
    original = (tree / at).read_bytes() if (tree / at).exists() else None
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(raw))
        try:
            piped = _lint_json(["check", "-", "--stdin-filename", at])
        finally:
            sys.stdin = stdin
        (tree / at).write_bytes(raw)
        saved = _lint_json(["check", at])
    finally:
        if original is None:
            (tree / at).unlink(missing_ok=True)
        else:
            (tree / at).write_bytes(original)
        os.chdir(cwd)
    # the same report, except that saved text is offered its fixes (`--fix` needs a file)
    offered = "".join(
        line for line in saved[2].splitlines(True) if "fixable with --fix" not in line
    )
    assert piped == (saved[0], saved[1], offered)
    assert "fixable with --fix" not in piped[2]


def _lint_json(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--format", "json"], out, err)
    return code, out.getvalue(), err.getvalue()
