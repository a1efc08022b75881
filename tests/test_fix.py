"""`check --fix`, `--unsafe-fixes`, `--diff`: minimal edits, every other byte kept."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ENTERPRISE, EXAMPLES, REPO, run_cli, write_files

DOMAIN = """
scope: domain
metadata: {name: sales}
parent_manifest: ../enterprise/manifest.yaml
plugins:
  compute:
    approved: [duckdb, Spark, bigquery]  # keep this comment
    default: duckdb
"""


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "enterprise/manifest.yaml": ENTERPRISE.replace(
                "[duckdb, spark, snowflake]", "[duckdb, spark, snowflake, duckdb]"
            ),
            "sales/manifest.yaml": DOMAIN,
            "orders/floe.yaml": """
            name: orders
            platform: {ref: ../sales/manifest.yaml}
            transforms:
              - {type: dbt, path: models/a/, compute: SPARK }   # case differs
              - {type: dbt, path: models/b/, compute: snowflake}
            """,
        },
    )
    return tmp_path


def test_fix_applies_the_safe_fixes_and_keeps_every_other_byte(tree: Path) -> None:
    before = {p: p.read_text() for p in sorted(tree.rglob("*.yaml"))}
    run = run_cli("check", ".", "--fix")
    assert (tree / "enterprise/manifest.yaml").read_text() == before[
        tree / "enterprise/manifest.yaml"
    ].replace("[duckdb, spark, snowflake, duckdb]", "[duckdb, spark, snowflake]")
    assert (tree / "sales/manifest.yaml").read_text() == before[
        tree / "sales/manifest.yaml"
    ].replace("[duckdb, Spark, bigquery]  # keep", "[duckdb, spark, bigquery]  # keep")
    assert (tree / "orders/floe.yaml").read_text() == before[tree / "orders/floe.yaml"].replace(
        "compute: SPARK }", "compute: spark }"
    )
    # What remains: the unsafe ones, reported at their places; the summary says so.
    assert run.stdout.splitlines() == [
        "orders/floe.yaml:5:43: ERROR FL201 [compute-not-approved] transform 'models/b/' "
        "selects compute 'snowflake', which domain 'sales' does not approve (enterprise 'acme' "
        "approves it, but domain 'sales' removed it); approved: duckdb, spark",
        "sales/manifest.yaml:6:31: ERROR FL202 [approved-not-subset] domain 'sales' approves "
        "'bigquery', which its parent enterprise 'acme' does not approve; parent approves: "
        "duckdb, spark, snowflake",
    ]
    assert run.stderr.splitlines()[-1] == (
        "floe-lint: fixed 4 findings in 3 files; 2 more with --unsafe-fixes"
    )
    assert run.code == 1  # errors remain


def test_fix_twice_changes_nothing_the_second_time(tree: Path) -> None:
    run_cli("check", ".", "--fix")
    after = {p: p.read_bytes() for p in tree.rglob("*.yaml")}
    again = run_cli("check", ".", "--fix")
    assert {p: p.read_bytes() for p in tree.rglob("*.yaml")} == after
    assert again.stderr.splitlines()[-1] == "floe-lint: nothing fixed; 2 more with --unsafe-fixes"


def test_unsafe_fixes_move_the_transform_to_the_default_and_drop_the_unapproved_compute(
    tree: Path,
) -> None:
    run = run_cli("check", ".", "--fix", "--unsafe-fixes")
    assert "[duckdb, spark]  # keep this comment" in (tree / "sales/manifest.yaml").read_text()
    assert "path: models/b/, compute: duckdb}" in (tree / "orders/floe.yaml").read_text()
    assert run.stdout == ""
    assert run.stderr.splitlines()[-2:] == [
        "floe-lint: no problems (3 files checked)",
        "floe-lint: fixed 6 findings in 3 files",
    ]
    assert run.code == 0


def test_diff_prints_a_unified_diff_and_writes_nothing(tree: Path) -> None:
    before = {p: p.read_bytes() for p in tree.rglob("*.yaml")}
    run = run_cli("check", ".", "--diff")
    assert {p: p.read_bytes() for p in tree.rglob("*.yaml")} == before
    assert "--- a/sales/manifest.yaml\n+++ b/sales/manifest.yaml\n" in run.stdout
    assert (
        "-    approved: [duckdb, Spark, bigquery]  # keep this comment\n"
        "+    approved: [duckdb, spark, bigquery]  # keep this comment\n"
    ) in run.stdout
    assert run.stderr.splitlines()[-1] == (
        "floe-lint: would fix 4 findings in 3 files (nothing written: --diff); "
        "2 more with --unsafe-fixes"
    )
    assert run.code == 1  # nothing was fixed: the errors are all still there


def test_a_check_without_fix_says_how_many_findings_have_a_fix(tree: Path) -> None:
    run = run_cli("check", ".")
    # SPARK in orders has only the unsafe fix now: its safe one appears once 'Spark' is fixed.
    assert run.stderr.splitlines()[-1] == (
        "floe-lint: 3 fixable with --fix; 3 more with --unsafe-fixes"
    )


def test_unfixable_and_fixable_in_the_config_choose_the_rules(tree: Path) -> None:
    (tree / ".floe-lint.yaml").write_text("unfixable: [duplicate-compute]\n")
    run_cli("check", ".", "--fix")
    assert "[duckdb, spark, snowflake, duckdb]" in (tree / "enterprise/manifest.yaml").read_text()
    assert "compute: spark }" in (tree / "orders/floe.yaml").read_text()
    (tree / ".floe-lint.yaml").write_text("fixable: [FL206]\n")
    (tree / "orders/floe.yaml").write_text(
        (tree / "orders/floe.yaml").read_text().replace("spark }", "SPARK }")
    )
    run_cli("check", ".", "--fix")
    assert "[duckdb, spark, snowflake]\n" in (tree / "enterprise/manifest.yaml").read_text()
    assert "compute: SPARK }" in (tree / "orders/floe.yaml").read_text()


def test_an_unknown_fixable_selector_is_an_error_at_its_line(tree: Path) -> None:
    (tree / ".floe-lint.yaml").write_text("select: [ALL]\nfixable: [FL2, duplicate-compte]\n")
    run = run_cli("check", ".", "--fix")
    assert run.code == 2
    assert run.stderr.startswith(
        f"floe-lint: error: {tree}/.floe-lint.yaml:2:16: unknown rule 'duplicate-compte'; "
        "did you mean 'duplicate-compute'?"
    )


def test_a_block_list_item_goes_with_its_line_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (
        "scope: enterprise\r\n"
        "plugins:\r\n"
        "  compute:\r\n"
        "    approved:\r\n"
        "      - duckdb   # the cheap one\r\n"
        "      # spark next\r\n"
        "      - 'spark'\r\n"
        "      - duckdb   # again\r\n"
        "    default: duckdb\r\n"
    )
    (tmp_path / "manifest.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    run_cli("check", ".", "--fix")
    assert (tmp_path / "manifest.yaml").read_bytes() == b"\xef\xbb\xbf" + text.replace(
        "      - duckdb   # again\r\n", ""
    ).encode()


def test_json_manifests_are_fixed_in_place_and_stay_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (
        '{\n  "apiVersion": "floe.dev/v1",\n  "scope": "enterprise",\n'
        '  "plugins": {"compute": {"approved": ["duckdb", "spark", "duckdb"],\n'
        '                          "default": "duckdb"}}\n}\n'
    )
    (tmp_path / "manifest.json").write_text(text)
    run = run_cli("check", ".", "--fix")
    fixed = (tmp_path / "manifest.json").read_text()
    assert fixed == text.replace('"spark", "duckdb"]', '"spark"]')
    assert json.loads(fixed)["plugins"]["compute"]["approved"] == ["duckdb", "spark"]
    assert run.code == 0


def test_a_symlinked_file_is_never_fixed(tree: Path) -> None:
    real = tree / "outside" / "manifest.yaml"
    real.parent.mkdir()
    shutil.move(tree / "sales/manifest.yaml", real)
    os.symlink(real, tree / "sales/manifest.yaml")
    before = real.read_text()
    run = run_cli("check", "enterprise", "sales", "orders", "--fix")
    assert real.read_text() == before
    assert (tree / "sales/manifest.yaml").is_symlink()
    assert "FL202 [approved-not-subset] domain 'sales' approves 'Spark'" in run.stdout


def test_a_pinned_tag_takes_the_digest_of_floe_lock_and_the_lock_its_new_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "broken"
    shutil.copytree(EXAMPLES / "broken", tree)
    monkeypatch.chdir(tree)
    lock = (tree / "products/floating/floe.lock").read_text()
    run = run_cli("check", "products/floating", "--fix")
    digest = "sha256:a0715119799b072896bbe862671d2fbc240e91d20fe9a577763fadab0f26577f"
    pinned = f"oci://registry.example.com/floe/platform:stable@{digest}"
    assert f'  ref: "{pinned}"\n' in (tree / "products/floating/floe.yaml").read_text()
    assert (tree / "products/floating/floe.lock").read_text() == lock.replace(
        '"oci://registry.example.com/floe/platform:stable"', json.dumps(pinned)
    )
    assert run.code == 0 and "products/floating" not in run.stdout


def test_fix_on_examples_broken_fixes_what_is_safe_and_leaves_the_documented_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "broken"
    shutil.copytree(EXAMPLES / "broken", tree)
    monkeypatch.chdir(tree)
    before = run_cli("check", ".", "--format", "json").findings
    run = run_cli("check", ".", "--fix", "--format", "json")
    after = run.findings

    # Messages may change (a list they quote was fixed); what counts is which findings remain.
    counted_before = Counter((f["file"], f["rule"]) for f in before)
    counted_after = Counter((f["file"], f["rule"]) for f in after)
    gone = sorted((counted_before - counted_after).elements())
    assert gone == [
        ("platform/enterprise/manifest.yaml", "FL206"),
        ("platform/sales/manifest.yaml", "FL202"),
        ("platform/sales/manifest.yaml", "FL205"),
        ("products/floating/floe.yaml", "FL304"),
    ]
    assert not counted_after - counted_before  # nothing new
    summary = run.stderr.splitlines()[-1]
    assert summary == "floe-lint: fixed 4 findings in 4 files; 4 more with --unsafe-fixes"
    readme = (REPO / "examples/broken/README.md").read_text()
    assert f"`{summary}`" in readme
    for file, rule in gone:
        assert f"{rule} in `{file}`" in readme


def test_rule_says_which_fixes_it_has() -> None:
    run = run_cli("rule", "FL201")
    assert run.stdout.splitlines()[-3:] == [
        "Fixes (check --fix applies safe ones; --unsafe-fixes also unsafe ones):",
        "  safe: write the approved name, when the compute differs from it only in case or spaces",
        "  unsafe: move the transform onto its platform's effective default compute",
    ]
    assert run_cli("rule", "FL501").stdout.splitlines()[-1] == (
        "  display-only: replace the literal by {{ env_var('NAME') }} (store the value there first)"
    )
    assert run_cli("rule", "FL101").stdout.splitlines()[-1] == "Fixes: none (fix it by hand)"


def test_a_secret_is_never_shown_by_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": """
            scope: enterprise
            plugins:
              compute:
                approved:
                  - duckdb
                  - name: snowflake
                    config: {account: acme, password: hunter2}
                  - duckdb
                default: duckdb
            """
        },
    )
    run = run_cli("check", ".", "--diff")
    assert "-  - duckdb\n" in run.stdout.replace("    ", "")
    assert "hunter2" not in run.stdout + run.stderr
    assert "password: *******}" in run.stdout


def test_the_readme_and_docs_list_every_rule_with_fixes_and_their_applicability() -> None:
    from floe_lint.lint.registry import builtin_rules

    readme = (REPO / "README.md").read_text()
    docs = (REPO / "docs/fixes.md").read_text()
    for rule in builtin_rules():
        row = f"| {rule.id} `{rule.name}` |"
        assert (row in readme) == bool(rule.fixes), rule.id
        for applicability, _ in rule.fixes:
            assert f"{row} {applicability} |" in docs, (rule.id, applicability)


def test_only_files_given_to_check_are_fixed_not_the_manifests_their_refs_reach(
    tree: Path,
) -> None:
    sales = (tree / "sales/manifest.yaml").read_text()
    run = run_cli("check", "orders", "--fix")
    assert (tree / "sales/manifest.yaml").read_text() == sales  # reached by a ref: left alone
    assert "FL202 [approved-not-subset] domain 'sales' approves 'Spark'" in run.stdout
    # SPARK differs from no name the domain approves yet (Spark is not approved): no safe fix
    assert "compute: SPARK }" in (tree / "orders/floe.yaml").read_text()


def test_fix_and_diff_refuse_standard_input(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"name: x\n")))
    run = run_cli("check", "-", "--stdin-filename", "orders/floe.yaml", "--fix")
    assert run.code == 2
    assert run.stderr == (
        "floe-lint: error: --fix and --diff change files on disk; with --stdin-filename there "
        "is none to change\n"
    )


def test_the_json_report_says_how_each_finding_would_be_fixed(tree: Path) -> None:
    import jsonschema

    report = run_cli("check", ".", "--format", "json").report
    schema = json.loads((REPO / "schemas/report.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)
    [duplicate] = [f for f in report["findings"] if f["rule"] == "FL206"]
    assert duplicate["fix"] == {
        "applicability": "safe",
        "title": "remove the repeated entry",
        "edits": [
            {
                "file": "enterprise/manifest.yaml",
                "line": 5,
                "column": 40,  # ", duckdb" after snowflake
                "end_line": 5,
                "end_column": 48,
                "content": "",
            }
        ],
    }
    unsafe = [f["fix"]["applicability"] for f in report["findings"] if f["rule"] == "FL201"]
    assert sorted(unsafe) == ["unsafe", "unsafe"]
    assert all(
        "fix" not in f
        for f in report["findings"]
        if f["rule"] not in ("FL201", "FL202", "FL205", "FL206")
    )
