"""`floe-lint impact`: a manifest change compared with a git revision (a real temporary
repository, read with `git show`) or with a file."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import REPO, run_cli, write_files
from tests.test_dependents import TREE, WITHOUT_SNOWFLAKE

GIT_ENV = {
    "GIT_AUTHOR_NAME": "floe-lint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "floe-lint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}
ENTERPRISE = "platform/enterprise/manifest.yaml"
SCHEMA = json.loads((REPO / "schemas" / "impact.json").read_text("utf-8"))


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
    ).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TREE committed; the enterprise manifest then loses snowflake in the working tree."""
    write_files(tmp_path, TREE)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    (tmp_path / ENTERPRISE).write_text(WITHOUT_SNOWFLAKE.lstrip("\n"), "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


APPEARED = [
    "  + platform/sales/manifest.yaml:6:24: ERROR FL202 [approved-not-subset] domain 'sales' "
    "approves 'snowflake', which its parent enterprise 'acme' does not approve; parent approves: "
    "duckdb, spark; it is also its default",
    "  + products/orders/floe.yaml:5:47: ERROR FL201 [compute-not-approved] transform "
    "'models/marts/' selects compute 'snowflake', which domain 'sales' does not approve (no level "
    "of the hierarchy approves it); approved: duckdb",
]
PRODUCTS = [
    "products whose policy changes: 2",
    "  products/customers/floe.yaml (customers)",
    "    approved: duckdb, snowflake -> duckdb",
    "  products/orders/floe.yaml (orders)",
    "    approved: duckdb, snowflake -> duckdb",
    "    transform 'models/marts/' (line 5): snowflake (approved) -> snowflake (not approved)",
]


def test_impact_against_head_lists_new_findings_and_changed_products(repo: Path) -> None:
    run = run_cli("impact", ENTERPRISE)
    assert run.code == 1, run.stderr
    assert run.stdout.splitlines() == [
        f"impact of {ENTERPRISE} against HEAD: 3 dependents",
        "findings that appear: 2",
        *APPEARED,
        "findings that disappear: 0",
        *PRODUCTS,
    ]
    assert run.stderr == (
        "floe-lint: the change introduces 2 errors; breaks: platform/sales/manifest.yaml, "
        "products/orders/floe.yaml\n"
    )
    # git show, not a checkout: the working tree still holds the change
    assert "snowflake" not in (repo / ENTERPRISE).read_text("utf-8")
    assert git(repo, "status", "--porcelain") == f" M {ENTERPRISE}\n"


def test_impact_against_an_older_revision_and_the_fix_that_reverts_it(repo: Path) -> None:
    git(repo, "commit", "-qam", "drop snowflake")
    same = run_cli("impact", ENTERPRISE)  # HEAD now holds the change: nothing new
    assert same.code == 0
    assert "findings that appear: 0" in same.stdout
    older = run_cli("impact", ENTERPRISE, "--against", "HEAD~1", "--format", "json")
    assert older.code == 1
    assert older.report["summary"]["appeared_errors"] == 2
    # Restore snowflake: compared with HEAD, the three findings disappear and nothing breaks.
    (repo / ENTERPRISE).write_text(TREE[ENTERPRISE].lstrip("\n"), "utf-8")
    fixed = run_cli("impact", ENTERPRISE, "--format", "json")
    assert fixed.code == 0, fixed.stderr
    assert [(f["file"], f["rule"]) for f in fixed.report["disappeared"]] == [
        ("platform/sales/manifest.yaml", "FL202"),
        ("products/orders/floe.yaml", "FL201"),
    ]
    assert fixed.report["appeared"] == []


def test_impact_json_follows_its_schema(repo: Path) -> None:
    run = run_cli("impact", ENTERPRISE, "--format", "json")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(run.report, SCHEMA)
    report = run.report
    assert report["against"] == "HEAD"
    assert report["dependents"] == [
        "platform/sales/manifest.yaml",
        "products/customers/floe.yaml",
        "products/orders/floe.yaml",
    ]
    assert report["summary"]["breaks"] == [
        "platform/sales/manifest.yaml",
        "products/orders/floe.yaml",
    ]
    orders = report["products"][1]
    assert orders["transforms"] == [
        {
            "transform": "transform 'models/marts/'",
            "line": 5,
            "before": {"compute": "snowflake", "approved": True},
            "after": {"compute": "snowflake", "approved": False},
        }
    ]


def test_impact_markdown_for_a_job_summary(repo: Path) -> None:
    summary = repo / "summary.md"
    run = run_cli("impact", ENTERPRISE, "--format", "markdown", "--output", str(summary))
    assert run.code == 1 and run.stdout == ""
    lines = summary.read_text("utf-8").splitlines()
    assert lines[0] == "## floe-lint impact: platform/enterprise/manifest.yaml"
    assert lines[2] == (
        "Against HEAD: 3 dependents, **2 new errors**, 0 findings fixed, "
        "2 products whose policy changes."
    )
    assert "Breaks: platform/sales/manifest.yaml, products/orders/floe.yaml" in lines
    assert (
        "| orders (products/orders/floe.yaml) | transform 'models/marts/' (line 5) | "
        "snowflake (approved) | snowflake (not approved) |"
    ) in lines


def test_impact_against_a_file(repo: Path) -> None:
    old = repo / "old-enterprise.yaml"
    old.write_text(TREE[ENTERPRISE].lstrip("\n"), "utf-8")
    run = run_cli("impact", ENTERPRISE, "--against", str(old), "--format", "json")
    assert run.code == 1
    assert run.report["against"] == str(old)
    assert run.report["summary"]["appeared_errors"] == 2


@pytest.mark.parametrize(
    ("against", "message"),
    [
        ("--output=/tmp/x", "'--output=/tmp/x' is not a git revision floe-lint accepts"),
        ("HEAD:other.yaml", "'HEAD:other.yaml' is not a git revision floe-lint accepts"),
        ("no-such-rev", "cannot read platform/enterprise/manifest.yaml at revision no-such-rev"),
    ],
)
def test_a_bad_revision_is_a_usage_error(repo: Path, against: str, message: str) -> None:
    run = run_cli("impact", ENTERPRISE, f"--against={against}")
    assert run.code == 2
    assert run.stderr.startswith(f"floe-lint: error: {message}"), run.stderr
    assert run.stderr.endswith("; pass --against FILE to compare with a file\n")


def test_a_manifest_not_yet_committed_needs_a_file_to_compare_with(repo: Path) -> None:
    write_files(repo, {"platform/new/manifest.yaml": "plugins: {compute: {approved: [duckdb]}}\n"})
    run = run_cli("impact", "platform/new/manifest.yaml")
    assert run.code == 2
    assert "cannot read platform/new/manifest.yaml at revision HEAD: " in run.stderr


def test_impact_parses_each_file_once_and_locates_only_what_it_reports(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both versions are linted, but the files other than the manifest read the same: each is
    parsed once, with the position of each node noted, so no file is composed again to place
    a finding or a reported transform."""
    from floe_lint.load import document, spans

    loaded: list[str] = []
    located: list[str] = []
    load, compose = document.load, spans._compose

    def counting_load(path: Path, positions: bool = False) -> document.SourceFile:
        assert positions  # each node's position noted while parsing (floe_lint.load.positions)
        loaded.append(path.resolve().relative_to(repo.resolve()).as_posix())
        return load(path, positions)

    def counting_compose(text: str) -> Any:
        """Spans are located by composing the file again (a lookup or every node's)."""
        located.append(text.splitlines()[0] if text else "")
        return compose(text)

    monkeypatch.setattr(document, "load", counting_load)
    monkeypatch.setattr(spans, "_compose", counting_compose)
    run = run_cli("impact", ENTERPRISE)
    assert run.stdout.splitlines()[-len(PRODUCTS) :] == PRODUCTS
    assert sorted(loaded) == sorted(TREE)
    # the sales manifest and orders have findings and a reported transform: they are placed
    # from the positions their parse noted, no file is composed again
    assert located == []


def test_a_finding_the_change_leaves_alone_neither_appears_nor_disappears(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old version is linted under the path the new one is read from (as given, relative
    here): a message that names a path made from the manifest's own (an unresolved
    `parent_manifest`) reads the same in both runs, so the unchanged FL301 is no change, and
    the exit status says the change introduces nothing (it said 1 when the old version sat
    under its absolute path)."""
    manifest = "platform/dom/manifest.yaml"
    text = (
        "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: dom, owner: a@b.c}\n"
        "scope: domain\nparent_manifest: ../missing/manifest.yaml\n"
        "plugins:\n  compute:\n    approved: [{name: duckdb}]\n    default: duckdb\n"
    )
    write_files(
        tmp_path,
        {
            manifest: text,
            "products/p/floe.yaml": "apiVersion: floe.dev/v1\nname: p\n"
            "platform: {ref: ../../platform/dom/manifest.yaml}\ntransforms: [{path: models/x/}]\n",
            "old.yaml": text.replace("duckdb", "spark"),
        },
    )
    monkeypatch.chdir(tmp_path)
    assert "FL301" in run_cli("check", manifest).stdout  # the finding both versions have
    run = run_cli("impact", manifest, "--against", "old.yaml")
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == [
        f"impact of {manifest} against old.yaml: 1 dependent",
        "findings that appear: 0",
        "findings that disappear: 0",
        "products whose policy changes: 1",
        "  products/p/floe.yaml (p)",
        "    approved: spark -> duckdb",
        "    transform 'models/x/' (line 4): spark (approved) -> duckdb (approved)",
    ]
    assert run.stderr == ""
