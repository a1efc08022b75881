"""The dependents search's text tests answer as the plain expressions they stand for (issue 17,
the sibling tree's seventh round): each was rewritten because CPython 3.11 looks for a sequence
of two or three characters at about 3 ns a character (10 us for a product's text), and a twin
tree's products each hold the domain's folder name, so each is read this way.

- `_lf_only` replaces NEL, LS and PS only in text that is not ASCII (`isascii`, in C);
- `_doubled_quote` is `"''" in text`, found from each quote (a one-character search);
- `_plain_up_to` finds the first quote or `#` and looks for a needle from its line on, instead
  of the last needle (`rfind`) and a quote or `#` above its line's end;
- `named_in` hands `spells_otherwise` the mention lines it found in the file's bytes, which
  `_folded_near` read again from the text (two more searches of the whole text).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.model import ref_spelling
from floe_lint.model.ref_needles import _lf_only, _Targets
from floe_lint.model.ref_spelling import _doubled_quote, _lf_lines, _plain_up_to

_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _old_lf_only(content: bytes | str) -> bytes | str:
    """`_lf_only` before this round: every break looked for in every file."""
    if isinstance(content, bytes):
        for byte_break in (b.encode() for b in _BREAKS):
            if byte_break in content:
                content = content.replace(byte_break, b"\n")
        return content
    for text_break in _BREAKS:
        if text_break in content:
            content = content.replace(text_break, "\n")
    return content


def _old_plain_up_to(text: str, needles: tuple[str, ...]) -> bool:
    """`_plain_up_to` before this round."""
    if not needles:
        return False
    last = max(text.rfind(needle) for needle in needles)
    end = text.find("\n", last) if last >= 0 else 0
    if end < 0:
        end = len(text)
    return text.find("'", 0, end) < 0 and text.find('"', 0, end) < 0 and text.find("#", 0, end) < 0


#: text made of what the tests look at: line breaks of every kind, quotes, `#`, the needles'
#: characters, and characters outside ASCII that are no line break (NEL's, LS's first bytes)
_TEXT = st.text(
    st.sampled_from(["a", "b", "/", " ", "\n", "'", '"', "#", "é", "\u2000", *_BREAKS]),
    max_size=60,
)
_NEEDLES = st.lists(st.text(st.sampled_from("ab/'#\n"), min_size=1, max_size=3), max_size=3)


@settings(max_examples=1500, deadline=None)
@given(text=_TEXT)
def test_line_breaks_are_replaced_as_before(text: str) -> None:
    assert _lf_only(text) == _old_lf_only(text)
    raw = text.encode("utf-8")
    assert _lf_only(raw) == _old_lf_only(raw)
    # a line break but LF and CR only where the text is not ASCII
    assert _lf_lines(text) == all(brk not in text for brk in _BREAKS[1:])


def test_a_break_outside_ascii_is_still_replaced() -> None:
    for brk in _BREAKS:
        text = f"a: b{brk}c: d"
        assert _lf_only(text) == "a: b\nc: d"
        assert _lf_only(text.encode()) == b"a: b\nc: d"


@settings(max_examples=1500, deadline=None)
@given(text=st.text(st.sampled_from("a'\n"), max_size=80))
def test_a_doubled_quote_is_found_as_by_a_search_for_two(text: str) -> None:
    assert _doubled_quote(text) == ("''" in text)


def test_a_doubled_quote_past_the_quotes_looked_at_one_by_one() -> None:
    few = ref_spelling._FEW_QUOTES
    for count in range(few - 2, few + 3):
        singles = "'a" * count
        assert not _doubled_quote(singles)
        for at in range(count + 1):
            text = "'a" * at + "''" + "'a" * (count - at)
            assert _doubled_quote(text), (count, at)


@settings(max_examples=1500, deadline=None)
@given(text=_TEXT, needles=_NEEDLES)
def test_plain_up_to_the_last_needle_answers_as_before(text: str, needles: list[str]) -> None:
    assert _plain_up_to(text, tuple(needles)) == _old_plain_up_to(text, tuple(needles))


def test_a_quote_on_the_last_needles_line_is_seen() -> None:
    needles = ("/finance", "finance/")
    ref = "  ref: ../platform/domains/finance/manifest.yaml"
    assert _plain_up_to(f"a: b\n{ref}\nc: '@hourly'\n", needles)
    assert not _plain_up_to(f"a: b\n{ref} # mine\nc: d\n", needles)
    assert not _plain_up_to(f"a: 'b'\n{ref}\n", needles)
    assert not _plain_up_to(f"a: b\n{ref}\nc: '@hourly'\n{ref}\n", needles)


#: pieces of a product's text around its ref: the folder's name and its mentions, line breaks
#: and indentations, keys, items, comments, quotes and flow punctuation
_PIECES = st.sampled_from(
    [
        "finance",
        "/finance",
        "finance/",
        "x",
        " ",
        "\n",
        "\n  ",
        "\n    ",
        "\n\n",
        "\r\n",
        ": ",
        "- ",
        "#",
        "'",
        '"',
        "[",
        "]",
        "{",
        ",",
        "é",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=30))
def test_the_mention_lines_found_in_bytes_answer_as_a_search_of_the_text(
    pieces: list[str],
) -> None:
    """`named_in` hands `spells_otherwise` where each line holding a mention starts, as it
    found them in the file's bytes, instead of having it look for the mentions again in the
    text: the answer is the same (for ASCII bytes, whose offsets are the text's; other bytes
    are looked at again)."""
    text = "".join(pieces)
    raw = text.encode()
    targets = _Targets({Path("/w/platform/domains/finance/manifest.yaml")}, top="/w")
    lines: list[int] = []
    content = _lf_only(raw)
    assert isinstance(content, bytes)
    targets._refs_by_line(content, "finance", b"finance", (b"/finance", b"finance/"), b"\n", lines)
    if raw.isascii():
        assert targets.spells_otherwise(text, lines) == targets.spells_otherwise(text), text
        assert ref_spelling._folded_near(text, targets._near, lines) == ref_spelling._folded_near(
            text, targets._near
        )
    # and `named_in` answers for the bytes as for their text (which finds its mentions itself)
    folder = "/w/products/finance/p"
    assert targets.named_in(folder, raw) == targets.named_in(folder, text), text


def test_a_fold_after_a_mention_line_is_seen_from_the_lines_given() -> None:
    targets = _Targets({Path("/w/platform/domains/finance/manifest.yaml")}, top="/w")
    text = "platform:\n  ref: ../../platform/domains/finance/\n    manifest.yaml\nname: p\n"
    raw = text.encode()
    lines: list[int] = []
    targets._refs_by_line(raw, "finance", b"finance", (b"/finance", b"finance/"), b"\n", lines)
    assert lines == [10]  # (the line holds both mentions: given once)
    assert targets.spells_otherwise(text, lines)
    assert targets.named_in("/w/products/finance/p", raw)
    assert not targets.spells_otherwise(text, [])
