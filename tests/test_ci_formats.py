"""`--format gitlab` and `--format junit`, checked the way their consumers read them: GitLab's
documented Code Quality format (tests/gitlab-codequality.schema.json) and fingerprint rules,
Jenkins' JUnit schema (tests/junit-10.xsd) and junitparser, a JUnit reader used by CI tools."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import junitparser
import pytest
import xmlschema
import yaml

from tests.conftest import REPO, run_cli, write_files

HERE = Path(__file__).parent
MANIFEST = """\
plugins:
  compute:
    approved: [duckdb, spark]
    default: duckdb
"""
PRODUCT = """\
name: orders
platform: {ref: manifest.yaml}
transforms:
  - {type: dbt, path: models/a/, compute: snowflake}
  - {type: dbt, path: models/b/, compute: bigquery}
  - {type: dbt, path: models/c/, compute: spark, tags: [x]}
"""
CLEAN = """\
name: clean
platform: {ref: ../manifest.yaml}
transforms: [{type: dbt, path: models/x/, compute: duckdb}]
"""
LEGACY = """\
name: legacy
platform: {ref: 'oci://reg.invalid/p:latest'}
transforms: [{type: dbt, path: models/x/}]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    write_files(
        tmp_path,
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": PRODUCT,
            "legacy/floe.yaml": LEGACY,
            "clean/floe.yaml": CLEAN,
        },
    )
    return tmp_path


def _report(fmt: str, *args: str) -> tuple[int, str]:
    # legacy/'s registry ref is resolved offline (no network, no DNS): an unresolved-ref error
    run = run_cli("check", ".", "--format", fmt, "--offline", *args)
    assert run.code in (0, 1), run.stderr
    return run.code, run.stdout


def _gitlab() -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(_report("gitlab")[1])
    schema = json.loads((HERE / "gitlab-codequality.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(issues)
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)  # GitLab keeps one issue per fingerprint
    return issues


def test_gitlab_report_follows_the_documented_format(project: Path) -> None:
    issues = _gitlab()
    by_check = {(i["check_name"], i["location"]["path"]) for i in issues}
    assert ("FL201 compute-not-approved", "floe.yaml") in by_check
    assert ("FL304 unpinned-ref", "legacy/floe.yaml") in by_check
    severities = {i["check_name"].split()[0]: i["severity"] for i in issues}
    assert severities["FL201"] == "major" and severities["FL304"] == "minor"
    [first] = [i for i in issues if "snowflake" in i["description"]]
    assert first["location"]["lines"] == {"begin": 4, "end": 4}


def test_gitlab_fingerprints_survive_moved_lines_and_change_with_the_problem(
    project: Path,
) -> None:
    before = {i["fingerprint"] for i in _gitlab()}
    text = (project / "floe.yaml").read_text("utf-8")
    (project / "floe.yaml").write_text("# moved down\n\n" + text, "utf-8")
    moved = _gitlab()
    assert {i["fingerprint"] for i in moved} == before
    assert {i["location"]["lines"]["begin"] for i in moved if i["location"]["path"] == "floe.yaml"}
    (project / "floe.yaml").write_text(text.replace("bigquery", "redshift"), "utf-8")
    changed = {i["fingerprint"] for i in _gitlab()}
    assert len(changed - before) == 1 and len(before - changed) == 1


def test_gitlab_paths_are_relative_to_the_project_dir(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI_PROJECT_DIR", str(project))
    monkeypatch.chdir(project / "legacy")
    run = run_cli("check", ".", "--format", "gitlab", "--offline")
    paths = {i["location"]["path"] for i in json.loads(run.stdout)}
    assert paths == {"legacy/floe.yaml"}


def test_gitlab_report_of_a_clean_run_is_an_empty_array(project: Path) -> None:
    run = run_cli("check", "clean", "--format", "gitlab")
    assert run.code == 0 and json.loads(run.stdout) == []


def _junit(*args: str) -> tuple[int, str]:
    code, xml = _report("junit", *args)
    xmlschema.XMLSchema(str(HERE / "junit-10.xsd")).validate(xml)
    return code, xml


def test_junit_report_is_valid_for_jenkins_and_read_by_junitparser(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    code, xml = _junit()
    assert code == 1
    saved = tmp_path_factory.mktemp("junit") / "floe-lint.xml"
    saved.write_text(xml, "utf-8")
    parsed = junitparser.JUnitXml.fromfile(str(saved))
    cases = {case.name: case for suite in parsed for case in suite}
    assert set(cases) == {"floe.yaml", "manifest.yaml", "legacy/floe.yaml", "clean/floe.yaml"}
    assert cases["clean/floe.yaml"].is_passed and cases["manifest.yaml"].is_passed
    failed = [r for r in cases["floe.yaml"].result if isinstance(r, junitparser.Failure)]
    assert sorted(r.type for r in failed) == ["FL201", "FL201"]
    assert all("floe.yaml:" in (r.text or "") for r in failed)
    legacy = {r.type for r in cases["legacy/floe.yaml"].result}
    assert {"FL301", "FL304"} <= legacy
    suite = next(iter(parsed))
    assert (suite.tests, suite.failures, suite.errors) == (4, 2, 0)


def test_junit_report_escapes_what_xml_cannot_carry(project: Path) -> None:
    (project / "floe.yaml").write_text(
        PRODUCT + '"bad\\x01key\\x1b[31m": <&>\n', "utf-8"
    )  # a key with control characters and markup
    _, xml = _junit()
    assert "\x01" not in xml and "\x1b" not in xml
    assert "\\x01" in xml or "\\u0001" in xml


def test_formats_are_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert "gitlab" in readme and "junit" in readme


def test_the_documented_gitlab_job_writes_both_reports(project: Path) -> None:
    doc = (REPO / "docs/gitlab-ci.md").read_text("utf-8")
    [block] = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    job = yaml.safe_load(block)["floe-lint"]
    install, *commands = job["script"]
    assert install.startswith("pip install ")  # run as written by tests/test_install_docs.py
    write_files(
        project,
        {
            "platform/manifest.yaml": MANIFEST,
            "products/orders/floe.yaml": PRODUCT.replace(
                "ref: manifest.yaml", "ref: ../../platform/manifest.yaml"
            ),
        },
    )
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env["CI_PROJECT_DIR"] = str(project)
    codes = []
    for command in commands:  # as GitLab runs a script: each line in the project folder
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        codes.append(done.returncode)
    assert codes == [0, 1]  # the test report never fails the job; the lint does
    reports = job["artifacts"]["reports"]
    issues = json.loads((project / reports["codequality"]).read_text("utf-8"))
    schema = json.loads((HERE / "gitlab-codequality.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(issues)
    assert {i["location"]["path"] for i in issues} == {"products/orders/floe.yaml"}
    xml = (project / reports["junit"]).read_text("utf-8")
    xmlschema.XMLSchema(str(HERE / "junit-10.xsd")).validate(xml)
    assert 'name="products/orders/floe.yaml"' in xml
