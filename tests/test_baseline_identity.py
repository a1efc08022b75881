"""Baseline entries name nodes by identity (a transform's name or path, a compute's name),
not list positions; partial runs judge only the files they checked; version 1 still loads."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli, write_files

# Approved computes that carry a finding each (an unknown config key, a literal secret) and
# transforms on computes that are never approved: the findings the baseline accepts.
BAD_COMPUTES = [
    {"name": "duckdb", "config": {"threads": 4, "memory_limt": "4GB"}},
    {"name": "spark", "config": {"host": "spark.example", "password": "hunter2"}},
]
CLEAN_COMPUTES = [
    {"name": "postgres", "config": {"dbname": "analytics"}},
    {"name": "redshift", "config": {"host": "rs.example", "dbname": "analytics"}},
    {"name": "databricks", "config": {"host": "dbc.example", "http_path": "/sql/x"}},
]
BAD_TRANSFORMS = [
    {"type": "dbt", "path": "models/bad_a/", "compute": "bigquery"},
    {"type": "dbt", "name": "bad-b", "path": "models/bad_b/", "compute": "snowflake"},
]


@st.composite
def edits(draw: st.DrawFn) -> dict[str, Any]:
    """Unrelated items to insert, items to delete and the new orders of both lists."""
    clean_transforms = [
        {"type": "dbt", "path": f"models/clean_{i}/", **({"compute": c} if c else {})}
        for i, c in enumerate(
            draw(st.lists(st.sampled_from([None, "duckdb", "spark"]), min_size=0, max_size=4))
        )
    ]
    kept = [t for t in clean_transforms if draw(st.booleans())]
    added = [
        {"type": "dbt", "path": f"models/new_{i}/", "tags": ["new"]}
        for i in range(draw(st.integers(0, 3)))
    ]
    before_computes = draw(st.lists(st.sampled_from(CLEAN_COMPUTES), unique_by=str, max_size=2))
    after_computes = draw(st.lists(st.sampled_from(CLEAN_COMPUTES), unique_by=str, max_size=3))
    return {
        "before": {
            "transforms": draw(st.permutations([*BAD_TRANSFORMS, *clean_transforms])),
            "computes": draw(st.permutations([*BAD_COMPUTES, *before_computes])),
        },
        "after": {
            "transforms": draw(st.permutations([*BAD_TRANSFORMS, *kept, *added])),
            "computes": draw(st.permutations([*BAD_COMPUTES, *after_computes])),
        },
    }


def write_tree(root: Path, state: dict[str, Any]) -> None:
    manifest = {"plugins": {"compute": {"approved": state["computes"], "default": "duckdb"}}}
    product = {"name": "p", "platform": {"ref": "manifest.yaml"}, "transforms": state["transforms"]}
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), "utf-8")
    (root / "floe.yaml").write_text(yaml.safe_dump(product, sort_keys=False), "utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_inserting_deleting_and_reordering_unrelated_items_brings_nothing_back(
    case: dict[str, Any],
) -> None:
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.chdir(root)
        try:
            write_tree(root, case["before"])
            found = run_cli("check", ".", "--format", "json")
            assert {f["name"] for f in found.findings} == {
                "compute-config",
                "secret-literal",
                "compute-not-approved",
            }, found.findings
            assert run_cli("check", ".", "--write-baseline", "b.json").code == 0
            write_tree(root, case["after"])
            run = run_cli("check", ".", "--baseline", "b.json", "--format", "json")
            assert run.findings == [], run.findings
            assert run.code == 0 and "stale" not in run.stderr, run.stderr
        finally:
            os.chdir(cwd)


def test_changing_a_baselined_value_still_brings_its_finding_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    state = {"transforms": list(BAD_TRANSFORMS), "computes": list(BAD_COMPUTES)}
    write_tree(tmp_path, state)
    assert run_cli("check", ".", "--write-baseline", "b.json").code == 0
    moved = dict(BAD_TRANSFORMS[0], compute="redshift")
    write_tree(tmp_path, {**state, "transforms": [{"path": "models/z/"}, moved, BAD_TRANSFORMS[1]]})
    run = run_cli("check", ".", "--baseline", "b.json", "--format", "json")
    assert [(f["name"], f["pointer"]) for f in run.findings] == [
        ("compute-not-approved", "/transforms/1/compute")
    ]
    assert "1 stale baseline entry" in run.stderr


MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"


def _product(compute: str) -> str:
    return (
        "name: p\nplatform: {ref: ../manifest.yaml}\n"
        f"transforms: [{{type: dbt, path: models/a/, compute: {compute}}}]\n"
    )


@pytest.fixture
def two_products(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {"manifest.yaml": MANIFEST, "a/floe.yaml": _product("spark"), "b/floe.yaml": _product("x")},
    )
    assert run_cli("check", ".", "--write-baseline", "bl.json").code == 0
    return tmp_path


def test_a_partial_run_judges_only_the_files_it_checked(two_products: Path) -> None:
    run = run_cli("check", "a/floe.yaml", "--baseline", "bl.json")  # as pre-commit would
    assert run.code == 0 and "stale" not in run.stderr, run.stderr

    (two_products / "a/floe.yaml").write_text(_product("duckdb"), "utf-8")  # fixed
    run = run_cli("check", "a/floe.yaml", "--baseline", "bl.json")
    assert run.code == 0
    assert "1 stale baseline entry" in run.stderr and "FL201 a/floe.yaml" in run.stderr
    assert "b/floe.yaml" not in run.stderr
    assert "--write-baseline" not in run.stderr  # never advise rewriting from a partial run
    assert "remove them from the file; this run checked only some of its files" in run.stderr

    run = run_cli("check", ".", "--baseline", "bl.json")  # a full run may advise it
    assert (
        "1 stale baseline entry" in run.stderr and "rewrite it with --write-baseline" in run.stderr
    )


def test_writing_the_baseline_from_a_partial_run_keeps_other_files_entries(
    two_products: Path,
) -> None:
    (two_products / "a/floe.yaml").write_text(_product("duckdb"), "utf-8")
    run = run_cli("check", "a/floe.yaml", "--write-baseline", "bl.json")
    assert "wrote 1 finding to baseline bl.json, 1 of them kept" in run.stderr
    entries = json.loads((two_products / "bl.json").read_text("utf-8"))["findings"]
    assert [e["file"] for e in entries] == ["b/floe.yaml"]
    assert run_cli("check", ".", "--baseline", "bl.json").code == 0


def test_a_version_1_baseline_still_loads_and_matches(two_products: Path) -> None:
    data = json.loads((two_products / "bl.json").read_text("utf-8"))
    old = {
        "version": 1,
        "tool": "floe-lint",
        "findings": [
            {k: e[k] for k in ("rule", "file", "pointer", "hash", "message")}
            for e in data["findings"]
        ],
    }
    (two_products / "bl.json").write_text(json.dumps(old), "utf-8")
    run = run_cli("check", ".", "--baseline", "bl.json")
    assert run.code == 0 and "stale" not in run.stderr, run.stderr
    assert run_cli("check", "a/floe.yaml", "--write-baseline", "bl.json").code == 0
    rewritten = json.loads((two_products / "bl.json").read_text("utf-8"))
    assert rewritten["version"] == 2
    nodes = {e["file"]: e["node"] for e in rewritten["findings"]}
    # a's entry was rewritten by name; b's, not checked, is kept with its node to be named
    assert nodes == {"a/floe.yaml": '/transforms/[path="models/a/"]/compute', "b/floe.yaml": None}
    assert run_cli("check", ".", "--baseline", "bl.json").code == 0


OVERLAID = {
    "manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
    "floe.yaml": (
        "name: p\nplatform: {ref: manifest.yaml}\n"
        "transforms:\n  - {type: dbt, path: models/x/, compute: spark}\n"
    ),
    "floe.prod.yaml": "transforms:\n  - {path: models/x/, compute: duckdb}\n",
}
OVERLAY_FINDING = (
    "floe.prod.yaml:2:32: ERROR FL401 [environment-override] a per-environment file changes "
    "the compute; a transform must run on the same compute in every environment (ADR-0010)\n"
)


@pytest.mark.parametrize(
    ("written_by", "checked_by"),
    [(".", "floe.yaml"), ("floe.yaml", "."), ("floe.yaml", "floe.yaml")],
)
def test_a_per_environment_files_finding_has_one_node_whether_its_base_or_its_folder_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written_by: str, checked_by: str
) -> None:
    """The pre-commit hook checks a staged floe.yaml alone, whose per-environment file is
    loaded beside it, not given: its finding's node must be named by the transform's path as
    `check .` names it, or a baseline written by one run fails the other (a false error)."""
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, OVERLAID)
    run = run_cli("check", checked_by, "--no-cache")
    assert (run.code, run.stdout) == (1, OVERLAY_FINDING)
    assert run_cli("check", written_by, "--write-baseline", "bl.json").code == 0
    [entry] = json.loads((tmp_path / "bl.json").read_text("utf-8"))["findings"]
    assert (entry["file"], entry["node"]) == (
        "floe.prod.yaml",
        '/transforms/[path="models/x/"]/compute',
    )
    run = run_cli("check", checked_by, "--baseline", "bl.json")
    assert (run.code, run.stdout) == (0, ""), run.stderr
    assert "1 baselined not shown" in run.stderr and "stale" not in run.stderr, run.stderr
