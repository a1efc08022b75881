"""`# floe-lint: disable=` comments, their reasons, and the unused-suppression rule (FL901)."""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_lint.lint.suppressions import directives
from floe_lint.load.document import parse
from tests.conftest import run_cli, write_files

MANIFEST = """
plugins:
  compute:
    approved: [duckdb, spark]
    default: duckdb
"""


def product(line_4: str, before: str = "") -> str:
    return (
        "name: orders\nplatform: {ref: manifest.yaml}\ntransforms:\n"
        + (f"  {before}\n" if before else "")
        + f"  - {{type: dbt, path: models/x/, compute: snowflake}}{line_4}\n"
    )


@pytest.fixture
def lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)

    def _lint(floe: str, *args: str):  # type: ignore[no-untyped-def]
        write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": floe})
        return run_cli("check", ".", "--format", "json", *args)

    return _lint


def test_trailing_comment_silences_the_finding_on_its_line(lint) -> None:
    run = lint(product("  # floe-lint: disable=FL201 -- pilot approved in OPS-7"))
    assert run.code == 0 and run.findings == []


def test_comment_on_the_line_before_silences_the_next_line(lint) -> None:
    run = lint(product("", before="# floe-lint: disable=compute-not-approved -- pilot"))
    assert run.code == 0 and run.findings == []


def test_comment_two_lines_before_does_not_reach(lint) -> None:
    text = product("").replace(
        "transforms:\n", "# floe-lint: disable=FL201 -- pilot\ntransforms:\n"
    )
    run = lint(text)
    assert sorted(f["rule"] for f in run.findings) == ["FL201", "FL901"]


def test_disable_file_silences_the_whole_file(lint) -> None:
    run = lint("# floe-lint: disable-file=FL2 -- legacy, migrating in Q3\n" + product(""))
    assert run.code == 0 and run.findings == []


def test_another_rule_is_not_silenced_and_the_comment_is_unused(lint) -> None:
    run = lint(product("  # floe-lint: disable=FL207 -- wrong code"))
    assert sorted(f["rule"] for f in run.findings) == ["FL201", "FL901"]
    [unused] = run.named("unused-suppression")
    assert unused["severity"] == "warning"
    assert unused["line"] == 4 and "'FL207'" in unused["message"]


def test_typo_in_the_code_is_reported_as_unknown(lint) -> None:
    run = lint(product("  # floe-lint: disable=FL2O1 -- letter O"))
    [unused] = run.named("unused-suppression")
    assert "names no known rule 'FL2O1'" in unused["message"]


def test_codes_of_rules_that_did_not_run_are_not_judged(lint) -> None:
    run = lint(product("  # floe-lint: disable=FL201,FL501 -- pilot"), "--ignore", "FL501")
    assert run.findings == []


def test_unused_suppression_can_itself_be_ignored(lint) -> None:
    run = lint(product("  # floe-lint: disable=FL207 -- x"), "--ignore", "FL901")
    assert [f["rule"] for f in run.findings] == ["FL201"]


def test_required_reason_missing_keeps_the_finding_and_says_why(lint) -> None:
    text = product("  # floe-lint: disable=FL201")
    assert lint(text).findings == []
    run = lint(text, "--require-suppression-reason")
    [finding] = run.findings
    assert finding["rule"] == "FL201"
    assert "suppression at line 4 is ignored: it gives no reason" in finding["message"]
    assert run.code == 1


def test_required_reason_from_config(lint, tmp_path: Path) -> None:
    (tmp_path / ".floe-lint.yaml").write_text("require-suppression-reason: true\n", "utf-8")
    assert lint(product("  # floe-lint: disable=FL201")).code == 1
    assert lint(product("  # floe-lint: disable=FL201 -- pilot")).code == 0


def test_directive_inside_a_quoted_value_is_still_text_not_a_comment() -> None:
    source = parse(Path("x.yaml"), b'description: "see#floe-lint: disable=FL201"\n')
    assert directives(source) == []


def test_directive_parsing_keeps_codes_reason_and_position() -> None:
    source = parse(
        Path("x.yaml"),
        b"a: 1  # floe-lint: disable=FL201, secret-literal -- why not\n"
        b"# floe-lint: disable-file=FL3\n",
    )
    first, second = directives(source)
    assert first.codes == ("FL201", "secret-literal") and first.reason == "why not"
    assert (first.span.start_line, first.span.start_col) == (1, 7) and not first.own_line
    assert second.kind == "file" and second.reason == "" and second.own_line


def test_suppressions_of_a_parent_manifest_apply_when_only_the_product_is_given(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": MANIFEST.replace(
                "default: duckdb", "default: bigquery  # floe-lint: disable=FL203 -- migrating"
            ),
            "floe.yaml": product("").replace("snowflake", "spark"),
        },
    )
    run = run_cli("check", "floe.yaml", "--format", "json", "--select", "FL203,FL901")
    assert run.findings == []
