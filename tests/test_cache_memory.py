"""Memory with the result cache on stays flat as a tree grows (issue 17, third round): the files
a cached run reads per file are read a line at a time, not whole. Measured in-process with
tracemalloc at N and 3N files: what a part takes beyond what it keeps for the rest of the run
must not grow with the files (it grew by about a kilobyte a file when read whole)."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from floe_lint.cli import main
from floe_lint.lint import cache, engine, parsed
from floe_lint.lint import whole as whole_run
from tests.conftest import write_files
from tests.test_cache_whole_records import FILES, laid_out


def _transient(call: Callable[[], Any]) -> int:
    """The bytes `call` took at its peak beyond what it still holds when it returns."""
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        call()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - max(start, current)


def _replayed(monkeypatch: pytest.MonkeyPatch, absent: int) -> int:
    """The transient bytes of replaying whole the run of the working directory, its record
    listing `absent` more files looked for and absent (as a floe.lock beside each product)."""
    (record,) = cache.directory().glob(f"{whole_run.PREFIX}*.json")
    text = record.read_text("utf-8")
    data = json.loads(text)
    far = "/nowhere/" + "x" * 200
    data["absent"] = sorted([*data["absent"], *(f"{far}/p{n:05}/floe.lock" for n in range(absent))])
    record.write_text(laid_out(data) if '"found":[\n' in text else json.dumps(data), "utf-8")
    taken: list[int] = []
    replay = whole_run.Whole.replay

    def measured(self: whole_run.Whole, *args: Any) -> int | None:
        code: list[int | None] = []
        taken.append(_transient(lambda: code.append(replay(self, *args))))
        return code[0]

    out = io.StringIO()
    with monkeypatch.context() as patched:
        patched.setattr(whole_run.Whole, "replay", measured)
        patched.setattr(engine, "run", None)  # (replayed whole: the linter does not run)
        assert main(["check", "."], stdout=out, stderr=io.StringIO()) == 1
    assert out.getvalue().startswith("floe.yaml:3:52: ERROR FL201")
    return taken[0]


def test_a_run_replayed_whole_reads_its_record_a_line_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole-run record lists every file found and every floe.lock looked for; read whole
    (about 1 KB a product at its peak), it made a run that changed nothing 2.15 times larger at
    30,000 products than at 10,000."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    write_files(tmp_path / "ws", FILES)
    monkeypatch.chdir(tmp_path / "ws")
    assert main(["check", "."], stdout=io.StringIO(), stderr=io.StringIO()) == 1
    _replayed(monkeypatch, 0)  # (the first replay imports what it uses: not measured)
    small = _replayed(monkeypatch, 3000)
    large = _replayed(monkeypatch, 9000)
    per_file = (large - small) / 6000
    assert per_file < 50, (small, large)  # (each line is 230 bytes)


def _kept_parses(folder: Path, count: int) -> int:
    """The transient bytes of a run's use of a file of `count` kept parses of 2 KB each: one
    built from (`Kept.get`), all kept as they were when the file is written again."""
    store = folder / f"results-{count}.json"
    folder.mkdir(parents=True, exist_ok=True)
    text = '[[0,{"name":"' + "x" * 2000 + '"}]]'
    fresh = {
        f"/w/products/p{n:05}/floe.yaml": ["d" * 32, f"products/p{n:05}/floe.yaml", text]
        for n in range(count)
    }
    parsed.Kept(store).save(fresh, [])
    keys = sorted(fresh)
    before = store.with_suffix(".parses").read_bytes()

    def use() -> None:
        kept = parsed.Kept(store)
        assert kept.get(keys[0], "d" * 32, "products/p00000/floe.yaml") == text
        kept.save({}, keys)

    taken = _transient(use)
    assert store.with_suffix(".parses").read_bytes() == before  # every line kept as it was
    return taken


def test_the_kept_parses_are_read_a_line_at_a_time(tmp_path: Path) -> None:
    """A run with a domain manifest edited builds its products from their kept parses: it read
    the whole file (up to 48 MB) and held a copy of every line it kept while writing it."""
    small = _kept_parses(tmp_path, 1000)
    large = _kept_parses(tmp_path, 3000)
    per_line = (large - small) / 2000
    assert per_line < 400, (small, large)  # (the index and the sorted keys; a line is 2 KB)


def test_a_manifest_edited_holds_the_bytes_of_the_files_checked_again_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A manifest's entry depends on every file found (`Replay.all_hash`): hashing them all
    held each file's bytes until it was replayed, 2.3 KB a product at the peak of a run with a
    domain manifest edited. Only the bytes of a file checked again are held (read again)."""
    from benchmarks.corpus import generate
    from floe_lint.lint.replay import Replay

    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    generate(tmp_path / "ws", 60, seed=0)
    monkeypatch.chdir(tmp_path / "ws")
    cold = io.StringIO()
    main(["check", "."], stdout=cold, stderr=io.StringIO())
    sales = tmp_path / "ws/platform/domains/sales/manifest.yaml"
    sales.write_text(sales.read_text() + "# edited\n")
    found = sum(1 for _ in (tmp_path / "ws").rglob("*.yaml"))
    held: list[int] = []
    replayable = Replay.replayable

    def noting(self: Replay, path: Path | str) -> bool:
        held.append(sum(1 for raw in self._raw.values() if raw is not None))
        return replayable(self, path)

    monkeypatch.setattr(Replay, "replayable", noting)
    again = io.StringIO()
    main(["check", "."], stdout=again, stderr=io.StringIO())
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    fresh = io.StringIO()
    main(["check", "."], stdout=fresh, stderr=io.StringIO())
    assert again.getvalue() == fresh.getvalue()
    # (a sixth of the products is checked again, with the manifests they depend on)
    assert found > 60 and held and max(held) <= found // 3, (found, max(held))
