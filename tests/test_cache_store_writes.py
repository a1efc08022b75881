"""The result cache writes its store only when its content changes: a pre-commit run whose
files are all replayed writes nothing to disk (not the store, not its time), nor does a run
that checks files again and makes the entries the store already holds; a run whose result
changed writes it (a new file renamed into place: concurrent runs each read a whole store).

A used store's time is noted again only when over an hour old (`cache.TOUCH_AFTER_NS`): the
folder is trimmed least recently used first, which needs no finer clock.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from floe_lint.lint import cache
from floe_lint.lint import whole as whole_run
from tests.conftest import check, write_files

FILES = {
    "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
    "products/a/floe.yaml": "name: a\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: spark}]\n",
    "products/b/floe.yaml": "name: b\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/b/, compute: duckdb}]\n",
}
HOOK = ["--hook", "products/a/floe.yaml", "products/b/floe.yaml"]


def stamp(path: Path) -> tuple[int, int, int]:
    """What a write (a new file renamed into place) or a touch of its time changes."""
    info = os.stat(path)
    return info.st_ino, info.st_mtime_ns, info.st_ctime_ns


def stores() -> dict[str, Path]:
    """The store files by kind: `file` (per file) and `run` (whole runs)."""
    found: dict[str, Path] = {}
    for path in cache.directory().glob("results-*.json"):
        found["run" if path.name.startswith(whole_run.PREFIX) else "file"] = path
    return found


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    root = tmp_path / "ws"
    write_files(root, FILES)
    monkeypatch.chdir(root)
    return root


def everything() -> dict[Path, tuple[tuple[int, int, int], bytes]]:
    """Every file of the cache folder (the store and what is kept beside it)."""
    return {p: (stamp(p), p.read_bytes()) for p in cache.directory().rglob("*") if p.is_file()}


def test_a_pre_commit_run_with_everything_replayed_writes_nothing(workspace: Path) -> None:
    first = check(*HOOK)
    assert first == (0, "", "floe-lint: no problems (3 files checked)\n")
    before = everything()
    assert stores()["file"] in before
    for _ in range(2):
        assert check(*HOOK) == first
        assert everything() == before


def test_a_run_replayed_whole_does_not_touch_its_record(workspace: Path) -> None:
    first = check(".")
    record = stores()["run"]
    before = stamp(record)
    assert check(".") == first
    assert stamp(record) == before


def test_a_store_over_an_hour_old_is_noted_as_used(workspace: Path) -> None:
    check(*HOOK)
    store = stores()["file"]
    old = os.stat(store).st_mtime_ns - cache.TOUCH_AFTER_NS - 10**9
    os.utime(store, ns=(old, old))
    check(*HOOK)
    assert os.stat(store).st_mtime_ns > old + cache.TOUCH_AFTER_NS  # (for `trim`)


def test_a_result_that_changed_is_written(workspace: Path) -> None:
    check(*HOOK)
    store = stores()["file"]
    before = stamp(store)
    (workspace / "products/a/floe.yaml").write_text(
        FILES["products/a/floe.yaml"].replace("spark", "snowflake"), "utf-8"
    )
    run = check(*HOOK)
    assert run[1].splitlines() == [
        "products/a/floe.yaml:3:52: ERROR FL201 [compute-not-approved] transform 'models/a/' "
        "selects compute 'snowflake', which platform manifest manifest.yaml does not approve (no "
        "level of the hierarchy approves it); approved: duckdb, spark"
    ]
    assert stamp(store)[0] != before[0]  # a new file, renamed into place
    entries = json.loads(store.read_text("utf-8"))["entries"]
    stored = entries[str((workspace / "products/a/floe.yaml").resolve())]["f"]
    assert [(f["r"], f["l"][1]) for f in stored] == [("FL201", [3, 52, 3, 61])]


def test_entries_made_again_as_they_were_are_not_written(workspace: Path) -> None:
    """A run that checked every file again and made the same entries (equal, not the ones it
    read) leaves the store as it is."""
    check(*HOOK)
    path = stores()["file"]
    before = stamp(path), path.read_bytes()
    store = cache.Store(path.parent, path.name.removeprefix("results-").removesuffix(".json"))
    store.load()
    assert len(store.entries) == 3
    store.written = dict(store.entries.items())  # equal entries, made anew
    store.save()
    assert (stamp(path), path.read_bytes()) == before
    store.written["extra"] = {"h": None}  # one entry more: written
    store.save()
    assert stamp(path)[0] != before[0][0]
    assert set(json.loads(path.read_text("utf-8"))["entries"]) == {
        *dict(store.entries.items()),
        "extra",
    }
