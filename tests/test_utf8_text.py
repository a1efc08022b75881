"""`floe_lint.load.reading.utf8_text` is `bytes.decode("utf-8-sig")` without the codec's
Python module: the same text, and on bytes that are not UTF-8 the same error, whose object
and positions (after a byte-order mark) the messages of a file that is not UTF-8 are made
from (floe_lint.load.document.parse, floe_lint.load.reading.read_text)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from floe_lint.load.reading import utf8_text

BOM = b"\xef\xbb\xbf"


def _outcome(decode: object, raw: bytes) -> object:
    try:
        return decode(raw)  # type: ignore[operator]
    except UnicodeDecodeError as error:
        return ("error", error.encoding, error.object, error.start, error.end, error.reason)


@given(
    st.sampled_from([b"", BOM, BOM + BOM, b"\xef\xbb", b"\xef"]),
    st.one_of(st.binary(max_size=40), st.text(max_size=20).map(lambda t: t.encode("utf-8"))),
)
@example(BOM, b"a: \xff\n")
@example(b"", b"\xef\xbb\xbf\xef\xbb\xbfx")
def test_utf8_text_is_the_utf_8_sig_codec(head: bytes, tail: bytes) -> None:
    raw = head + tail
    assert _outcome(utf8_text, raw) == _outcome(lambda b: b.decode("utf-8-sig"), raw)


@pytest.mark.parametrize(
    ("raw", "text"), [(BOM + b"a: 1\n", "a: 1\n"), (BOM + BOM, "\ufeff"), (b"\xc3\xa9", "é")]
)
def test_utf8_text_drops_one_byte_order_mark(raw: bytes, text: str) -> None:
    assert utf8_text(raw) == text


def test_an_error_counts_from_after_the_mark() -> None:
    with pytest.raises(UnicodeDecodeError) as caught:
        utf8_text(BOM + b"ab\xff")
    assert (caught.value.object, caught.value.start) == (b"ab\xff", 2)
    assert (
        str(caught.value)
        == "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte"
    )
