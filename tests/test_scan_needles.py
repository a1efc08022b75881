"""The dependents search tests a file's bytes for a needle before decoding them: a file whose
bytes hold no needle is one whose text (decoded with replacements) holds none either."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from floe_lint.model.reverse_index import _Targets

PIECES = st.sampled_from(
    [
        b"finance",
        b"fin",
        b"ance",
        b"\xff",
        b"\xe2\x82",
        b"\xc3",
        b"/",
        b"\n",
        b"ref: ",
        b"x",
        b"\xe9",
    ]
)


@given(pieces=st.lists(PIECES, max_size=12))
def test_no_needle_in_the_bytes_means_none_in_the_text(pieces: list[bytes]) -> None:
    targets = _Targets([Path("/ws/platform/domains/finance/manifest.yaml")])
    raw = b"".join(pieces)
    text = raw.decode("utf-8", errors="replace")
    assert targets.may_name(raw) == any(n in text for n in targets.needles)


WIDE_PIECES = st.sampled_from(
    [
        "fïnance".encode(),
        b"f",
        "ï".encode(),
        b"\xc3",
        b"\xaf",
        b"nance",
        b"\xe2",
        b"\xff",
        b"/",
        b"\n",
    ]
)


@given(pieces=st.lists(WIDE_PIECES, max_size=12))
def test_a_needle_that_is_not_ascii_is_looked_for_as_utf_8(pieces: list[bytes]) -> None:
    """Each character decoded (with replacements) comes from its own UTF-8 bytes, so a file
    whose bytes hold no needle's UTF-8 is never decoded and searched."""
    targets = _Targets([Path("/ws/platform/domaines/fïnance/manifest.yaml")])
    raw = b"".join(pieces)
    text = raw.decode("utf-8", errors="replace")
    assert targets.may_name(raw) == any(n in text for n in targets.needles)


def test_a_needle_that_utf_8_cannot_write_is_looked_for_in_the_text() -> None:
    """A folder name that is not UTF-8 (a lone surrogate in Python) or that holds the
    replacement character: the text is decoded and searched, as before."""
    for name in ("x\udcffy", "x\ufffdy"):
        targets = _Targets([Path(f"/ws/platform/{name}/manifest.yaml")])
        assert targets.byte_needles is None
        assert targets.may_name(b"nothing here")
