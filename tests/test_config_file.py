"""Configuration: where it is found, what it may say, how mistakes in it are reported."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from floe_lint.load.validation import schema
from tests.conftest import run_cli, write_files
from tests.test_sarif_report import MANIFEST, PRODUCT


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    return tmp_path


def test_config_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema("config"))


def test_unknown_yaml_key_is_exit_2_with_line_and_did_you_mean(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("fail-on: error\nselct: [FL201]\n", "utf-8")
    run = run_cli("check", ".")
    assert run.code == 2
    assert ".floe-lint.yaml:2:1: unknown key 'selct'" in run.stderr
    assert "did you mean 'select'?" in run.stderr
    assert "Traceback" not in run.stderr


def test_bad_enum_value_names_its_line_and_the_closest_value(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("select: [FL2]\nfail-on: warn\n", "utf-8")
    run = run_cli("check", ".")
    assert run.code == 2
    assert ".floe-lint.yaml:2:1:" in run.stderr
    assert "did you mean 'warning'?" in run.stderr


def test_bad_severity_names_the_rule_key_line(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("severity:\n  FL201: eror\n", "utf-8")
    run = run_cli("check", ".")
    assert run.code == 2
    assert ".floe-lint.yaml:2:3:" in run.stderr and "did you mean 'error'?" in run.stderr


def test_pyproject_unknown_key_names_its_line(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.floe-lint]\nselect = ["FL2"]\nfial-on = "warning"\n',
        "utf-8",
    )
    run = run_cli("check", ".")
    assert run.code == 2
    assert "pyproject.toml:6:1: unknown key 'fial-on'" in run.stderr
    assert "did you mean 'fail-on'?" in run.stderr


def test_pyproject_subtable_value_error_names_its_line(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.floe-lint]\nselect = ["FL2"]\n\n[tool.floe-lint.severity]\nFL201 = "fatal"\n',
        "utf-8",
    )
    run = run_cli("check", ".")
    assert run.code == 2
    assert "pyproject.toml:5:" in run.stderr and "FL201" in run.stderr


def test_invalid_yaml_config_is_exit_2_with_position(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("select: [FL2\n", "utf-8")
    run = run_cli("check", ".")
    assert run.code == 2
    # libyaml finds the missing `]` at the end of the input: shown at the end of the last line
    assert ".floe-lint.yaml:1:13:" in run.stderr


def test_nearest_config_wins_and_pyproject_without_our_table_is_skipped(
    project: Path, monkeypatch
) -> None:
    (project / ".floe-lint.yaml").write_text("ignore: [FL201]\n", "utf-8")
    sub = project / "sub"
    write_files(sub, {"pyproject.toml": '[project]\nname = "x"\n'})
    monkeypatch.chdir(sub)
    assert run_cli("check", "..").code == 0  # the parent's .floe-lint.yaml applies
    (sub / "pyproject.toml").write_text('[tool.floe-lint]\nselect = ["ALL"]\n', "utf-8")
    assert f"(from {sub / 'pyproject.toml'})" in run_cli("config").stdout  # the nearer one wins
    # but `..` lies outside sub's workspace (no .git: its config's folder), in the project
    # above: as its dependents are searched for there, its own config is read
    # (tests/test_config_from_targets.py), not one of a folder below it
    assert run_cli("check", "..").code == 0
    assert run_cli("check", "..", "--config", "pyproject.toml").code == 1


def test_explicit_config_overrides_the_search(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("ignore: [FL201]\n", "utf-8")
    write_files(project, {"ci/strict.yaml": "select: [ALL]\n"})
    assert run_cli("check", ".").code == 0
    assert run_cli("check", ".", "--config", "ci/strict.yaml").code == 1


def test_missing_explicit_config_is_exit_2(project: Path) -> None:
    run = run_cli("check", ".", "--config", "nope.yaml")
    assert run.code == 2 and "nope.yaml: config file not found" in run.stderr


def test_config_command_prints_every_key_with_its_effective_value(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text(
        "fail-on: warning\nseverity: {FL201: warning}\noci: {offline: true}\n", "utf-8"
    )
    run = run_cli("config")
    assert run.code == 0
    assert run.stdout.startswith("# effective floe-lint config (from ")
    data = yaml.safe_load(run.stdout)
    assert data["fail-on"] == "warning"
    assert data["severity"] == {"FL201": "warning"}
    assert data["select"] == ["ALL"] and data["format"] == "text"
    assert data["oci"] == {"offline": True}
    assert set(data) == set(schema("config")["properties"])


def test_config_command_without_a_file_prints_the_defaults(project: Path) -> None:
    run = run_cli("config")
    assert "no config file found" in run.stdout
    assert yaml.safe_load(run.stdout)["fail-on"] == "error"


def test_config_command_reports_config_errors_with_exit_2(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("formatt: sarif\n", "utf-8")
    run = run_cli("config")
    assert run.code == 2 and "did you mean 'format'?" in run.stderr


def test_per_path_ignores_apply_to_matching_files_only(project: Path) -> None:
    write_files(project, {"legacy/floe.yaml": PRODUCT.replace("manifest.yaml", "../manifest.yaml")})
    (project / ".floe-lint.yaml").write_text("per-path-ignores:\n  legacy/*: [FL201]\n", "utf-8")
    run = run_cli("check", ".", "--format", "json")
    assert {f["file"] for f in run.findings if f["rule"] == "FL201"} == {"floe.yaml"}


def test_exclude_and_include_globs_choose_the_files(project: Path) -> None:
    write_files(project, {"legacy/floe.yaml": PRODUCT.replace("manifest.yaml", "../manifest.yaml")})
    (project / ".floe-lint.yaml").write_text("exclude: [legacy/**]\n", "utf-8")
    run = run_cli("check", ".", "--format", "json")
    assert {f["file"] for f in run.findings} == {"floe.yaml"}
    (project / ".floe-lint.yaml").write_text("include: [legacy/*, manifest.yaml]\n", "utf-8")
    run = run_cli("check", ".", "--format", "json")
    assert {f["file"] for f in run.findings} == {"legacy/floe.yaml"}


def test_fail_on_warning_from_config_and_flag(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("severity: {FL201: warning}\n", "utf-8")
    assert run_cli("check", ".").code == 0
    assert run_cli("check", ".", "--fail-on", "warning").code == 1
    (project / ".floe-lint.yaml").write_text(
        "severity: {FL201: warning}\nfail-on: warning\n", "utf-8"
    )
    assert run_cli("check", ".").code == 1
    assert run_cli("check", ".", "--fail-on", "error").code == 0


def test_exit_zero_reports_but_never_fails(project: Path) -> None:
    run = run_cli("check", ".", "--exit-zero", "--format", "json")
    assert run.code == 0 and run.named("compute-not-approved")


def test_refs_are_resolved_relative_to_the_config_file(project: Path, monkeypatch) -> None:
    write_files(
        project,
        {
            "platform/manifest.yaml": MANIFEST,
            "ci/floe-lint.yaml": "refs:\n  oci://registry.example/platform:1.0: ../platform/manifest.yaml\n",
            "floe.yaml": PRODUCT.replace("manifest.yaml", "oci://registry.example/platform:1.0"),
        },
    )
    (project / "manifest.yaml").unlink()
    run = run_cli("check", "floe.yaml", "--config", "ci/floe-lint.yaml", "--format", "json")
    assert [f["rule"] for f in run.findings if f["rule"].startswith("FL3")] in ([], ["FL304"])
    assert run.named("compute-not-approved")


def test_json_schema_of_config_lists_each_documented_key() -> None:
    keys = set(schema("config")["properties"])
    assert {
        "select",
        "ignore",
        "severity",
        "per-path-ignores",
        "include",
        "exclude",
        "rule-folders",
        "refs",
        "fail-on",
        "format",
        "oci",
    } <= keys
    json.dumps(schema("config"))


CUSTOM_RULE = '''
"""A product name must start with the team prefix `acme-`.

Why: house convention, shows that rule folders work.
"""

ID, NAME, SEVERITY, SUBJECT = "ACME1", "acme-prefix", "warning", "product"


def check(doc, ctx):
    if not str(doc.get("/name", "")).startswith("acme-"):
        yield ctx.finding(doc, "/name", "product name lacks the 'acme-' prefix")
'''


def test_rule_folders_add_rules_relative_to_the_config(project: Path) -> None:
    write_files(project, {"ci/rules/acme_prefix.py": CUSTOM_RULE, "ci/rules/_helper.py": "x = 1\n"})
    (project / ".floe-lint.yaml").write_text("rule-folders: [ci/rules]\n", "utf-8")
    run = run_cli("check", ".", "--format", "json")
    [finding] = run.named("acme-prefix")
    assert finding["rule"] == "ACME1" and finding["severity"] == "warning"
    assert finding["file"] == "floe.yaml" and finding["line"] == 1
    assert run_cli("check", ".", "--format", "json", "--ignore", "FL2").code == 0
    listed = run_cli("rules")
    assert "ACME1  acme-prefix" in listed.stdout and "FL201" in listed.stdout
    assert run_cli("rule", "acme-prefix").stdout.startswith("ACME1 acme-prefix (default severity")


def test_broken_rule_folder_is_exit_2_naming_the_file(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("rule-folders: [rules]\n", "utf-8")
    run = run_cli("check", ".")
    assert run.code == 2 and "rule folder not found" in run.stderr
    write_files(project, {"rules/bad.py": '"""Doc."""\nID = "X1"\n'})
    run = run_cli("check", ".")
    assert run.code == 2 and "bad.py: rule module" in run.stderr and "lacks" in run.stderr
    write_files(
        project, {"rules/bad.py": CUSTOM_RULE.replace('"ACME1", "acme-prefix"', '"FL201", "x"')}
    )
    run = run_cli("check", ".")
    assert run.code == 2 and "already taken" in run.stderr


@pytest.mark.parametrize(
    ("text", "where", "suggestion"),
    [
        ("select: [FL201, compute-not-aproved]\n", ":1:17:", "compute-not-approved"),
        ("severity:\n  FL2O1: warning\n", ":2:3:", "FL201"),
        ("per-path-ignores:\n  legacy/*: [secret-litteral]\n", ":2:14:", "secret-literal"),
    ],
)
def test_unknown_rule_in_config_is_exit_2_with_did_you_mean(
    project: Path, text: str, where: str, suggestion: str
) -> None:
    (project / ".floe-lint.yaml").write_text(text, "utf-8")
    run = run_cli("check", ".")
    assert run.code == 2
    assert f".floe-lint.yaml{where} unknown rule" in run.stderr
    assert f"did you mean '{suggestion}'?" in run.stderr


def test_a_valid_config_is_checked_without_importing_jsonschema(project: Path) -> None:
    import subprocess
    import sys

    (project / ".floe-lint.yaml").write_text(
        "select: [FL2]\nseverity: {FL201: warning}\nfail-on: warning\nformat: text\n"
        "per-path-ignores: {'legacy/*': [FL201]}\n",
        "utf-8",
    )
    code = "import sys\nfrom floe_lint.cli import main\nmain(['config'])\nprint('jsonschema' in sys.modules)\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.stdout.splitlines()[-1] == "False", proc.stdout + proc.stderr


def test_select_on_the_command_line_reaches_folder_rules(project: Path) -> None:
    write_files(project, {"ci/rules/acme_prefix.py": CUSTOM_RULE})
    (project / ".floe-lint.yaml").write_text("rule-folders: [ci/rules]\n", "utf-8")
    run = run_cli("check", ".", "--format", "json", "--select", "acme-prefix")
    assert [f["rule"] for f in run.findings] == ["ACME1"]
