"""Output for CI logs, through the installed console script: `--format concise` (one line per
finding) and `--format full` (source excerpts on any stream), `--show-source` into a pipe and a
file, `--statistics`, and the count of suppressed and baselined findings in every format's
summary (text, json, sarif run properties, github, junit properties)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from tests.conftest import REPO, write_files

FLOE_LINT = shutil.which("floe-lint", path=str(Path(sys.executable).parent)) or "floe-lint"
PRODUCT = """\
name: {name}
version: 1.0.0
platform: {{ref: ../../platform/manifest.yaml}}
transforms:
  - {{type: dbt, path: models/x/, compute: snowflake}}{comment}
"""
FINDING = (
    "products/a/floe.yaml:5:43: ERROR FL201 [compute-not-approved] transform 'models/x/' "
    "selects compute 'snowflake', which platform manifest manifest.yaml does not approve "
    "(no level of the hierarchy approves it); approved: duckdb"
)
EXCERPT = [
    "    5 |   - {type: dbt, path: models/x/, compute: snowflake}",
    "      |                                           ^^^^^^^^^",
    "      note: platform/manifest.yaml:3:5: effective approved list of platform manifest "
    "manifest.yaml",
]
SUMMARY = (
    "floe-lint: 1 error (4 files checked; 1 suppressed, 1 baselined not shown)\n"
    "floe-lint: 0 fixable with --fix; 1 more with --unsafe-fixes\n"  # FL201 offers an unsafe fix
)


def floe_lint(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FLOE_LINT, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},  # no GITHUB_ACTIONS, no CI_PROJECT_DIR
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Three products with the same FL201 finding: `a` reported, `b` silenced by a comment,
    `c` accepted in baseline.json."""
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": "plugins:\n  compute:\n    approved: [duckdb]\n"
            "    default: duckdb\n",
            "products/a/floe.yaml": PRODUCT.format(name="a", comment=""),
            "products/b/floe.yaml": PRODUCT.format(
                name="b", comment="  # floe-lint: disable=FL201 -- pilot"
            ),
            "products/c/floe.yaml": PRODUCT.format(name="c", comment=""),
        },
    )
    done = floe_lint(tmp_path, "check", "--write-baseline", "baseline.json", "products/c")
    assert done.stderr == "floe-lint: wrote 1 finding to baseline baseline.json\n"
    return tmp_path


def test_concise_is_one_line_per_finding_with_statistics(tree: Path) -> None:
    done = floe_lint(
        tree, "check", "--baseline", "baseline.json", "--format", "concise", "--statistics", "."
    )
    assert done.returncode == 1
    assert done.stdout == f"{FINDING}\n    1  FL201  compute-not-approved  error\n"
    assert done.stderr == SUMMARY


def test_full_shows_source_excerpts_in_a_pipe(tree: Path) -> None:
    done = floe_lint(tree, "check", "--baseline", "baseline.json", "--format", "full", ".")
    assert done.stdout.splitlines() == [FINDING, *EXCERPT]
    assert done.stderr == SUMMARY


def test_show_source_reaches_a_file_and_concise_can_have_it(tree: Path) -> None:
    done = floe_lint(
        tree, "check", "--baseline", "baseline.json", "--show-source", "--output", "out.txt", "."
    )
    assert done.stdout == "" and done.stderr == SUMMARY
    assert (tree / "out.txt").read_text("utf-8").splitlines() == [FINDING, *EXCERPT]
    concise = floe_lint(
        tree, "check", "--baseline", "baseline.json", "--format", "concise", "--show-source", "."
    )
    assert concise.stdout.splitlines() == [FINDING, *EXCERPT]


def test_text_in_a_pipe_has_no_excerpt_by_default(tree: Path) -> None:
    done = floe_lint(tree, "check", "--baseline", "baseline.json", ".")
    assert done.stdout == FINDING + "\n" and done.stderr == SUMMARY


def test_statistics_go_to_stderr_when_stdout_is_a_report(tree: Path) -> None:
    done = floe_lint(
        tree, "check", "--baseline", "baseline.json", "--format", "json", "--statistics", "."
    )
    assert json.loads(done.stdout)["summary"]["rules"] == {"FL201": 1}
    assert done.stderr == "    1  FL201  compute-not-approved  error\n" + SUMMARY


def test_the_json_summary_counts_silenced_findings(tree: Path) -> None:
    done = floe_lint(tree, "check", "--baseline", "baseline.json", "--format", "json", ".")
    report = json.loads(done.stdout)
    schema = json.loads((REPO / "schemas/report.json").read_text("utf-8"))
    jsonschema.validate(report, schema)
    assert report["summary"] == {
        "files": 4,
        "errors": 1,
        "warnings": 0,
        "notes": 0,
        "suppressed": 1,
        "baselined": 1,
        "excused": 0,
        "rules": {"FL201": 1},
    }


def test_sarif_run_properties_count_silenced_findings(tree: Path) -> None:
    done = floe_lint(tree, "check", "--baseline", "baseline.json", "--format", "sarif", ".")
    run = json.loads(done.stdout)["runs"][0]
    assert run["properties"] == {"suppressed": 1, "baselined": 1, "excused": 0}
    assert len(run["results"]) == 1


def test_github_closing_line_counts_silenced_findings(tree: Path) -> None:
    done = floe_lint(tree, "check", "--baseline", "baseline.json", "--format", "github", ".")
    assert done.stdout.splitlines()[-1] == (
        "floe-lint: 1 error in 4 files; 1 suppressed, 1 baselined not shown"
    )


def test_junit_properties_count_silenced_findings(tree: Path) -> None:
    done = floe_lint(tree, "check", "--baseline", "baseline.json", "--format", "junit", ".")
    suite = ET.fromstring(done.stdout).find("testsuite")
    assert suite is not None
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties == {"suppressed": "1", "baselined": "1", "excused": "0"}


def test_a_run_whose_findings_are_all_silenced_says_how_many(tree: Path) -> None:
    done = floe_lint(tree, "check", "--baseline", "baseline.json", "products/b", "products/c")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        "floe-lint: no problems (3 files checked; 1 suppressed, 1 baselined not shown)\n"
    )
