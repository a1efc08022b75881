"""A result-cache store that is not ours, whatever JSON it holds, is ignored: the run prints
what a run without the cache prints and rewrites the store (issue 20: a mutation run found
that a store holding a JSON list was not covered)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from floe_lint.lint import cache
from floe_lint.lint import whole as whole_run
from tests.conftest import check, write_files

FILES = {
    "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
    "floe.yaml": "name: p\nplatform: {ref: manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: spark}]\n",
}
OUTPUT = (
    "floe.yaml:3:52: ERROR FL201 [compute-not-approved] transform 'models/a/' selects compute "
    "'spark', which platform manifest manifest.yaml does not approve (no level of the "
    "hierarchy approves it); approved: duckdb\n"
)


def per_file_store() -> Path:
    """The per-file store, after the run stored whole is removed (so that the next run reads
    the per-file store instead of printing the stored run)."""
    stores = []
    for path in cache.directory().glob("results-*.json"):
        if path.name.startswith(whole_run.PREFIX):
            path.unlink()
        else:
            stores.append(path)
    (store,) = stores
    return store


@pytest.mark.parametrize(
    "store",
    [
        "[1, 2]",
        '"results"',
        "7",
        "null",
        '{"version": 2, "entries": {}}',
        '{"version": 1, "entries": [1]}',
        '{"version": 1}',
    ],
)
def test_a_store_holding_other_json_is_ignored_and_rewritten(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "ws").mkdir()
    monkeypatch.chdir(tmp_path / "ws")
    write_files(tmp_path / "ws", FILES)
    assert check(".")[:2] == (1, OUTPUT)
    path = per_file_store()
    path.write_text(store, "utf-8")
    assert check(".")[:2] == (1, OUTPUT)
    rewritten = json.loads(path.read_text("utf-8"))
    assert rewritten["version"] == cache.STORE_VERSION
    assert sorted(Path(k).name for k in rewritten["entries"]) == ["floe.yaml", "manifest.yaml"]


def test_a_store_that_is_a_symlink_is_neither_read_nor_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store is a regular file of the cache folder: a symlink there (to a store planted
    elsewhere) is never read, so its entries replay nothing, nor written through."""
    from floe_lint.load import document

    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "ws").mkdir()
    monkeypatch.chdir(tmp_path / "ws")
    write_files(tmp_path / "ws", FILES)
    assert check(".")[:2] == (1, OUTPUT)
    path = per_file_store()
    planted = tmp_path / "planted.json"
    path.rename(planted)
    before = planted.read_bytes()
    path.symlink_to(planted)
    parsed: list[str] = []
    load = document.load

    def counting(file: Path) -> document.SourceFile:
        parsed.append(file.name)
        return load(file)

    monkeypatch.setattr(document, "load", counting)
    assert check(".")[:2] == (1, OUTPUT)
    assert sorted(parsed) == ["floe.yaml", "manifest.yaml"]  # checked, not replayed
    assert planted.read_bytes() == before


def test_trimming_the_folder_never_counts_or_removes_what_is_not_a_store_file(
    tmp_path: Path,
) -> None:
    import os

    outside = tmp_path / "outside.json"
    outside.write_text("y" * 1000)
    folder = tmp_path / "cache"
    folder.mkdir()
    for n in range(3):
        store = folder / f"results-{n}.json"
        store.write_text("x" * 100)
        os.utime(store, ns=((n + 10) * 10**9, (n + 10) * 10**9))
    (folder / "results-link.json").symlink_to(outside)
    os.utime(folder / "results-link.json", ns=(10**9, 10**9), follow_symlinks=False)
    (folder / "results-dir.json").mkdir()
    (folder / "notes.json").write_text("z" * 1000)  # not a store: neither counted nor removed
    os.utime(folder / "notes.json", ns=(10**9, 10**9))
    cache.trim(folder, limit=250)
    assert sorted(p.name for p in folder.iterdir()) == [
        "notes.json",
        "results-1.json",
        "results-2.json",
        "results-dir.json",
        "results-link.json",
    ]
    assert outside.read_text() == "y" * 1000
