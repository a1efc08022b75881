"""Spans (1-based lines, code-point columns) to LSP positions (0-based, UTF-16 code units)
and back, against the text an editor holds."""

from __future__ import annotations

from floe_lint.findings import Span
from floe_lint.fix.text import LineTable


class Lines:
    """A text's lines, for converting columns."""

    def __init__(self, text: str):
        self.table = LineTable(text)
        self.text = text

    def line(self, number: int) -> str:
        """Line `number` (1-based), without its break; '' past the end."""
        if not 0 < number <= len(self.table.starts):
            return ""
        return self.text[self.table.starts[number - 1] : self.table.line_end(number)]

    def to_lsp(self, line: int, col: int) -> tuple[int, int]:
        """(line, character) of a 1-based line and code-point column."""
        text = self.line(line)
        units = len(text[: max(col - 1, 0)].encode("utf-16-le")) // 2
        return max(line - 1, 0), units

    def range(self, span: Span) -> tuple[tuple[int, int], tuple[int, int]]:
        return self.to_lsp(span.start_line, span.start_col), self.to_lsp(
            span.end_line, span.end_col
        )

    def from_lsp(self, line: int, character: int) -> tuple[int, int]:
        """The 1-based line and code-point column of an LSP position."""
        text = self.line(line + 1)
        units, col = 0, 0
        while col < len(text) and units < character:
            units += 2 if ord(text[col]) > 0xFFFF else 1
            col += 1
        return line + 1, col + 1
