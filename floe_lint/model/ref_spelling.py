"""Whether a file's text may spell a scalar otherwise than as its value, so that the dependents
search (`floe_lint.model.ref_needles`) cannot read a ref from the text alone and must parse it.

The search reads refs as runs of one line's text. YAML also writes a scalar's value
- with escapes: a backslash in a double-quoted scalar (such a file is always parsed:
  `floe_lint.model.dependents_scan.holds_ref`), `''` for `'` in a single-quoted one;
- over several lines: a plain, quoted or block (`|`, `>`) scalar folds its line breaks into
  spaces (or keeps them), so `../my\\n  team/sales/manifest.yaml` is `../my team/sales/...`.

`spelled_otherwise` answers True for any text that may hold such a scalar, erring towards True
(a file it names is parsed, which costs time, never a dependent): `''` anywhere, a block
scalar's header, a quote that is not a whole one-line quoted scalar, and a line whose plain
value may go on to the next non-blank line (one indented deeper than the line's key or item,
or any indented line after a line that is a value alone).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator

#: what a quoted scalar's opening quote follows on its line (or nothing): YAML starts a scalar
#: there; a quote after anything else is inside a plain scalar or a comment
_SCALAR_STARTS = frozenset(":-[{,?")
#: what a line's content ends with when its last value is closed there (or there is none)
_CLOSED_ENDS = frozenset(":{[,}]\"'")


def spelled_otherwise(
    text: str, needles: Iterable[str], starts: Iterable[int] | None = None
) -> bool:
    """Whether `text` may hold a scalar whose value differs from its text on one line and
    holds one of `needles` (a file the search parses, as it may name a target). `starts`:
    where each line holding a needle starts, when the caller found them already."""
    if "'" in text and _doubled_quote(text):
        return True
    # (a block scalar's header or a line break other than LF: the lines are read one by one)
    if "|" not in text and ">" not in text and "\r" not in text and _lf_lines(text):
        needles = tuple(needles)
        if _plain_up_to(text, needles) or _quotes_alone(text):
            return _folded_near(text, needles, starts)  # (most files: around each needle)
    lines = text.splitlines()  # (every YAML line break, and a few more: more lines, not fewer)
    depth = 0  # how many flow collections are open (`{`, `[` outside quotes)
    for number, line in enumerate(lines):
        content = line.strip(" \t")
        if not content or content[0] == "#":
            continue
        if not _FLOW.isdisjoint(content) or "'" in content or '"' in content:
            found = _flow_depth(content, depth)
            if found is None:  # a quote that is not a whole one-line scalar
                return True
            depth = found
        body = _cut_comment(content) if "#" in content else content
        if body[-1] in _CLOSED_ENDS or body in ("---", "..."):
            continue
        if _block_header(body):
            return True
        if _goes_on(lines, number, depth):
            return True
    return False


_FLOW = frozenset("{}[]")


def _lf_lines(text: str) -> bool:
    """Whether `text` holds no line break but LF and CR (NEL, LS, PS): each test of one
    character is a C search, but an ASCII text says it holds none at once (`isascii`)."""
    return text.isascii() or ("\x85" not in text and "\u2028" not in text and "\u2029" not in text)


#: how many quotes `_doubled_quote` looks at one by one before it looks for `''` in the rest
_FEW_QUOTES = 16


def _doubled_quote(text: str) -> bool:
    """`"''" in text`, found from each quote (a one-character search in C is a `memchr`; one
    of two characters walks the text, about 3 ns a byte in CPython 3.11), up to a few."""
    at = text.find("'")
    for _ in range(_FEW_QUOTES):
        if at < 0:
            return False
        if text.startswith("'", at + 1):
            return True
        at = text.find("'", at + 2)
    return at >= 0 and "''" in text[at:]


def _goes_on(lines: list[str], number: int, depth: int) -> bool:
    """Whether a plain value ending line `number` (open: no closing quote, flow punctuation
    or `:` ends it) may go on on the next non-blank line: inside a flow collection always,
    else when that line lies right of the value's key or item."""
    return _goes_on_to(lines[number], _next_indent(lines, number + 1), depth)


def _goes_on_to(line: str, below: int | None, depth: int) -> bool:
    """`_goes_on` of `line`, the next non-blank line indented by `below` (None: none)."""
    if below is None:
        return False
    if depth > 0:
        return True
    content = line.lstrip(" \t")
    indent = len(line) - len(content)
    return (below > indent or not _keyed(content)) and below > _parent_column(line)


def _folded_near(text: str, needles: Iterable[str], starts: Iterable[int] | None = None) -> bool:
    """`spelled_otherwise` of a text without block scalars or other line breaks than LF,
    whose quotes and comments lie on lines without flow punctuation (`_quotes_alone`): a
    plain scalar holding a needle over several lines has one line holding it that the line
    before goes on to, or that goes on to the next (`_goes_on`). The depth of flow
    collections before a line is counted from the start, never below 0 (a `]` in a plain
    scalar never hides a `{` after it; a `{` in one errs towards True). Lines are found by
    their offsets, only around the needles (most of a file is never split or read); `starts`:
    where each line holding a needle starts, when the caller found them already."""
    depths: tuple[list[int], list[int]] | None = None  # (`_depths`, once a line needs them)
    read: set[int] = set()  # (the lines read already, by where they start)
    size = len(text)
    for start in _needle_lines(text, needles) if starts is None else starts:
        end = text.find("\n", start)
        if end < 0:
            end = size
        for line_start, line_end in (_non_blank_above(text, start), (start, end)):
            if line_start < 0 or line_start in read:
                continue
            read.add(line_start)
            line = text[line_start:line_end]
            body = line.strip(" \t")
            if "#" in body:
                body = _cut_comment(body)
            if not body or body[-1] in _CLOSED_ENDS or body in ("---", "..."):
                continue
            if text.find("[", 0, line_end) < 0 and text.find("{", 0, line_end) < 0:
                depth = 0  # (no flow collection opened before the line's end)
            else:
                if depths is None:
                    depths = _depths(text)
                depth = _depth_at(depths, line_end)
            if _goes_on_to(line, _indent_after(text, line_end), depth):
                return True
    return False


def _needle_lines(text: str, needles: Iterable[str]) -> Iterator[int]:
    """Where each line holding a needle starts, needle by needle, in order (a line holding
    two is given twice)."""
    size = len(text)
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            start, end = line_bounds(text, at)
            yield start
            at = text.find(needle, end) if end < size else -1


def _plain_up_to(text: str, needles: tuple[str, ...]) -> bool:
    """Whether `text` holds no quote and no `#` up to the end of the last line holding a
    needle: `_folded_near` reads only those lines and the lines above them, so no quoted
    scalar or comment can hold one of them or hide flow punctuation before them, as
    `_quotes_alone` makes sure of for the whole text (a few searches in C instead)."""
    if not needles:
        return False
    first = -1  # the first quote or `#`: none may lie on or above the last needle's line,
    for mark in ("'", '"', "#"):  # so no needle may begin on its line or below it
        at = text.find(mark)
        if at >= 0 and (first < 0 or at < first):
            first = at
    if first < 0:
        return True
    below = text.rfind("\n", 0, first) + 1
    return all(text.find(needle, below) < 0 for needle in needles)


def _quotes_alone(text: str) -> bool:
    """Whether each line of `text` holding a quote or a `#` holds whole one-line quoted scalars
    (`_flow_depth`) and no flow punctuation (so `_folded_near` counts flow punctuation, and
    reads lines, with no regard to quotes and comments)."""
    for mark in ("'", '"', "#"):
        for line in lines_holding(text, mark):
            if not _FLOW.isdisjoint(line):
                return False
            if not _one_quoted(line) and _flow_depth(line.strip(" \t"), 0) is None:
                return False
    return True


def lines_holding(text: str, mark: str) -> Iterator[str]:
    """Each line of `text` (split at LF) that holds `mark` (no LF in it), once, in order: found
    by offsets (a few searches in C per line), the rest of the text never split or copied."""
    at = text.find(mark)
    while at >= 0:
        start, end = line_bounds(text, at)
        yield text[start:end]
        at = text.find(mark, end)


def line_bounds(text: str, at: int) -> tuple[int, int]:
    """The offsets (start, end) of the line of `text` holding offset `at`: its first
    character's and its LF's (or the text's length)."""
    end = text.find("\n", at)
    return text.rfind("\n", 0, at) + 1, end if end >= 0 else len(text)


def _one_quoted(line: str) -> bool:
    """Whether `line` (without flow punctuation) is one whole quoted scalar after its key or
    item and no other quote or `#` (`- 'a'`, `key: "b"`): what `_flow_depth` tells of it
    too (the quote opens where a scalar starts and closes on the line), by a few tests in C
    instead of a loop over its characters."""
    if "#" in line:
        return False
    for quote, other in (("'", '"'), ('"', "'")):
        first = line.find(quote)
        if first >= 0:
            if other in line or line.count(quote) != 2 or line.rstrip(" \t")[-1] != quote:
                return False
            before = line[:first].rstrip(" \t")
            return not before or before[-1] in _SCALAR_STARTS
    return False


def _non_blank_above(text: str, start: int) -> tuple[int, int]:
    """The offsets (start, end) of the last line before the line starting at `start` that
    is not blank (spaces and tabs only); (-1, -1) if none."""
    end = start - 1
    while end > 0:
        line_start = text.rfind("\n", 0, end) + 1
        if text[line_start:end].strip(" \t"):
            return line_start, end
        end = line_start - 1
    return -1, -1


def _indent_after(text: str, end: int) -> int | None:
    """The indentation (spaces and tabs) of the first non-blank line after the line ending
    at `end` (the offset of its line break, or the text's length), if any."""
    size = len(text)
    while end < size:
        start = end + 1
        end = text.find("\n", start)
        if end < 0:
            end = size
        line = text[start:end]
        content = line.lstrip(" \t")
        if content:
            return len(line) - len(content)
    return None


def _depths(text: str) -> tuple[list[int], list[int]]:
    """The offsets of the flow punctuation of `text`, in order, and how many flow collections
    are open after each (never below 0)."""
    found: list[tuple[int, str]] = []
    for char in "{}[]":
        at = text.find(char)
        while at >= 0:
            found.append((at, char))
            at = text.find(char, at + 1)
    found.sort()
    offsets: list[int] = []
    after: list[int] = []
    depth = 0
    for at, char in found:
        if char in "{[":
            depth += 1
        elif depth:
            depth -= 1
        offsets.append(at)
        after.append(depth)
    return offsets, after


def _depth_at(depths: tuple[list[int], list[int]], end: int) -> int:
    """How many flow collections are open at offset `end` (`_depths`)."""
    index = bisect_right(depths[0], end) - 1
    return depths[1][index] if index >= 0 else 0


def _flow_depth(content: str, depth: int) -> int | None:
    """How many flow collections are open after the line, `depth` before it (counted outside
    quotes and before a comment, never below 0); None when a quote of the line does not open
    a scalar where YAML starts one, or does not close it on the line."""
    before = ""  # the last character outside quotes that is not a space
    at, size = 0, len(content)
    while at < size:
        char = content[at]
        if char == '"' or char == "'":
            if before and before not in _SCALAR_STARTS:
                return None
            end = content.find(char, at + 1)
            if end < 0:
                return None
            at, before = end + 1, char
            continue
        if char == "#" and (at == 0 or content[at - 1] in " \t"):
            break
        if char in "{[":
            depth += 1
        elif char in "}]" and depth:
            depth -= 1
        if char not in " \t":
            before = char
        at += 1
    return depth


def _cut_comment(content: str) -> str:
    """The line without a comment (` #` on: a quoted `#` cut too errs towards more lines)."""
    for mark in (" #", "\t#"):
        content = content.split(mark, 1)[0]
    return content.rstrip(" \t")


def _block_header(body: str) -> bool:
    """Whether the line ends with a block scalar's header (`|`, `>-`, `|2+`)."""
    return body.rstrip("+-0123456789").endswith(("|", ">"))


def _next_indent(lines: list[str], start: int) -> int | None:
    """The indentation (spaces and tabs) of the first non-blank line from `start`, if any."""
    for number in range(start, len(lines)):
        line = lines[number]
        content = line.lstrip(" \t")
        if content:
            return len(line) - len(content)
    return None


def _keyed(content: str) -> bool:
    """Whether the line holds a key or a `- ` item (so a value ending it belongs to a column
    at or right of the line's indentation)."""
    return (
        content.startswith(("- ", "-\t")) or content == "-" or ": " in content or ":\t" in content
    )


def _parent_column(line: str) -> int:
    """The column a plain value ending `line` belongs to: its last key's (the first key after
    the line's `- ` items), else its last item's dash; 0 for a value alone on its
    line (any indented line may go on with it)."""
    column = len(line) - len(line.lstrip(" \t"))
    dash = -1
    while line.startswith("-", column) and line[column + 1 : column + 2] in ("", " ", "\t"):
        dash = column
        column += 1
        while line[column : column + 1] in (" ", "\t"):
            column += 1
    rest = line[column:]
    if ": " in rest or ":\t" in rest or rest.rstrip(" \t").endswith(":"):
        return column
    return max(dash, 0)
