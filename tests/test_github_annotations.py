"""`--format github`: workflow-command annotations, a closing count, and `--format auto`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from floe_lint.reporters.github import escape_data, escape_property
from tests.conftest import run_cli, write_files
from tests.test_sarif_report import MANIFEST, PRODUCT

COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    return tmp_path


def _props(line: str) -> dict[str, str]:
    match = COMMAND.match(line)
    assert match, line
    return dict(p.split("=", 1) for p in match["props"].split(","))


def test_error_annotation_has_file_line_columns_and_rule_title(project: Path) -> None:
    run = run_cli("check", ".", "--format", "github")
    assert run.code == 1
    [line] = [x for x in run.stdout.splitlines() if "FL201" in x]
    assert line.startswith("::error ")
    assert _props(line) == {
        "file": "floe.yaml",
        "line": "4",
        "col": "43",
        "endLine": "4",
        "endColumn": "52",
        "title": "FL201 compute-not-approved",
    }
    assert "selects compute 'snowflake'" in line


def test_warning_and_note_levels_map_to_warning_and_notice(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("severity: {FL201: note}\n", "utf-8")
    run = run_cli("check", ".", "--format", "github")
    assert run.code == 0
    assert run.stdout.startswith("::notice ")


def test_message_and_properties_are_escaped() -> None:
    assert escape_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_closing_line_counts_everything_and_says_where_the_full_list_is(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    transforms = "".join(
        f"  - {{type: dbt, path: models/m{i}/, compute: snowflake}}\n" for i in range(12)
    )
    write_files(
        tmp_path,
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": PRODUCT.split("transforms:")[0] + "transforms:\n" + transforms,
        },
    )
    run = run_cli("check", ".", "--format", "github", "--sarif-file", "floe.sarif")
    lines = run.stdout.splitlines()
    assert sum(1 for x in lines if x.startswith("::error ")) == 12
    assert lines[-1].startswith("floe-lint: 12 errors in 2 files")
    assert "only 10 annotations per level" in lines[-1]
    assert "floe.sarif" in lines[-1]
    assert (tmp_path / "floe.sarif").is_file()


def test_clean_run_prints_only_the_count(project: Path) -> None:
    (project / "floe.yaml").write_text(PRODUCT.replace("snowflake", "spark"), "utf-8")
    run = run_cli("check", ".", "--format", "github")
    assert run.code == 0
    assert run.stdout == "floe-lint: no problems in 2 files\n"


def test_paths_are_relative_to_github_workspace(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(project.parent))
    run = run_cli("check", ".", "--format", "github")
    assert _props(run.stdout.splitlines()[0])["file"] == f"{project.name}/floe.yaml"


@pytest.mark.parametrize(("env", "expected"), [("true", "::error "), (None, "floe.yaml:4:43:")])
def test_auto_format_is_github_only_inside_actions(
    project: Path, monkeypatch, env: str | None, expected: str
) -> None:
    if env is None:
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    else:
        monkeypatch.setenv("GITHUB_ACTIONS", env)
    run = run_cli("check", ".", "--format", "auto")
    assert run.stdout.startswith(expected)


def test_config_format_applies_when_no_flag_is_given(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("format: github\n", "utf-8")
    assert run_cli("check", ".").stdout.startswith("::error ")
    assert run_cli("check", ".", "--format", "text").stdout.startswith("floe.yaml:4:43:")
