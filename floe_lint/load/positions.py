"""Where each node of a document sits, noted while the parse builds its data, for runs that
place many findings in files they parsed once (`impact`'s run of the old manifest places
thousands that disappear): no file is composed a second time to find them.

A `Recorder` is the loading `Builder` that also writes, for every node in the order it builds
them, the marks of the node and of its key (libyaml's 0-based lines and columns), its kind and
where its subtree's record ends, as a flat array of integers. `Table.lookup` walks the
document's data towards a pointer, skipping whole subtrees of the record, and returns the spans
`FileSpans` would give. A document whose data does not mirror its node tree one for one (a
merge key, an alias, a duplicate or non-scalar key) has no table and is placed as before.
"""

from __future__ import annotations

from array import array

import yaml

from floe_lint.findings import Span
from floe_lint.load import pointer as ptr
from floe_lint.load.problems import LoadProblem, NodeSpans
from floe_lint.load.yaml_tree import Builder, NeedPointers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

#: integers per node: start line, column, end line, column; the key's four (-1: no key); the
#: record's index (in integers) after the node's subtree
_WIDTH = 9
_NEXT = _WIDTH - 1
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: what `_find` answers when the record cannot say (the data is not what it recorded)
_UNKNOWN: Any = object()
_MISSING: Any = object()
_build = Builder.build


class Recorder(Builder):
    """A `Builder` (without pointers) that records every node's marks (see the module)."""

    def __init__(self, lines: list[str], problems: list[LoadProblem], tags: bool) -> None:
        super().__init__(lines, problems, pointers=False)
        self.record: list[int] = []
        #: whether the text has tags, one of which could make a key a merge key
        self.tags = tags
        #: whether the data mirrors the node tree (no merge key)
        self.exact = True

    def build(
        self,
        node: yaml.Node,
        pointer: str,
        key_node: yaml.Node | None = None,
        place: Span | None = None,
        key_place: Span | None = None,
    ) -> Any:
        record = self.record
        at = len(record)
        start, end = node.start_mark, node.end_mark
        if key_node is None:
            record += (start.line, start.column, end.line, end.column, -1, 0, 0, 0, 0)
        else:
            ks, ke = key_node.start_mark, key_node.end_mark
            record += (start.line, start.column, end.line, end.column)
            record += (ks.line, ks.column, ke.line, ke.column, 0)
        if (
            self.tags
            and isinstance(node, yaml.MappingNode)
            and any(key.tag == _MERGE_TAG for key, _ in node.value)
        ):
            self.exact = False
        value = _build(self, node, pointer, key_node, place, key_place)
        record[at + _NEXT] = len(record)
        return value


def recorded(
    root: yaml.Node, lines: list[str], problems: list[LoadProblem], text: str
) -> tuple[Any, bytes]:
    """(`yaml_tree.build`'s data of a composed document of `text`, its record; b"" when it has
    none)."""
    found: list[LoadProblem] = []
    try:
        recorder = Recorder(lines, found, "!" in text)
        data = recorder.build(root, "")
    except NeedPointers:  # a duplicate key: built again as `yaml_tree.build` does, unrecorded
        found = []
        return Builder(lines, found).build(root, ""), b""
    finally:
        problems.extend(found)
    if not recorder.exact:
        return data, b""
    try:
        return data, array("i", recorder.record).tobytes()
    except OverflowError:  # a line beyond 2**31: placed as before
        return data, b""


def may_record(text: str) -> bool:
    """Whether a file's documents can be recorded. One with an alias places the aliased nodes
    where the alias is written (see floe_lint.load.spans), and a merge key (a plain `<<`, or a
    key tagged as one: `recorded` looks) builds nodes the data does not hold in their order:
    the record knows neither."""
    return ("*" not in text or "&" not in text) and "<<" not in text


class Table:
    """One document's record (see `Recorder`) and the data built with it."""

    __slots__ = ("_view", "data", "raw")

    def __init__(self, raw: bytes, data: Any) -> None:
        self.raw = raw
        self.data = data
        self._view: memoryview | None = None

    def lookup(self, pointer: str, lines: list[str]) -> NodeSpans | Literal[False] | None:
        """The spans of `pointer` (None: no such node), or False when the data is not what
        was recorded (then the caller composes the file, as without a table)."""
        view = self._view
        if view is None:
            view = self._view = memoryview(self.raw).cast("i")
        try:
            at = _find(view, self.data, pointer)
        except IndexError:
            return False
        if at is None:
            return None
        if at is _UNKNOWN:
            return False
        value_span = _span(view[at], view[at + 1], view[at + 2], view[at + 3], lines)
        if view[at + 4] < 0:
            return NodeSpans(value_span, None)
        key_span = _span(view[at + 4], view[at + 5], view[at + 6], view[at + 7], lines)
        return NodeSpans(value_span, key_span)


def _find(view: memoryview, node: Any, pointer: str) -> Any:
    """Where the record of the node at `pointer` starts, None when there is none, or _UNKNOWN.
    (IndexError: the record is not one `Recorder` wrote.)"""
    at, done = 0, 0  # the node's record; how much of `pointer` names it
    while done < len(pointer):
        if pointer[done] != "/":
            return None  # not a pointer the builder makes
        slash = pointer.find("/", done + 1)
        token = pointer[done + 1 :] if slash < 0 else pointer[done + 1 : slash]
        child = at + _WIDTH
        if isinstance(node, dict):  # a `!!set` too: the mapping written
            if len(node) != _children(view, at):
                return _UNKNOWN
            found, at_found, following = _MISSING, 0, child
            for key, value in node.items():
                if ptr.escape(key) == token:
                    if found is not _MISSING:
                        return _UNKNOWN  # two keys name one pointer (`1` and `'1'`)
                    found, at_found = value, following
                following = view[following + _NEXT]
            if found is _MISSING:
                return None
            node, child = found, at_found
        elif isinstance(node, list):
            if len(node) != _children(view, at):
                return _UNKNOWN
            if not (token.isascii() and token.isdigit()) or str(int(token)) != token:
                return None
            index = int(token)
            if index >= len(node):
                return None
            for _ in range(index):
                child = view[child + _NEXT]
            node = node[index]
        elif view[at + _NEXT] == child:
            return None  # a node without children (a scalar)
        else:
            return _UNKNOWN  # a collection read as something else (a `!!set`)
        at, done = child, done + 1 + len(token)
    if at + _WIDTH > len(view):
        raise IndexError(at)
    return at


def _children(view: memoryview, at: int) -> int:
    """How many children the node whose record starts at `at` has in the record."""
    end = view[at + _NEXT]
    child, found = at + _WIDTH, 0
    while child < end:
        following = view[child + _NEXT]
        if following <= child:
            raise IndexError(child)  # not a record `Recorder` wrote
        child, found = following, found + 1
    if child != end:
        raise IndexError(child)
    return found


def _span(line: int, col: int, end_line: int, end_col: int, lines: list[str]) -> Span:
    """`yaml_tree.span_of` of a node with these marks."""
    last_line, last_col = end_line + 1, end_col + 1
    # Block collections end at column 0 of the next line; clamp to the last real character.
    if end_col == 0 and end_line > line:
        last_line = end_line
        last_col = len(lines[end_line - 1]) + 1 if end_line - 1 < len(lines) else 1
    return Span(line + 1, col + 1, last_line, last_col)
