"""`floe-lint impact` of a version that cannot be read as a manifest: never "0 dependents".

A manifest that does not parse has no dependents to search, so an impact of it would read as
"nothing below breaks". Either version (the new one in the working tree, the old one at a
revision or in a file) that does not parse, or that holds no manifest while the other does, is
refused in one line naming the file and the place, with exit 2 and no report. A new version
that parses but breaks its schema is measured as usual: its dependents are found and the
findings it introduces make the exit 1.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli, write_files
from tests.test_dependents import TREE, WITHOUT_SNOWFLAKE
from tests.test_impact import ENTERPRISE, git

GOOD = WITHOUT_SNOWFLAKE.lstrip("\n")
#: the good manifest with a flow sequence left open at the end of line 7
BROKEN = GOOD + "  audit: [duckdb,\n"
BROKEN_AT = "7:18"
BROKEN_WHY = "invalid YAML: did not find expected node content (while parsing a flow node)"
NEW_TAIL = "; the change's impact on its dependents cannot be measured\n"
OLD_TAIL = (
    "; the change's impact cannot be measured against it: pass --against a revision or file "
    "that holds the manifest\n"
)


@pytest.fixture
def committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TREE committed (the enterprise manifest approves snowflake; three dependents)."""
    write_files(tmp_path, TREE)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _refused(run_args: list[str], message: str) -> None:
    run = run_cli(*run_args)
    assert (run.code, run.stdout) == (2, ""), run.stdout
    assert run.stderr == f"floe-lint: error: {message}"
    assert "0 dependents" not in run.stderr


def test_a_new_version_that_does_not_parse_is_refused_not_read_as_no_impact(
    committed: Path,
) -> None:
    (committed / ENTERPRISE).write_text(BROKEN, "utf-8")
    message = f"{ENTERPRISE}:{BROKEN_AT}: the new version cannot be parsed: {BROKEN_WHY}{NEW_TAIL}"
    _refused(["impact", ENTERPRISE], message)
    # no report for a pull-request comment or a job either: no "0 dependents" anywhere
    report = committed / "impact.json"
    _refused(["impact", ENTERPRISE, "--format", "json", "--output", str(report)], message)
    assert not report.exists()
    _refused(["impact", ENTERPRISE, "--format", "markdown"], message)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (b"\xff\xfe", "cannot be parsed: file is not valid UTF-8"),
        (b"", "holds no manifest (a mapping with plugins: or scope:)"),
        (b"# scope: enterprise\n", "holds no manifest (a mapping with plugins: or scope:)"),
        (b"- duckdb\n- spark\n", "holds no manifest (a mapping with plugins: or scope:)"),
    ],
)
def test_a_new_version_that_holds_no_manifest_is_refused(
    committed: Path, text: bytes, why: str
) -> None:
    (committed / ENTERPRISE).write_bytes(text)
    _refused(["impact", ENTERPRISE], f"{ENTERPRISE}:1:1: the new version {why}{NEW_TAIL}")


def test_a_new_version_that_breaks_its_schema_is_measured_with_its_dependents(
    committed: Path,
) -> None:
    """It parses: the dependents are found (3), and what it introduces is listed, exit 1."""
    (committed / ENTERPRISE).write_text("scope: enterprise\nplugins: 5\n", "utf-8")
    run = run_cli("impact", ENTERPRISE)
    assert run.code == 1, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == f"impact of {ENTERPRISE} against HEAD: 3 dependents"
    assert lines[2] == (
        f"  + {ENTERPRISE}:2:10: ERROR FL102 [schema-type] 'plugins' must be a mapping, "
        "not an integer (5)"
    )
    assert run.stderr == (
        "floe-lint: the change introduces 6 errors; breaks: platform/sales/manifest.yaml, "
        "products/customers/floe.yaml, products/orders/floe.yaml\n"
    )


def test_an_old_version_in_a_file_that_does_not_parse_is_refused(committed: Path) -> None:
    (committed / ENTERPRISE).write_text(GOOD, "utf-8")
    old = committed / "old.yaml"
    old.write_text(BROKEN, "utf-8")
    message = f"{old}:{BROKEN_AT}: the old version cannot be parsed: {BROKEN_WHY}{OLD_TAIL}"
    _refused(["impact", ENTERPRISE, "--against", str(old)], message)
    old.write_text("[duckdb]\n", "utf-8")
    message = f"{old}:1:1: the old version holds no manifest (a mapping with plugins: or scope:)"
    _refused(["impact", ENTERPRISE, "--against", str(old)], message + OLD_TAIL)


def test_an_old_version_at_a_revision_that_does_not_parse_is_refused(committed: Path) -> None:
    (committed / ENTERPRISE).write_text(BROKEN, "utf-8")
    git(committed, "commit", "-qam", "broken")
    (committed / ENTERPRISE).write_text(GOOD, "utf-8")
    message = (
        f"{ENTERPRISE}:{BROKEN_AT} at revision HEAD: the old version cannot be parsed: "
        f"{BROKEN_WHY}{OLD_TAIL}"
    )
    _refused(["impact", ENTERPRISE], message)
    # against the last version that parses, the fix is measured as usual
    run = run_cli("impact", ENTERPRISE, "--against", "HEAD~1", "--format", "json")
    assert run.code == 1, run.stderr
    assert len(run.report["dependents"]) == 3


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(0, len(GOOD)), junk=st.sampled_from(["", "[", "{", ": :", "\t", "'"]))
def test_impact_never_reports_no_dependents_for_a_manifest_that_has_three(
    committed: Path, cut: int, junk: str
) -> None:
    """Any edit of the manifest (cut short, a stray character) either is measured with its
    three dependents or is refused in one line: never an impact that lists none."""
    (committed / ENTERPRISE).write_text(GOOD[:cut] + junk + GOOD[cut:], "utf-8")
    run = run_cli("impact", ENTERPRISE, "--format", "json")
    if run.code == 2:
        assert run.stdout == ""
        assert run.stderr.startswith(f"floe-lint: error: {ENTERPRISE}:")
        assert run.stderr.endswith(NEW_TAIL)
        assert "the new version " in run.stderr
    else:
        assert run.code in (0, 1), run.stderr
        assert len(json.loads(run.stdout)["dependents"]) == 3, (cut, junk)
    assert os.getcwd() == str(committed)
