"""Spans to offsets and back, and splicing edits into a text.

Spans count lines as libyaml does (LF, CRLF, CR, NEL, LS and PS end a line) and columns in
code points, so a node's span names the same characters here as in the parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from floe_lint.findings import Span
from floe_lint.record import Frozen, set_field

_BREAKS = "\r\n\x85\u2028\u2029"
#: fixed alternatives, no repetition: linear on any text
_BREAK = re.compile("\r\n|[" + _BREAKS + "]")


class LineTable:
    """Where each line of a text starts."""

    def __init__(self, text: str):
        self.text = text
        # one pass in C: a CRLF is one break (tried first), any other break character one
        self.starts = [0, *(m.end() for m in _BREAK.finditer(text))]

    def line_end(self, line: int) -> int:
        """The offset just before the break that ends `line` (1-based), or the text's end."""
        if line < len(self.starts):
            end = self.starts[line]
            return end - 2 if self.text[end - 2 : end] == "\r\n" else end - 1
        return len(self.text)

    def offset(self, line: int, col: int) -> int | None:
        """The offset of a 1-based (line, col), or None when it is not in the text."""
        if not 0 < line <= len(self.starts) or col < 1:
            return None
        start = self.starts[line - 1]
        if start + col - 1 > self.line_end(line):
            return None
        return start + col - 1

    def offsets(self, span: Span) -> tuple[int, int] | None:
        start = self.offset(span.start_line, span.start_col)
        end = self.offset(span.end_line, span.end_col)
        if start is None or end is None or end < start:
            return None
        return start, end

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, col) of an offset."""
        import bisect

        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        return Span(*self.position(start), *self.position(end))


class Splice(Frozen):
    """An edit as offsets into one text."""

    __slots__ = ("end", "start", "text")
    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "text", text)


def splice(text: str, edits: Iterable[Splice]) -> tuple[str, list[Splice]]:
    """`text` with `edits` applied, and the edits that were: one of two that overlap (or the
    second of two identical ones) is left for the next pass, so nothing is applied twice."""
    taken: list[Splice] = []
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end, e.text)):
        if taken and (
            edit.start < taken[-1].end
            or (edit.start == taken[-1].end and taken[-1].start == taken[-1].end == edit.start)
        ):
            continue
        taken.append(edit)
    return join(text, taken), taken


def join(text: str, edits: Sequence[Splice]) -> str:
    """`text` with sorted, non-overlapping `edits` applied."""
    parts, at = [], 0
    for edit in edits:
        parts.append(text[at : edit.start])
        parts.append(edit.text)
        at = edit.end
    parts.append(text[at:])
    return "".join(parts)
