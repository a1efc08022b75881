"""Files parsed in a worker process and sent back compact (`bulk._load_compact`, `_rebuilt`) are
exactly the files this process would have parsed: the same text, problems, documents, data
(the same types, down to a tagged scalar's `str` subclass), kinds and shared span locator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.load import bulk, document

TEXTS = (
    "apiVersion: floe.dev/v1\nkind: Manifest\nscope: enterprise\nplugins: {compute: {}}\n",
    "name: orders\ntransforms:\n  - {name: t, compute: duckdb, threads: 4, ratio: 0.5}\n",
    "a: 2024-01-01\nb: !!binary aGVsbG8=\nc: 2024-01-01T06:00:00Z\n",  # tagged: sent pickled
    "a: 1\na: 2\n",  # a duplicate key: a problem found while loading
    "transforms: [\n",  # does not parse
    "x: &anchor {k: [1, 2]}\ny: *anchor\nz: [true, null, -0.0, 12345678901234567890]\n",
    "first: 1\n---\nsecond: 2\n",  # two documents
    "",
    "\ufeffkey: caf\u00e9\n",
    "just: [a, yaml, file]\n",
)


def _shape(value: Any) -> Any:
    """`value` with the exact type of every part, so `str` and its subclasses differ."""
    if isinstance(value, dict):
        return (type(value), [(_shape(k), _shape(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value), [_shape(v) for v in value])
    return (type(value), value)


def _same(sent: list[document.SourceFile], here: list[document.SourceFile]) -> None:
    assert sent == here
    for a, b in zip(sent, here, strict=True):
        assert [_shape(d.data) for d in a.documents] == [_shape(d.data) for d in b.documents]
        assert [d.located.text if d.located else None for d in a.documents] == [
            d.located.text if d.located else None for d in b.documents
        ]
        # one locator per file, as `document.parse` makes it
        assert len({id(d.located) for d in a.documents}) <= 1


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    picks=st.lists(st.integers(0, len(TEXTS) - 1), min_size=2, max_size=40),
    sizes=st.lists(st.integers(1, 9), min_size=1, max_size=6),
)
def test_files_sent_back_compact_are_the_files_parsed_here(
    tmp_path_factory: pytest.TempPathFactory, picks: list[int], sizes: list[int]
) -> None:
    root = tmp_path_factory.mktemp("compact")
    paths = []
    for number, pick in enumerate(picks):
        path = root / f"f{number}" / ("manifest.yaml" if pick == 0 else "floe.yaml")
        path.parent.mkdir()
        path.write_text(TEXTS[pick], "utf-8")
        paths.append(path)
    groups: list[list[Path]] = []
    at = 0
    while at < len(paths):
        size = sizes[len(groups) % len(sizes)]
        groups.append(paths[at : at + size])
        at += size
    loaded = list(bulk.load_groups(groups, 1))
    assert [len(group) for group in loaded] == [len(group) for group in groups]
    _same([s for group in loaded for s in group], [document.load(p) for p in paths])


def test_a_chunk_of_plain_data_is_sent_compact_and_a_tagged_one_as_it_is(tmp_path: Path) -> None:
    plain, tagged = tmp_path / "plain.yaml", tmp_path / "tagged.yaml"
    plain.write_text(TEXTS[1] + "a: 1\na: 2\n", "utf-8")
    tagged.write_text(TEXTS[2], "utf-8")
    sent = bulk._load_compact([plain])
    assert isinstance(sent, tuple) and isinstance(sent[0], bytes)
    assert bulk._load_compact([plain, tagged]) == [document.load(plain), document.load(tagged)]
    _same(bulk._rebuilt([plain], sent), [document.load(plain)])


def _tree(root: Path, count: int) -> list[list[Path]]:
    paths = []
    for number in range(count):
        path = root / f"p{number}" / "floe.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(TEXTS[number % len(TEXTS)], "utf-8")
        paths.append(path)
    return [paths[at : at + 50] for at in range(0, count, 50)]


def _serial(groups: list[list[Path]]) -> list[document.SourceFile]:
    return [document.load(p) for group in groups for p in group]


@pytest.mark.parametrize("forks", [True, False])
def test_workers_forked_or_pooled_give_what_this_process_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: bool
) -> None:
    monkeypatch.setattr(bulk, "_FORKS", forks and bulk._FORKS)
    groups = _tree(tmp_path, 3 * bulk.CHUNK + 5)
    loaded = list(bulk.load_groups(groups, 2))
    assert [len(g) for g in loaded] == [len(g) for g in groups]
    _same([s for g in loaded for s in g], _serial(groups))


def test_a_worker_that_cannot_start_leaves_its_chunks_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(bulk.os, "fork", no_fork)
    groups = _tree(tmp_path, 2 * bulk.CHUNK + 3)
    _same([s for g in bulk.load_groups(groups, 2) for s in g], _serial(groups))


def test_a_worker_that_dies_leaves_the_rest_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    calls = []
    compact = bulk._load_compact

    def dies_on_its_second_chunk(paths: list[Path]) -> Any:  # runs in the worker
        calls.append(1)
        if len(calls) == 2:
            os._exit(3)
        return compact(paths)

    monkeypatch.setattr(bulk, "_load_compact", dies_on_its_second_chunk)
    groups = _tree(tmp_path, 6 * bulk.CHUNK + 1)
    _same([s for g in bulk.load_groups(groups, 2) for s in g], _serial(groups))
    assert calls == []  # only the workers called it


def test_a_run_that_stops_early_ends_and_reaps_its_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    if not bulk._FORKS:
        pytest.skip("workers are forked on Linux only")
    pids = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(bulk.os, "fork", recorded)
    groups = _tree(tmp_path, 12 * bulk.CHUNK)
    loading = bulk.load_groups(groups, 2)
    first = next(loading)
    _same(first, _serial(groups[:1]))
    loading.close()
    assert len(pids) == 2
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped already: no zombie, no worker left
