"""The result cache's store and whole-run record are written a chunk of lines at a time, and a
replayed line is copied from the store as bytes, read a window of the file at a time (issue 17:
an edited run wrote the 1,011 lines of a 1,000-product store and the 3,000 of its record one
write, one encode and one hash update each, and read each replayed line again with a system
call of its own). The text written is what the line-at-a-time writers wrote, byte for byte."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.lint import cache, whole_record
from floe_lint.lint.lines import sealed

ENCODER = json.JSONEncoder(separators=(",", ":"))
#: text a path or hash may hold (mostly ASCII from space to `~`, which is written as it is),
#: and what JSON must escape: quotes, backslashes, controls, DEL, non-ASCII, lone surrogates
_ODD = ["\x7f", "\x00", "\n", "\x1f", "é", "\u2028", "\ud800", "\U0001f600"]
TEXT = st.text(
    alphabet=st.sampled_from([chr(c) for c in range(0x20, 0x7F)] + _ODD), max_size=20
) | st.text(max_size=20)


@settings(max_examples=400, deadline=None)
@given(value=TEXT | st.none() | st.integers())
def test_a_record_string_is_what_the_encoder_writes(value: object) -> None:
    assert whole_record._string(value) == ENCODER.encode(value)


@settings(max_examples=300, deadline=None)
@given(name=TEXT, explicit=st.booleans() | st.integers(0, 1), digest=TEXT | st.none())
def test_a_record_line_of_a_file_found_is_what_the_encoder_writes(
    name: str, explicit: object, digest: object
) -> None:
    item = [name, explicit, digest]
    assert whole_record._found_line(item) == ENCODER.encode(item)


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(st.text(max_size=3000), max_size=60),
    chunk=st.sampled_from([1, 10, 4096, 32768]),
)
def test_record_lines_are_joined_as_one_at_a_time_joined_them(lines: list[str], chunk: int) -> None:
    before = whole_record._CHUNK
    whole_record._CHUNK = chunk
    try:
        joined = "".join(whole_record._items(iter(lines)))
    finally:
        whole_record._CHUNK = before
    assert joined == (",\n".join(lines) + "\n" if lines else "")


def _store(folder: Path, count: int, size: int = 700) -> cache.Store:
    store = cache.Store(folder, "k")
    store.written = {
        f"/ws/p{i:05}/floe.yaml": {"h": f"{i:032x}", "f": ["x" * size]} for i in range(count)
    }
    store.save()
    return store


def _replaying(folder: Path, keys: list[str]) -> cache.Store:
    again = cache.Store(folder, "k")
    again.load()
    for key in keys:
        assert again.entries.get(key) is not None
        again.written[key] = cache.AS_READ
    return again


@pytest.mark.parametrize("chunk", [1, 700, 32768])
def test_a_store_replayed_whole_is_written_byte_for_byte_as_read(
    tmp_path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "CHUNK_BYTES", chunk)
    store = _store(tmp_path, 1200)
    before = store.path.read_bytes()
    again = _replaying(tmp_path, list(store.written))
    again.written["/ws/p00600/floe.yaml"] = {"h": "made"}
    again.save(made=iter([("/ws/p00600a", sealed('"/ws/p00600a":{"h":"added"}'))]))
    old = sealed('"/ws/p00600/floe.yaml":{"h":"' + f"{600:032x}" + '","f":["' + "x" * 700 + '"]}')
    new = sealed('"/ws/p00600/floe.yaml":{"h":"made"}') + ",\n"
    new += sealed('"/ws/p00600a":{"h":"added"}')
    assert store.path.read_bytes() == before.replace(old.encode(), new.encode())


def test_replayed_lines_are_read_a_window_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing a store of 1,200 replayed lines (840 KB) again reads them in a few reads of the
    old file, not one each (on 14d6235: 2,400, each line read to be compared with the file,
    then to be written)."""
    store = _store(tmp_path, 1200)
    again = _replaying(tmp_path, list(store.written))
    again.written["/ws/p00600/floe.yaml"] = {"h": "made"}
    reads = []
    real = os.pread

    def counted(fd: int, length: int, at: int) -> bytes:
        reads.append(length)
        return real(fd, length, at)

    monkeypatch.setattr(os, "pread", counted)
    again.save()
    assert 0 < len(reads) <= 60, len(reads)


def test_a_replayed_line_damaged_since_it_was_read_is_not_copied(tmp_path: Path) -> None:
    """Each line copied is checked as a line read is (its key and seal): a byte changed in the
    open file after the run read the entry drops that entry (its file is checked again next
    time), and the store is still one that loads."""
    store = _store(tmp_path, 50)
    keys = list(store.written)
    again = _replaying(tmp_path, keys)
    raw = store.path.read_bytes()
    at = raw.index(b"x" * 700, raw.index(b'"/ws/p00020/floe.yaml"'))
    with open(store.path, "r+b") as file:  # (in place: the run's open file sees it)
        file.seek(at)
        file.write(b"y")
    again.written["/ws/p00001/floe.yaml"] = {"h": "made"}
    again.save()
    written = cache.Store(tmp_path, "k")
    written.load()
    kept = dict(written.entries.items())
    assert b'"/ws/p00020/floe.yaml"' not in store.path.read_bytes()  # (not copied)
    assert "/ws/p00020/floe.yaml" not in kept
    assert kept["/ws/p00001/floe.yaml"] == {"h": "made"}
    assert len(kept) == 49
    assert kept["/ws/p00021/floe.yaml"] == store.written["/ws/p00021/floe.yaml"]
