"""The dependents search tests a file's bytes for a needle before decoding them: a file whose
bytes hold no needle is one whose text (decoded with replacements) holds none either."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.model.ref_needles import _lf_only, _real_target, _ref_texts, _Targets
from floe_lint.model.ref_spelling import spelled_otherwise

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


LINE_PIECES = st.sampled_from(
    [
        b"finance",
        b"../../platform/finance",
        b"../../platform/finance/manifest.yaml",
        b"./finance/",
        b"x/finance",
        b"finance/",
        b"finance/via",
        b"platform/finance.yaml",
        b"ref: ",
        b"- ",
        b"/",
        b"\n",
        b"\r",
        b" ",
        b"'",
        b'"',
        b"#",
        b"[",
        b"\xff",
        b"\xe2\x82",
        b"\xc2\x85",
        b"oci://r/finance",
    ]
)


def _old_named_by(targets: _Targets, folder: str, text: str) -> bool:
    """The search's test before it read lines of bytes (issue 17, fourth round): every ref-like
    run around each mention of a needle, and each such line's value, resolved in turn (every
    YAML line break read as one: `_lf_only`)."""
    text = str(_lf_only(text))
    for mention, needle in [*(("/" + n, n) for n in targets.needles), *_alone(targets)]:
        if mention not in text:
            continue
        for ref in _ref_texts(text, mention):
            ref = ref.strip()  # (as `level_refs` reads a ref)
            if "://" in ref or needle not in ref.split("/"):
                continue
            joined = os.path.join(folder, ref)
            if os.path.normpath(joined) in targets.paths or _real_target(joined) in targets.paths:
                return True
    return False


def _alone(targets: _Targets) -> list[tuple[str, str]]:
    return [(n, n) for n in targets.needles]


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(LINE_PIECES, max_size=14),
    linked=st.sampled_from(["", "platform/finance", "platform"]),
)
def test_lines_of_bytes_find_what_the_runs_of_the_text_find(
    tmp_path_factory: pytest.TempPathFactory, pieces: list[bytes], linked: str
) -> None:
    """`named_in` reads only the lines holding `/needle` or `needle/` (as bytes, each decoded
    alone) and the needle alone as the entry of that name in the file's folder; it answers
    what resolving every run and line value around every mention answers, for bytes and for
    their text alike (the entry of the needle's name is tried whenever the needle is there:
    with a link of that name to the target's folder, such a file is a candidate, to be
    parsed). A link of that name to the folder above the target's makes `finance/via` a ref
    to it (through `platform/via`) with no `/finance` in it."""
    root = tmp_path_factory.mktemp("lines") / "ws"
    (root / "platform" / "finance").mkdir(parents=True)
    (root / "platform" / "finance" / "manifest.yaml").write_text("scope: domain\n")
    folder = root / "products" / "p"
    folder.mkdir(parents=True)
    (root / "platform" / "via").symlink_to("finance", target_is_directory=True)
    if linked:
        (folder / "finance").symlink_to(root / linked, target_is_directory=True)
    targets = _Targets([root / "platform" / "finance" / "manifest.yaml"], top=str(root))
    raw = b"".join(pieces)
    text = raw.decode("utf-8", errors="replace")
    bare = linked == "platform/finance" and "finance" in text
    # (a file holding a mention of a needle, `/finance` or `finance/`, whose text may spell a
    # scalar otherwise than as its value, a `''` or a line break inside one, is parsed:
    # tests/test_dependents_scalar_styles.py, test_dependents_spelling_prefilter.py)
    mentions = ["/finance", "finance/"]
    folds = any(m in text for m in mentions) and spelled_otherwise(text, mentions)
    expected = _old_named_by(targets, str(folder), text) or bare or folds
    assert targets.named_in(str(folder), raw) is expected
    fresh = _Targets([root / "platform" / "finance" / "manifest.yaml"], top=str(root))
    assert fresh.named_in(str(folder), text) is expected


def _based_by_loop(top: str, folder: str, ref: str) -> str:
    """`_Targets._based` as it was written before it counted a ref's `../` once per text:
    one `../` and one folder taken off at a time."""
    if ref.startswith("../") and folder.startswith(top + os.sep):
        while ref.startswith("../") and ref[3:4] != "/" and len(folder) > len(top):
            folder = folder[: folder.rfind("/")]
            ref = ref[3:]
    return os.path.join(folder, ref)


@settings(max_examples=400, deadline=None)
@given(
    depth=st.integers(0, 4),
    ups=st.integers(0, 6),
    rest=st.sampled_from(["", "x", "/x", "./x", "../x", "..//x", "a/../b/manifest.yaml", ".."]),
    outside=st.booleans(),
)
def test_leading_parents_are_taken_off_as_one_at_a_time_does(
    depth: int, ups: int, rest: str, outside: bool
) -> None:
    """`_based` takes a ref's leading `../` off while its folder lies below the walk's top,
    counting them once per ref text; it gives what taking them off one by one gives, also
    past the top (the rest are kept), for a folder outside the top and a ref with `..//`."""
    top = "/w/top"
    folder = ("/w/else" if outside else top) + "".join(f"/d{n}" for n in range(depth))
    ref = "../" * ups + rest
    targets = _Targets([Path("/w/top/platform/manifest.yaml")], top=top)
    assert targets._based(folder, ref) == _based_by_loop(top, folder, ref)
    assert targets._based(folder, ref) == _based_by_loop(top, folder, ref)  # (counted once)
