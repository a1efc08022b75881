"""With the result cache on, a streamed run keeps no record per file either (issue 17: memory
flat beyond the cross-file summaries): each file is retired once checked (`Workspace.retire`),
its store entry is made then and written out (floe_lint/lint/spill.py), and the tables that
made it (`Replay`'s notes, `Local`'s per-file findings and subjects) drop it. These tests fail if
per-file `Path`s, shells, notes or entries come back, and prove that the store is byte for byte
what a run holding every file writes."""

from __future__ import annotations

import gc
import io
import json
import shutil
from collections import Counter
from pathlib import Path, PurePath
from typing import Any

import pytest

from benchmarks.corpus import generate
from floe_lint.cli import main
from floe_lint.config import Config
from floe_lint.lint import cache, engine, local, stream
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.retired import Retired


def _alive_after_stream(
    root: Path, store: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> tuple[dict[str, int], int, int]:
    """Objects alive when the stream of a cached `check ROOT` (a first run) ends, the sizes of
    the per-file tables of the result cache then, and how many files and findings it reports."""
    monkeypatch.chdir(root)
    monkeypatch.setattr(stream, "GROUP", 8)
    seen: dict[str, Any] = {}
    run = stream.Stream.run

    def counting(self: stream.Stream, *args: Any, **kwargs: Any) -> int | None:
        added = run(self, *args, **kwargs)
        kinds = (PurePath, Retired, SourceFile, Document)
        alive: Counter[str] = Counter(
            next(k.__name__ for k in kinds if isinstance(o, k))
            for o in gc.get_objects()
            if isinstance(o, kinds)
        )
        replay, kept = self.replay, self.local
        assert replay is not None and isinstance(kept, local.Local)
        alive["noted"] = len(replay._noted)
        alive["written"] = len(replay.store.written)
        alive["spilled"] = replay.spill.count
        alive["hashes"] = len(replay._hash)
        alive["valid"] = len(replay._valid)
        alive["local"] = sum(
            map(len, (kept._ran, kept._slots, kept._stored, kept._overlay_files, kept._where))
        )
        alive["listed"] = len(self.workspace.listed.names) + len(self.workspace.listed.beside)
        seen["alive"] = alive
        return added

    monkeypatch.setattr(stream.Stream, "run", counting)
    gc.collect()
    result = engine.run([Path(".")], Config(), jobs=jobs, release=True, cache_dir=store)
    return seen["alive"], len(result.files), len(result.findings)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cached_stream_keeps_no_record_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    small = generate(tmp_path / "small", 100, 3).root
    large = generate(tmp_path / "large", 300, 3).root
    alive_small, files_small, found_small = _alive_after_stream(
        small, tmp_path / "c-small", monkeypatch, jobs
    )
    alive_large, files_large, found_large = _alive_after_stream(
        large, tmp_path / "c-large", monkeypatch, jobs
    )
    assert files_large - files_small == 200

    def more(what: str) -> int:
        return alive_large[what] - alive_small[what]

    # 200 more files checked, released and retired: as many more entries written out, an int
    # each kept by the workspace (no Retired shell: 200 more before), and nothing else per
    # file but its hash
    assert more("Retired") <= 5 and more("spilled") == 200, more("Retired")
    more_findings = found_large - found_small
    assert 0 < more_findings < 100
    assert more("PurePath") <= more_findings + 5  # not a Path per file (nor per floe.lock)
    assert alive_large["SourceFile"] == alive_small["SourceFile"] == 11  # the manifests
    assert more("Document") <= 5  # nor document shells
    assert alive_large["noted"] == 0 and alive_large["written"] == 0  # nor entries
    assert alive_large["local"] <= 11 and alive_large["valid"] == 0  # nor local findings
    assert more("hashes") == 200  # (each file's content hash: a string)
    assert more("listed") <= 5  # nor what the walk listed of each product's folder


def _store(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("results-*.json"))}


def _cached_check(root: Path, store: Path, hold: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`check .` in `root` with the result cache in `store`, copied to the same folder each
    time (the run's key covers the environment, and so the folder's name)."""
    folder = root.parent / "cache"
    shutil.rmtree(folder, ignore_errors=True)
    if store.exists():
        shutil.copytree(store, folder)
    with monkeypatch.context() as patch:
        patch.chdir(root)
        patch.setenv(cache.CACHE_ENV, str(folder))
        patch.delenv(cache.DISABLE_ENV, raising=False)
        patch.setattr(stream, "GROUP", 4)
        if hold:
            real = engine.run
            patch.setattr(engine, "run", lambda *a, **k: real(*a, **{**k, "release": False}))
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", ".", "--format", "json", "--jobs", "1"], out, err)
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(folder, store)
    return code, out.getvalue(), err.getvalue()


def test_the_store_is_what_a_holding_run_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run, the next (replayed whole) and one after a domain manifest changed: the same
    output and the same store, byte for byte, whether files are retired or held; the entries
    of retired files are in it, by key, with their findings."""
    corpus = generate(tmp_path / "repo", 40, 5)
    for path in corpus.products[::4]:
        text = path.read_text("utf-8")
        path.write_text(text.replace("compute: duckdb", "compute: duckdbb", 1), "utf-8")
    stores = {hold: tmp_path / f"store-{hold}" for hold in (False, True)}
    for step in range(3):
        if step == 2:
            domain = corpus.domains[sorted(corpus.domains)[0]]
            domain.write_text(domain.read_text("utf-8") + "# changed\n", "utf-8")
        runs = {
            hold: _cached_check(corpus.root, stores[hold], hold, monkeypatch) for hold in stores
        }
        assert runs[False] == runs[True] and runs[False][0] == 1
        assert _store(stores[False]) == _store(stores[True])
    (entries,) = (
        json.loads(raw)["entries"]
        for name, raw in _store(stores[False]).items()
        if not name.startswith("results-run-")
    )
    assert list(entries) == sorted(entries) and len(entries) == 51
    for path in corpus.products[::4]:  # (the retired products' findings are in their entries)
        found = entries[str(path.resolve())]["f"]
        assert any("'duckdbb'" in f["m"] for f in found), found
