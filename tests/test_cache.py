"""The result cache: a replayed run prints exactly what a cold run prints, whatever was edited in
between; a change to a manifest re-checks its dependents and nothing else; the store is JSON,
bounded, outside the checkout, and `--no-cache`, FLOE_LINT_NO_CACHE and `cache clean` work."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.lint import cache, stream
from floe_lint.lint import whole as whole_run
from tests.conftest import REPO, check, write_files

ENTERPRISE = """
scope: enterprise
metadata: {name: acme}
plugins:
  compute:
    approved: [duckdb, spark, snowflake]
    default: duckdb
"""
DOMAIN = """
scope: domain
metadata: {{name: {name}}}
parent_manifest: ../enterprise/manifest.yaml
plugins:
  compute:
    approved: {approved}
    default: duckdb
"""
PRODUCT = """
name: {name}
platform: {{ref: ../../platform/{domain}/manifest.yaml}}
transforms:
  - {{type: dbt, path: models/a/, compute: duckdb}}
  - {{type: dbt, path: models/b/, compute: {compute}}}{comment}
"""


def tree() -> dict[str, str]:
    files = {"platform/enterprise/manifest.yaml": ENTERPRISE}
    for domain in ("sales", "risk"):
        files[f"platform/{domain}/manifest.yaml"] = DOMAIN.format(
            name=domain, approved="[duckdb, spark]"
        )
    for n, domain in enumerate(("sales", "sales", "risk")):
        files[f"products/p{n}/floe.yaml"] = PRODUCT.format(
            name=f"p{n}", domain=domain, compute="spark", comment=""
        )
    return files


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace in tmp_path/ws with the cache on, stored in tmp_path/cache."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    workspace = tmp_path / "ws"
    workspace.mkdir()
    monkeypatch.chdir(workspace)
    return workspace


EDITS = st.sampled_from(
    [
        ("products/p0/floe.yaml", {"compute": "snowflake"}),
        ("products/p1/floe.yaml", {"compute": "bogus"}),
        ("products/p2/floe.yaml", {"compute": "spark", "comment": "  # floe-lint: disable=FL201"}),
        (
            "products/p2/floe.yaml",
            {"compute": "snowflake", "comment": "  # floe-lint: disable=FL201"},
        ),
        ("products/p0/floe.yaml", {"domain": "nowhere"}),
        ("products/p0/floe.yaml", "name: p0\ntransforms: [\n"),
        ("products/p3/floe.yaml", {"compute": "snowflake"}),
        ("products/p1/floe.yaml", None),
        ("platform/sales/manifest.yaml", "[duckdb]"),
        ("platform/sales/manifest.yaml", "[duckdb, spark, snowflake]"),
        ("platform/risk/manifest.yaml", "[duckdb, bogus]"),
        ("platform/enterprise/manifest.yaml", ENTERPRISE.replace(", snowflake]", "]")),
        ("products/p1/floe.prod.yaml", "transforms:\n  - {path: models/b/, compute: duckdb}\n"),
        ("notes.yaml", "just: some yaml\n"),
    ]
)


def _apply(files: dict[str, str], edit: tuple[str, object]) -> None:
    path, change = edit
    if change is None:
        files.pop(path, None)
    elif isinstance(change, dict):
        name = Path(path).parent.name
        fields = {"name": name, "domain": "sales", "compute": "spark", "comment": ""}
        files[path] = PRODUCT.format(**{**fields, **change})
    elif path.startswith("platform/") and path != "platform/enterprise/manifest.yaml":
        files[path] = DOMAIN.format(name=Path(path).parent.name, approved=change)
    else:
        files[path] = str(change)


def _write(root: Path, files: dict[str, str]) -> None:
    for old in root.rglob("*.yaml"):
        if old.relative_to(root).as_posix() not in files:
            old.unlink()
    write_files(root, files)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(EDITS, min_size=1, max_size=4),
    fmt=st.sampled_from(["json", "text"]),
    group=st.sampled_from([1, 2, 256]),
)
def test_a_replayed_run_prints_what_a_cold_run_prints(
    cached: Path, edits: list[tuple[str, object]], fmt: str, group: int
) -> None:
    """`group`: the files a streamed run checks at a time (each then retired, its entry
    written out: floe_lint.lint.spill)."""
    cache.clean(cache.directory())
    files = tree()
    _write(cached, files)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "GROUP", group)
        check(".", "--format", fmt)  # fills the cache
        for edit in edits:
            _apply(files, edit)
            _write(cached, files)
            cold = check(".", "--format", fmt, "--no-cache")
            assert check(".", "--format", fmt) == cold, edit  # replays what did not change
            assert check(".", "--format", fmt) == cold, edit  # replays everything


def _per_file_stores() -> list[Path]:
    found = cache.directory().glob("results-*.json")
    return [p for p in found if not p.name.startswith(whole_run.PREFIX)]


def _parsed(monkeypatch: pytest.MonkeyPatch, root: Path) -> list[str]:
    from floe_lint.load import document

    seen: list[str] = []
    load = document.load

    def counting(path: Path) -> document.SourceFile:
        seen.append(path.resolve().relative_to(root.resolve()).as_posix())
        return load(path)

    monkeypatch.setattr(document, "load", counting)
    return seen


def test_an_unchanged_tree_is_replayed_without_parsing_a_file(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = tree()
    files["products/p1/floe.yaml"] = files["products/p1/floe.yaml"].replace("spark", "snowflake")
    write_files(cached, files)
    cold = check(".")
    assert cold[0] == 1 and "FL201" in cold[1], cold
    parsed = _parsed(monkeypatch, cached)
    assert check(".") == cold
    assert parsed == []
    stores = _per_file_stores()
    assert len(stores) == 1 and json.loads(stores[0].read_text())["version"] == cache.STORE_VERSION
    assert len(list(cache.directory().glob(f"{whole_run.PREFIX}*.json"))) == 1  # the run, whole
    assert not any(cached.rglob("results-*.json"))  # outside the checkout


def test_a_changed_manifest_rechecks_its_dependents_and_the_manifests(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from floe_lint.lint import parsed as kept

    # (the parses the filling run keeps would build the files checked again: none is parsed)
    monkeypatch.setattr(kept, "MAX_FILLED", 0)
    write_files(cached, tree())
    check(".")
    _apply(files := tree(), ("platform/sales/manifest.yaml", "[duckdb]"))
    write_files(cached, files)
    parsed = _parsed(monkeypatch, cached)
    code, out, _ = check(".")
    assert sorted(set(parsed)) == [
        "platform/enterprise/manifest.yaml",
        "platform/risk/manifest.yaml",
        "platform/sales/manifest.yaml",
        "products/p0/floe.yaml",  # the two products of sales; not p2, of risk
        "products/p1/floe.yaml",
    ]
    assert (code, out) == check(".", "--no-cache")[:2]
    assert "products/p0/floe.yaml:5:" in out and "compute 'spark'" in out


def test_no_cache_and_the_environment_turn_it_off(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(cached, tree())
    check(".", "--no-cache")
    assert not cache.directory().exists()
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    check(".")
    assert not cache.directory().exists()


def test_cache_dir_and_clean(cached: Path) -> None:
    write_files(cached, tree())
    check(".")
    out, err = io.StringIO(), io.StringIO()
    assert main(["cache", "dir"], stdout=out, stderr=err) == 0
    assert out.getvalue() == f"{cache.directory()}\n"
    (cache.directory() / "keep.txt").write_text("not ours")
    assert main(["cache", "clean"], stdout=out, stderr=err) == 0
    # the per-file store, the parses kept beside it and the run stored whole
    assert err.getvalue() == f"floe-lint: removed 3 stored results from {cache.directory()}\n"
    assert [p.name for p in cache.directory().iterdir()] == ["keep.txt"]


def test_the_folder_is_trimmed_to_its_bound_least_recently_used_first(tmp_path: Path) -> None:
    for n in range(5):
        store = tmp_path / f"results-{n}.json"
        store.write_text("x" * 100)
        os.utime(store, ns=(n * 10**9, n * 10**9))
    cache.trim(tmp_path, limit=250)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results-3.json", "results-4.json"]


def test_a_store_that_is_not_ours_is_ignored(cached: Path) -> None:
    write_files(cached, tree())
    cold = check(".")
    for store in cache.directory().glob("results-*.json"):
        store.write_text('{"version": 1, "entries": {"x": [1, 2]}}')
    assert check(".") == cold
    for store in cache.directory().glob("results-*.json"):
        store.write_text("\x00 not json")
    assert check(".") == cold


def test_concurrent_runs_share_the_store_safely(cached: Path) -> None:
    """Two processes filling the same store at once: both print the cold output, and the
    store left behind is whole (written atomically) and replays correctly."""
    write_files(cached, tree())
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "floe_lint", "check", ".", "--format", "json"]
    cold = subprocess.run([*command, "--no-cache"], capture_output=True, text=True, env=env)
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(2)
    ]
    outputs = [run.communicate() for run in runs]
    assert all(out.decode() == cold.stdout for out, _ in outputs)
    [store] = _per_file_stores()
    assert json.loads(store.read_text())["version"] == cache.STORE_VERSION
    again = subprocess.run(command, capture_output=True, text=True, env=env)
    assert again.stdout == cold.stdout
