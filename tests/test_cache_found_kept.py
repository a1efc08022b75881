"""What a run with the result cache on keeps of the files it found (issue 17, memory with the
cache on, seventh round): `Replay.found` was a list of the walk's (name, explicit) tuples, kept
to the end of the run for the whole-run record (about 64 bytes a file beyond its name); it is
now the names and the positions of those named explicitly (`whole_record.Found`), the same
pairs, in the same order. Measured in-process with tracemalloc at N and 3N files (beyond the
2,000 tuples of two that CPython keeps for reuse when they are dropped: they are not freed)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from floe_lint.lint import cache
from floe_lint.lint.replay import Replay
from floe_lint.lint.whole_record import Found
from floe_lint.load.workspace import Workspace


def _names(count: int) -> list[str]:
    return [f"products/p{n:05}/floe.yaml" for n in range(count)]


def _planned(tmp_path: Path, found: list[tuple[Path | str, bool]]) -> Replay:
    workspace = Workspace()
    replay = Replay(cache.Store(tmp_path / "cache", "k"), workspace)
    replay.plan(found)
    return replay


def _kept(tmp_path: Path, count: int, names: list[str]) -> int:
    """The bytes `Replay.found` holds of `count` files found, the walk's list of tuples (and
    every table `plan` fills) dropped; the names are the walk's, alive either way."""
    tracemalloc.start()
    try:
        found: list[tuple[Path | str, bool]] = [(name, False) for name in names[:count]]
        replay = _planned(tmp_path, found)
        del found
        replay.explicit.clear()  # (the keys: not what is measured here)
        start = tracemalloc.get_traced_memory()[0]
        replay.found = []
        size = start - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return size


def test_the_files_found_are_kept_as_names_not_a_tuple_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    names = _names(12000)
    _kept(tmp_path, 100, names)  # (what the first call imports is not measured)
    per_file = (_kept(tmp_path, 12000, names) - _kept(tmp_path, 4000, names)) / 8000
    # the same measure of a list of the walk's tuples (what `found` was): the positive control
    tuples = (_dropped(12000, names) - _dropped(4000, names)) / 8000
    assert tuples > 60, tuples
    assert per_file < 20, per_file  # (a slot in a list of names: 8 bytes)


def _dropped(count: int, names: list[str]) -> int:
    """The bytes freed when a list of `count` of the walk's (name, explicit) tuples is dropped."""
    tracemalloc.start()
    try:
        found = [(name, False) for name in names[:count]]
        start = tracemalloc.get_traced_memory()[0]
        del found
        size = start - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return size


@pytest.mark.parametrize("explicit", [(), (0,), (2, 4), (0, 1, 2, 3, 4)])
def test_the_files_found_read_as_the_walk_gave_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, explicit: tuple[int, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    names = _names(5)
    found: list[tuple[Path | str, bool]] = [
        (Path(name) if at in explicit else name, at in explicit) for at, name in enumerate(names)
    ]
    replay = _planned(tmp_path, found)
    assert type(replay.found) is Found
    assert list(replay.found) == [(name, at in explicit) for at, name in enumerate(names)]
    assert [replay.found[at] for at in range(-5, 5)] == list(replay.found) * 2
    assert len(replay.found) == 5
