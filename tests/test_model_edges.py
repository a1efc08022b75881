"""Edges of the hierarchy model found unguarded by a mutation run (issue 20): which level
removed a compute, none when no level approves it (floe_lint.model.level), the label of a
transform whose path is no string (floe_lint.model.dialects.adr0010), a blank parent_manifest
reported once, a ref to valid YAML that is no manifest, and a level's own
connection_secret_ref winning over the one it inherits (floe_lint.model.hierarchy), a
whitelist below another (floe_lint.model.level), and a destination that is no mapping
(floe_lint.model.dialects.floe)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

ENTERPRISE = """\
scope: enterprise
metadata: {name: acme}
plugins:
  compute:
    approved: [{name: duckdb, connection_secret_ref: ent-ref, config: {path: a.duckdb}}, spark]
    default: duckdb
"""
DOMAIN = """\
scope: domain
metadata: {name: sales}
parent_manifest: enterprise.yaml
plugins:
  compute:
    approved: [{name: duckdb, connection_secret_ref: dom-ref}]
"""
BLANK = """\
scope: domain
metadata: {name: lost}
parent_manifest: ''
plugins: {compute: {approved: [duckdb]}}
"""
PRODUCT = """\
name: p
version: 1.0.0
platform: {ref: ../domain.yaml}
transforms:
  - {type: dbt, path: models/a/, compute: flink}
  - {type: dbt, path: 5, compute: flink}
  - {type: dbt, path: [x], compute: duckdb}
"""
NOBODY = "(no level of the hierarchy approves it); approved: duckdb"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "enterprise.yaml": ENTERPRISE,
            "domain.yaml": DOMAIN,
            "blank.yaml": BLANK,
            "p/floe.yaml": PRODUCT,
            "q/floe.yaml": PRODUCT.replace("name: p", "name: q").split("transforms:")[0]
            + "transforms: [{type: dbt, path: models/a/}]\n",
        },
    )
    return tmp_path


def test_a_compute_no_level_approves_was_removed_by_none_and_a_bad_path_is_no_label(
    tree: Path,
) -> None:
    run = run_cli("check", ".")
    assert run.code == 1
    assert run.stdout.splitlines() == [
        "blank.yaml:3:18: ERROR FL303 [scope-mismatch] parent_manifest is blank, so this "
        "domain has no parent and none of its policy is inherited or checked; name its parent "
        "(a path or an oci:// ref)",
        "p/floe.yaml:5:43: ERROR FL201 [compute-not-approved] transform 'models/a/' selects "
        f"compute 'flink', which domain 'sales' does not approve {NOBODY}",
        "p/floe.yaml:6:23: ERROR FL102 [schema-type] 'transforms[1].path' must be a string, "
        'not an integer (5); quote it: "5"',
        "p/floe.yaml:6:35: ERROR FL201 [compute-not-approved] transform #2 selects compute "
        f"'flink', which domain 'sales' does not approve {NOBODY}",
        "p/floe.yaml:7:23: ERROR FL102 [schema-type] 'transforms[2].path' must be a string, "
        "not a list",
    ]


def test_a_levels_own_connection_secret_ref_wins_over_the_inherited_one(tree: Path) -> None:
    run = run_cli("compile", "q/floe.yaml", "--out", "out")
    assert run.code == 0, run.stdout + run.stderr
    data = json.loads((tree / "out/compiled_artifacts.json").read_text("utf-8"))
    computes = data["compute_registry"]["configs"]
    assert computes["duckdb"]["connection_secret_ref"] == "dom-ref"


HEAD = (
    "apiVersion: floe.dev/v1\nkind: Manifest\n"
    "metadata: {name: %s, version: 1.0.0, owner: a@b.example}\n"
)
PLUGINS = "plugins: {compute: {type: %s}, orchestrator: {type: dagster}}\n"


def test_a_whitelist_below_another_allows_only_what_both_allow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "e.yaml": HEAD % "acme"
            + "scope: enterprise\n"
            + PLUGINS % "duckdb"
            + "approved_plugins: {compute: [duckdb, spark]}\n",
            "a.yaml": HEAD % "sales"
            + "scope: domain\nparent_manifest: e.yaml\n"
            + PLUGINS % "duckdb"
            + "approved_plugins: {compute: [duckdb, snowflake]}\n",
            "b.yaml": HEAD % "east"
            + "scope: domain\nparent_manifest: a.yaml\n"
            + PLUGINS % "snowflake",
        },
    )
    run = run_cli("check", ".")
    assert (run.code, run.stdout.splitlines()) == (
        1,
        [
            "a.yaml:7:1: ERROR FL303 [scope-mismatch] 'approved_plugins' is only valid on an "
            "enterprise manifest, not on scope: domain; it governs nothing here",
            "a.yaml:7:38: ERROR FL608 [approved-plugins-widened] domain 'sales' allows compute "
            "'snowflake' below it, which enterprise 'acme' does not approve; "
            "approved_plugins.compute above: duckdb, spark",
            "b.yaml:6:27: ERROR FL202 [approved-not-subset] domain 'east' approves 'snowflake', "
            "which its parent domain 'sales' does not approve; parent approves: duckdb",
        ],
    )


def test_a_ref_to_valid_yaml_that_is_no_manifest_says_so(tree: Path) -> None:
    write_files(
        tree,
        {
            "notes.yaml": "a: 1\n",
            "n/floe.yaml": PRODUCT.replace("../domain.yaml", "../notes.yaml").split("  - ")[0]
            + "  - {type: dbt, path: models/a/, compute: duckdb}\n",
        },
    )
    run = run_cli("check", "n/floe.yaml")
    assert (run.code, run.stdout.splitlines()) == (
        1,
        [
            "n/floe.yaml:3:17: ERROR FL301 [unresolved-ref] platform.ref '../notes.yaml' "
            "resolves to notes.yaml, but it is not a Floe manifest"
        ],
    )


def test_an_upstream_destination_that_is_no_mapping_is_a_schema_error_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    product = (
        "apiVersion: floe.dev/v1\nkind: FloeSpec\nmetadata: {name: orders, version: 1.0.0}\n"
        "destinations:\n  - crm\ntransforms: [{name: stg}]\n"
    )
    write_files(tmp_path, {"fp/floe.yaml": product})
    run = run_cli("check", "fp/floe.yaml")
    assert (run.code, run.stdout.splitlines()[0]) == (
        1,
        "fp/floe.yaml:5:5: ERROR FL102 [schema-type] 'destinations[0]' must be a mapping, "
        "not a string",
    )
    assert [line.split(" ")[:3] for line in run.stdout.splitlines()[1:]] == [
        ["fp/floe.yaml:6:1:", "WARNING", "FL307"]
    ]
