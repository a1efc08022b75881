"""A whole-run record's header holds the run's output (`out`: 1.2 MB at 30,000 products), and was
encoded, sealed and joined whole: four copies of the output at once, the peak of a first run
with the result cache on (issue 17). It is now written a slice at a time, byte for byte the
header it was."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.lint import whole_record
from floe_lint.load.digests import digest
from floe_lint.safe_write import write_chunks

ENCODER = json.JSONEncoder(separators=(",", ":"))
_ODD = ["\x7f", "\x00", "\n", '"', "\\", "é", "\u2028", "\ud800", "\udc80", "\U0001f600"]
TEXT = st.text(alphabet=st.sampled_from([*"ab \t:/.", *_ODD]), max_size=200) | st.text()
VALUES = TEXT | st.none() | st.integers() | st.booleans() | st.lists(TEXT | st.none(), max_size=3)


def whole_header(header: dict[str, Any]) -> str:
    """The header as it was written (encoded whole, its brace left off, its seal after)."""
    text = ENCODER.encode({key: value for key, value in header.items() if key != "#"})
    return f'{text[:-1]},"#":"{digest(text.encode())}"'


@settings(max_examples=300, deadline=None)
@given(
    header=st.dictionaries(TEXT, VALUES, max_size=6),
    chunk=st.sampled_from([1, 2, 7, 32768]),
)
def test_a_header_written_a_slice_at_a_time_is_the_header_written_whole(
    header: dict[str, Any], chunk: int
) -> None:
    before = whole_record._CHUNK
    whole_record._CHUNK = chunk
    try:
        pieces = list(whole_record.header_chunks(header))
    finally:
        whole_record._CHUNK = before
    assert "".join(pieces) == whole_record.sealed_header(header) == whole_header(header)


def test_a_record_holding_a_long_output_is_written_without_copies_of_it(tmp_path: Path) -> None:
    """Writing a record whose header holds 4 MB of output takes a slice of it at a time beyond
    the output itself (on main: 12 MB, the header's text, that text joined with its seal, the
    line started and its bytes)."""
    out = ("products/p/floe.yaml:3:52: ERROR FL201 é \ud800\n" * 90_000)[:4_000_000]
    header = {"version": 3, "baseline": None, "out": out, "err": "x\n", "code": 1}
    path = tmp_path / "record.json"
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        write_chunks(path, whole_record.chunks(header, [["a", False, "h"]], [("d", "h")], ["n"]))
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - max(start, current) < 400_000, peak - max(start, current)
    read, file = whole_record.open_record(path, 64 * 1024 * 1024)
    with file:
        parts = list(whole_record.parts(file))
    assert read == header
    assert parts == [("found", [["a", False, "h"]]), ("deps", {"d": "h"}), ("absent", ["n"])]


@pytest.mark.parametrize("header", [{}, {"#": "old"}, {"out": ""}])
def test_a_header_of_no_item_is_written_as_before(header: dict[str, Any]) -> None:
    assert whole_record.sealed_header(header) == whole_header(header)
