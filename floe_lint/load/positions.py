"""Where each node of a document sits, noted while the parse builds its data, for runs that
place many findings in files they parsed once (`impact`'s run of the old manifest places
thousands that disappear): no file is composed a second time to find them.

A `Recorder` is the loading builder (`plain.Plain`) that also writes, for every node in the
order it builds them, the marks of the node and of its key (libyaml's 0-based lines and
columns), its kind and where its subtree's record ends, as a flat array of integers. It builds
what `Plain` builds, at about twice its cost where `yaml_tree.Builder` with a record cost four
times (the parse workers' share of `impact`). `Table.lookup` walks the document's data towards a
pointer, skipping whole subtrees of the record, and returns the spans `FileSpans` would give.
A document whose data does not mirror its node tree one for one (a merge key, an alias, a
duplicate or non-scalar key) has no table and is placed as before.
"""

from __future__ import annotations

import sys
from struct import error as StructError
from struct import pack

from floe_lint.findings import Span
from floe_lint.load import pointer as ptr
from floe_lint.load import tagged
from floe_lint.load.plain import Plain
from floe_lint.load.problems import LoadProblem, NodeSpans
from floe_lint.load.pyyaml import yaml
from floe_lint.load.yaml_tree import (
    MAX_NODES,
    SAFE_TAGS,
    Builder,
    Merges,
    NeedPointers,
    TooManyNodes,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

#: integers per node: start line, column, end line, column; the key's four (-1: no key); the
#: record's index (in integers) after the node's subtree, 0 for a scalar's (the next record
#: follows at once: a scalar's nine are written in one step with its marks)
_WIDTH = 9
_NEXT = _WIDTH - 1
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_VALUE_TAG = "tag:yaml.org,2002:value"  # a plain `=`
_SCALAR, _MAPPING = yaml.ScalarNode, yaml.MappingNode
_intern = sys.intern
#: what `_find` answers when the record cannot say (the data is not what it recorded)
_UNKNOWN: Any = object()
_SHORT = 1 << 15
_H = ord("h")


class Recorder(Plain):
    """The loading builder (`plain.Plain`) that also records every node's marks (see the
    module): the same data and problems, each node's record written as it is built; a plain
    text scalar (most nodes) is written out in its mapping's or list's loop, as `Plain` does."""

    def __init__(self, lines: list[str], problems: list[LoadProblem]) -> None:
        super().__init__(lines, problems, pointers=False)
        self.record: list[int] = []
        #: whether the data mirrors the node tree (no merge key)
        self.exact = True

    def noted(self, node: yaml.Node, marks: tuple[int, ...]) -> Any:
        """`Plain.data` of `node`, recorded first: `marks` are its own and its key's marks and a
        0 for where its subtree ends (a collection's is written once it is built)."""
        self.count += 1
        if self.count > MAX_NODES:
            raise TooManyNodes
        tag = node.tag
        if tag not in SAFE_TAGS:
            self._unknown_tag(node)
        record = self.record
        if isinstance(node, _SCALAR):
            record += marks
            if tag == _STR_TAG and node.value:
                return _intern(node.value)
            return self._scalar(node)
        at = len(record)
        record += marks  # where its subtree's record ends: written below
        value: Any
        if isinstance(node, _MAPPING):
            value = self._noted_mapping(node)
            if tag == tagged.SET_TAG:
                self.plain = False
                value = tagged.Set(value)
        else:  # a sequence
            self._enter(node)
            value = []
            for item in node.value:
                start, end = item.start_mark, item.end_mark
                if item.tag == _STR_TAG and type(item) is _SCALAR and item.value:
                    self.count += 1  # `noted` of a plain text item, written out
                    if self.count > MAX_NODES:
                        raise TooManyNodes
                    record += (start.line, start.column, end.line, end.column, -1, 0, 0, 0, 0)
                    value.append(_intern(item.value))
                else:
                    marks = (start.line, start.column, end.line, end.column, -1, 0, 0, 0, 0)
                    value.append(self.noted(item, marks))
            self.depth -= 1
        record[at + _NEXT] = len(record)
        return value

    def _noted_mapping(self, node: yaml.MappingNode) -> dict[Any, Any]:
        """`Plain._data_of_mapping`, each value recorded with its key's marks."""
        self._enter(node)
        result: dict[Any, Any] = {}
        merges: Merges | None = None
        record = self.record
        for index, (key_node, value_node) in enumerate(node.value):
            tag = key_node.tag
            if tag == _MERGE_TAG:
                self.exact = False  # merged keys are built where the record cannot follow
                if merges is None:
                    merges = Merges(self, node, None)
                merges.add(index, key_node, value_node)
                continue
            if tag == _STR_TAG and type(key_node) is _SCALAR and key_node.value:
                key = _intern(key_node.value)
            else:
                key = self._other_key(key_node)
            if key in result:  # (the keys seen so far: each was given its value at once)
                raise NeedPointers
            ks, ke = key_node.start_mark, key_node.end_mark
            start, end = value_node.start_mark, value_node.end_mark
            marks = (
                start.line,
                start.column,
                end.line,
                end.column,
                ks.line,
                ks.column,
                ke.line,
                ke.column,
                0,
            )
            if value_node.tag == _STR_TAG and type(value_node) is _SCALAR and value_node.value:
                self.count += 1  # `noted` of a plain text value, written out
                if self.count > MAX_NODES:
                    raise TooManyNodes
                record += marks
                result[key] = _intern(value_node.value)
            else:
                result[key] = self.noted(value_node, marks)
        if merges is not None:
            for key, value in merges.read("", result).items():
                result.setdefault(key, value)  # explicit keys win over merged ones
        self.depth -= 1
        return result


def recorded(
    root: yaml.Node, lines: list[str], problems: list[LoadProblem], width: int = _SHORT
) -> tuple[Any, bytes]:
    """(`yaml_tree.build`'s data of a composed document, its record; b"" when it has
    none). The record is written as 16-bit integers when every line, column and index fits
    (most files), else 32-bit; its first byte names which. `width`: the length of the text
    `lines` split, when known (else its lines are measured)."""
    found: list[LoadProblem] = []
    try:
        recorder = Recorder(lines, found)
        start, end = root.start_mark, root.end_mark
        marks = (start.line, start.column, end.line, end.column, -1, 0, 0, 0, 0)
        data = recorder.noted(root, marks)
    except NeedPointers:  # a duplicate key: built again as `yaml_tree.build` does, unrecorded
        found = []
        return Builder(lines, found).build(root, ""), b""
    finally:
        problems.extend(found)
    if not recorder.exact:
        return data, b""
    record = recorder.record
    # a mark's line is at most the number of lines, its column at most a line's length (a
    # text shorter than 2**15 - 1 characters has neither as long: its lines are not measured)
    small = len(record) < _SHORT and (
        width < _SHORT - 1 or max(len(lines), max(map(len, lines), default=0)) + 1 < _SHORT
    )
    # `struct` packs the native shorts or ints `array(...).tobytes()` gives at half its cost
    # (the parse of `impact`'s ~1,000 files writes about a million)
    try:
        return data, b"h" + pack(f"{len(record)}h", *record) if small else (
            b"i" + pack(f"{len(record)}i", *record)
        )
    except StructError:  # beyond 2**31: placed as before
        return data, b""


def noted(
    root: yaml.Node,
    lines: list[str],
    problems: list[LoadProblem],
    tables: dict[int, Table],
    index: int,
    width: int = _SHORT,
) -> Any:
    """The data of a file's `index`-th document, its positions noted in `tables` (its
    file's `FileSpans.tables`) when it has a record; `width` as for `recorded`."""
    data, record = recorded(root, lines, problems, width)
    if record:
        tables[index] = Table(record, data)
    return data


def may_record(text: str) -> bool:
    """Whether a file's documents can be recorded. One with an alias places the aliased nodes
    where the alias is written (see floe_lint.load.spans), and a merge key (a plain `<<`, or a
    key tagged as one: `recorded` looks) builds nodes the data does not hold in their order:
    the record knows neither."""
    return ("*" not in text or "&" not in text) and "<<" not in text


class Table:
    """One document's record (see `Recorder`) and the data built with it."""

    __slots__ = ("_found", "_index", "_view", "data", "raw")

    def __init__(self, raw: bytes, data: Any) -> None:
        self.raw = raw
        self.data = data
        self._view: memoryview | None = None
        #: per collection met by a lookup (by where its record starts): its children (see
        #: `_children`); a document's findings come in runs down the same few collections
        self._index: dict[int, Any] = {}
        #: the answers given, by pointer: a finding, its fix and its excerpt ask for one node
        self._found: dict[str, Any] = {}

    def lookup(self, pointer: str, lines: list[str]) -> NodeSpans | Literal[False] | None:
        """The spans of `pointer` (None: no such node), or False when the data is not what
        was recorded (then the caller composes the file, as without a table)."""
        found = self._found.get(pointer, _UNKNOWN)
        if found is _UNKNOWN:
            found = self._found[pointer] = self._lookup(pointer, lines)
        return found  # type: ignore[no-any-return]

    def start_line(self, pointer: str) -> int | None:
        """The line `lookup(pointer)` starts its value at, read from the record alone (no
        span made); None when there is no such node or the record cannot say (`lookup` then
        answers): `impact` gives the line of each of thousands of transforms that change."""
        found = self._found.get(pointer)
        if found:  # (a lookup answered before)
            return found.value.start_line  # type: ignore[no-any-return]
        view = self._view or self._viewed()
        try:
            at = self._find(view, pointer)
        except IndexError:
            return None
        return None if at is None or at is _UNKNOWN else view[at] + 1

    def _viewed(self) -> memoryview:
        raw = self.raw
        view = self._view = memoryview(raw)[1:].cast("h" if raw[0] == _H else "i")
        return view

    def _lookup(self, pointer: str, lines: list[str]) -> NodeSpans | Literal[False] | None:
        view = self._view or self._viewed()
        try:
            at = self._find(view, pointer)
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

    def _find(self, view: memoryview, pointer: str) -> Any:
        """Where the record of the node at `pointer` starts, None when there is none, or
        _UNKNOWN. (IndexError: the record is not one `Recorder` wrote.)"""
        node, at, done = self.data, 0, 0  # the node, its record, how much of `pointer` names it
        index = self._index
        while done < len(pointer):
            if pointer[done] != "/":
                return None  # not a pointer the builder makes
            slash = pointer.find("/", done + 1)
            token = pointer[done + 1 :] if slash < 0 else pointer[done + 1 : slash]
            children = index.get(at)
            if children is None:
                children = index[at] = _children(view, at, node)
            if children is _UNKNOWN:
                return _UNKNOWN
            if type(children) is dict:
                found = children.get(token)
                if found is None:
                    return None
                if found is _UNKNOWN:
                    return _UNKNOWN  # two keys name one pointer (`1` and `'1'`)
                at, node = found
            elif type(children) is list:
                if not (token.isascii() and token.isdigit()) or str(int(token)) != token:
                    return None
                item = int(token)
                if item >= len(children):
                    return None
                at, node = children[item], node[item]
            else:
                return None  # a node without children (a scalar)
            done += 1 + len(token)
        if at + _WIDTH > len(view):
            raise IndexError(at)
        return at


def _children(view: memoryview, at: int, node: Any) -> Any:
    """The children of the node whose record starts at `at`, built as `node`: for a mapping,
    by pointer token, where each one's record starts and its value (_UNKNOWN for a token two
    keys name); for a list, where each item's record starts; () for a node without children;
    _UNKNOWN when `node` is not what was recorded."""
    child = at + _WIDTH
    end = view[at + _NEXT] or child
    starts = []
    while child < end:
        starts.append(child)
        following = view[child + _NEXT] or child + _WIDTH
        if following <= child:
            raise IndexError(child)  # not a record `Recorder` wrote
        child = following
    if child != end:
        raise IndexError(child)
    if isinstance(node, dict):  # a `!!set` too: the mapping written
        if len(node) != len(starts):
            return _UNKNOWN
        tokens: dict[str, Any] = {}
        for start, (key, value) in zip(starts, node.items(), strict=True):
            token = ptr.escape(key)
            tokens[token] = _UNKNOWN if token in tokens else (start, value)
        return tokens
    if isinstance(node, list):
        return starts if len(node) == len(starts) else _UNKNOWN
    return () if not starts else _UNKNOWN  # a collection read as something else


def _span(line: int, col: int, end_line: int, end_col: int, lines: list[str]) -> Span:
    """`yaml_tree.span_of` of a node with these marks."""
    last_line, last_col = end_line + 1, end_col + 1
    # Block collections end at column 0 of the next line; clamp to the last real character.
    if end_col == 0 and end_line > line:
        last_line = end_line
        last_col = len(lines[end_line - 1]) + 1 if end_line - 1 < len(lines) else 1
    return Span(line + 1, col + 1, last_line, last_col)
