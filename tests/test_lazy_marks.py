"""`floe_lint.load.lazy.marks`, the needles a file's bytes hold (a suppression comment), is
told with `bytes.find` (issue 17: `needle in raw` raised and cleared an exception for each
file hashed): a bit for each needle the bytes hold, wherever it lies."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from floe_lint.load.lazy import _NEEDLES_RAW, marks


@given(st.binary(max_size=30), st.binary(max_size=30), st.booleans())
@example(b"", b"", True)
@example(b"floe-lint", b":", False)
def test_marks_are_the_needles_the_bytes_hold(before: bytes, after: bytes, put: bool) -> None:
    raw = before + (_NEEDLES_RAW[0] if put else b"") + after
    expected = sum(1 << at for at, needle in enumerate(_NEEDLES_RAW) if needle in raw)
    assert marks(raw) == expected
    assert not put or marks(raw) & 1
