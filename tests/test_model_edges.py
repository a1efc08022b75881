"""Edges of the hierarchy model found unguarded by a mutation run (issue 20): which level
removed a compute (none, when no level approves it), the label of a transform whose path is no
string, a blank parent_manifest reported once, and a level's own connection_secret_ref winning
over the one it inherits."""

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
