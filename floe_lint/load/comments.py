"""Which `#` of a file is a YAML comment, as libyaml reads the file.

A `# floe-lint: disable=...` line inside a block scalar (`description: |`) or a quoted
string is text, not a comment, and must not silence anything. libyaml's scanner drops
comments, but it reports where every scalar starts and ends: a `#` that lies in no scalar,
and before any syntax error, is a comment. After a block scalar header that PyYAML refuses
(`|\t# x`, `|# x`: see `floe_lint.load.divergence`) nothing on the line is a comment, since
upstream Floe's `yaml.safe_load` sees none there. Lines are counted as libyaml counts them (LF,
CRLF, CR, NEL, LS and PS end a line), so a comment's line is the line findings name.
"""

from __future__ import annotations

import bisect
import re

from floe_lint.load.divergence import header_fault
from floe_lint.load.pyyaml import yaml
from floe_lint.load.yaml_tree import scan

#: one line break, as libyaml reads them (a fixed alternation: it cannot backtrack)
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def yaml_lines(text: str) -> list[str]:
    """The lines of `text` as libyaml numbers them."""
    return _BREAK.split(text)


class Comments:
    """Answers whether a `#` at a (0-based) line and column is a comment."""

    def __init__(self, text: str):
        self._starts: list[tuple[int, int]] = []
        self._ends: list[tuple[int, int]] = []
        #: from here on the scanner gave up, and nothing is known to be a comment
        self._stop: tuple[int, int] | None = None
        try:
            for token in scan(text):
                if isinstance(token, yaml.ScalarToken):
                    start, end = token.start_mark, token.end_mark
                    first = (start.line, start.column)
                    if token.style in ("|", ">") and header_fault(text, start.index) is None:
                        first = (start.line + 1, 0)  # a comment may follow the `|` header
                    self._starts.append(first)
                    self._ends.append((end.line, end.column))
        except yaml.YAMLError as error:
            found = (getattr(error, name, None) for name in ("context_mark", "problem_mark"))
            marks = [(mark.line, mark.column) for mark in found if mark is not None]
            self._stop = min(marks) if marks else (0, 0)

    def at(self, line: int, column: int) -> bool:
        """Whether the `#` at `line`, `column` starts or sits in a comment."""
        where = (line, column)
        if self._stop is not None and where >= self._stop:
            return False
        index = bisect.bisect_right(self._starts, where) - 1
        return index < 0 or where >= self._ends[index]
