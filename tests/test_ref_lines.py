"""`lines_holding` finds the lines of a file's text that hold a mark, for the two readers of
the dependents search that once had a copy of it each: `_quotes_alone` (the lines holding a
quote or a `#`, `floe_lint.model.ref_spelling`) and `_line_texts` (the lines holding a needle,
`floe_lint.model.ref_needles`). Edge cases: a mark at a line's ends, on the last line without
LF, twice on one line (the line once), inside quotes, escapes and comments (a line is a line,
whatever YAML makes of it), other line breaks (not LF: read as part of the line)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from floe_lint.model.ref_needles import _line_texts
from floe_lint.model.ref_spelling import _quotes_alone, line_bounds, lines_holding


def test_each_line_holding_the_mark_once_in_order() -> None:
    text = "'a'\nb: 'c' # 'd'\n\nplain\n  - \"e\\\"f\"\nlast 'g'"
    assert list(lines_holding(text, "'")) == ["'a'", "b: 'c' # 'd'", "last 'g'"]
    assert list(lines_holding(text, '"')) == ['  - "e\\"f"']
    assert list(lines_holding(text, "#")) == ["b: 'c' # 'd'"]
    assert list(lines_holding(text, "plain")) == ["plain"]
    assert list(lines_holding(text, "absent")) == []
    assert list(lines_holding("", "'")) == []


def test_a_line_ends_at_lf_only() -> None:
    assert list(lines_holding("a\rb'\r\nc'\n'", "'")) == ["a\rb'\r", "c'", "'"]
    assert list(lines_holding("x\u2028'y'\n", "'")) == ["x\u2028'y'"]
    assert list(lines_holding("\n\n'\n\n", "'")) == ["'"]


def test_line_bounds_at_either_end_of_a_line() -> None:
    text = "ab\ncd\n"
    assert [line_bounds(text, at) for at in range(len(text) + 1)] == [
        (0, 2),
        (0, 2),
        (0, 2),  # (the LF is its line's)
        (3, 5),
        (3, 5),
        (3, 5),
        (6, 6),  # (the empty line after the last LF)
    ]


MARKS = st.sampled_from(["'", '"', "#", "fin", "\\"])
PIECES = st.sampled_from(
    ["'", '"', "#", "\\", "\n", "\r", " ", "fin", "ance", "a: ", "- ", "{", "]"]
)


@given(pieces=st.lists(PIECES, max_size=16), mark=MARKS)
def test_the_lines_holding_the_mark_are_those_a_split_gives(pieces: list[str], mark: str) -> None:
    text = "".join(pieces)
    assert list(lines_holding(text, mark)) == [line for line in text.split("\n") if mark in line]


def test_quotes_alone_reads_the_lines_holding_quotes_and_comments() -> None:
    """Whole one-line quoted scalars, on lines without flow punctuation, are alone; a quote
    that YAML would not start a scalar with, an escaped quote, a comment holding a quote,
    flow punctuation on a line holding a quote or a comment are not."""
    assert _quotes_alone("a: 'x'\nb:\n  - \"y\"\n")
    assert _quotes_alone("a: 'x' # note\n")
    assert _quotes_alone("# a comment\nb: c\n")
    assert _quotes_alone("plain: [a, b]\n")  # (no quote, no comment: nothing read)
    assert not _quotes_alone("a: it's\n")  # (a quote inside a plain scalar)
    assert not _quotes_alone('a: "x\\"y"\n')  # (an escaped quote: the scalar goes on)
    assert not _quotes_alone("a: 'x\n  y'\n")  # (a quoted scalar over two lines)
    assert not _quotes_alone("a: [b] # c\n")
    assert not _quotes_alone("a: ['x']\n")
    assert not _quotes_alone("a: b\nc: 'd\n")  # (on the last line, without LF)


def test_line_texts_reads_each_distinct_line_holding_the_needle_once() -> None:
    """The runs between stops (quotes, spaces, flow punctuation, `#`) holding the needle, the
    line's value (unquoted, comment cut) and its flow values and quoted scalars; a second
    line alike gives nothing more."""
    text = "ref: '../fin/m.yaml' # fin\nref: '../fin/m.yaml' # fin\nx: \"a\\\"fin\"\n"
    assert list(_line_texts(text, "fin")) == [
        "../fin/m.yaml",
        "fin",
        "../fin/m.yaml",
        "../fin/m.yaml",
        "fin",  # (the escaped quote is a stop: a file holding a backslash is parsed anyway)
        'a\\"fin',
        "a\\",
        "",
    ]
