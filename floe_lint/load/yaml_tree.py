"""Composed YAML nodes turned into plain data, with the limits that keep hostile input bounded.

`Builder` walks one composed document: it notes duplicate keys and bad scalars as
`LoadProblem`s and, when asked, the span of every node under its JSON pointer (`locate`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import yaml

from floe_lint.findings import Span
from floe_lint.load import pointer as ptr

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is present in every supported wheel
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_MEMO_ENTRIES = 8192  # distinct plain scalars remembered; then the memo starts over
_MEMO_LENGTH = 256  # longer scalars are resolved each time (and not kept)
_resolved: dict[tuple[str, bool], str] = {}


class _Loader(_BaseLoader):
    """libyaml's safe loader with PyYAML's implicit resolver (Python, called for every node)
    memoized for plain scalars: keys and values repeat across files, and the tag of a plain
    scalar depends on its text alone. The safe loader has no path resolvers, so descending
    and ascending the node path is skipped."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= _MEMO_LENGTH:
            key = (value, implicit[1])
            tag = _resolved.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(_resolved) >= _MEMO_ENTRIES:
                    _resolved.clear()
                _resolved[key] = tag
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    if not _BaseLoader.yaml_path_resolvers:

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None


class NeedPointers(Exception):
    """A build without pointers met a duplicate key, whose problem names its pointer."""


MAX_NODES = 200_000
MAX_DEPTH = 100  # nesting levels; no Floe document comes close, and deeper costs the stack
MAX_INT_DIGITS = 4300  # Python's limit for int <-> str
MAX_INT_BITS = 14_000  # about as many digits, for hexadecimal, octal and 1:2:3 integers

_SCALAR_TAGS = "tag:yaml.org,2002:"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_constructor = yaml.constructor.SafeConstructor()
#: Every tag a safe loader constructs; any other (`!custom`, `!!python/object`) is refused.
_SAFE_TAGS = frozenset(
    tag for tag in yaml.constructor.SafeConstructor.yaml_constructors if tag is not None
)


@dataclass(frozen=True, slots=True)
class NodeSpans:
    """Where a node sits: its key (for mapping entries) and its value."""

    value: Span
    key: Span | None = None


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A problem found while reading a file; `rule` names the rule that reports it."""

    rule: Literal["yaml-syntax", "duplicate-key", "multiple-documents"]
    message: str
    span: Span
    pointer: str = ""
    related_span: Span | None = None


class TooManyNodes(Exception):
    pass


class TooDeep(Exception):
    def __init__(self, node: yaml.Node):
        super().__init__()
        self.node = node


def span_of(node: yaml.Node, lines: list[str]) -> Span:
    start, end = node.start_mark, node.end_mark
    end_line, end_col = end.line + 1, end.column + 1
    # Block collections end at column 0 of the next line; clamp to the last real character.
    if end.column == 0 and end.line > start.line:
        end_line = end.line
        end_col = len(lines[end.line - 1]) + 1 if end.line - 1 < len(lines) else 1
    return Span(start.line + 1, start.column + 1, end_line, end_col)


class Builder:
    """Turns a composed node tree into plain data, noting duplicate keys and, when given a
    `spans` dict, the span of every node."""

    def __init__(
        self,
        lines: list[str],
        problems: list[LoadProblem],
        spans: dict[str, NodeSpans] | None = None,
        *,
        pointers: bool = True,
    ):
        self.lines, self.problems, self.spans = lines, problems, spans
        self.count = self.depth = 0
        #: build each node's JSON pointer (spans need them; loading does not, unless a key
        #: is duplicated: then NeedPointers is raised and the caller builds again with them)
        self.pointers = pointers or spans is not None

    def build(self, node: yaml.Node, pointer: str, key_node: yaml.Node | None = None) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise TooManyNodes
        if self.spans is not None and pointer not in self.spans:
            key_span = span_of(key_node, self.lines) if key_node is not None else None
            self.spans[pointer] = NodeSpans(span_of(node, self.lines), key_span)
        if node.tag not in _SAFE_TAGS:
            self._unknown_tag(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pointer)
        self._enter(node)  # a sequence
        if self.pointers:
            items = [self.build(item, ptr.join(pointer, i)) for i, item in enumerate(node.value)]
        else:
            items = [self.build(item, "") for item in node.value]
        self.depth -= 1
        return items

    def _unknown_tag(self, node: yaml.Node) -> None:
        """A tag a safe loader has no constructor for: upstream Floe's `yaml.safe_load` refuses
        the whole file, so the tag is reported where it is written (the value is still read)."""
        tag = str(node.tag)
        shown = "!!" + tag[len(_SCALAR_TAGS) :] if tag.startswith(_SCALAR_TAGS) else tag
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        self.problems.append(
            LoadProblem(
                "yaml-syntax",
                f"unknown YAML tag '{shown}': a safe YAML loader (upstream Floe's yaml.safe_load) "
                "refuses the file; remove the tag",
                Span(line, col, line, col + len(shown)),
            )
        )

    def _enter(self, node: yaml.Node) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep(node)

    def _mapping(self, node: yaml.MappingNode, pointer: str) -> dict[Any, Any]:
        self._enter(node)
        result: dict[Any, Any] = {}
        seen: dict[Any, yaml.Node] = {}
        merged: list[yaml.MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                merged.extend(s for s in sources if isinstance(s, yaml.MappingNode))
                continue
            key = (
                self._scalar(key_node)
                if isinstance(key_node, yaml.ScalarNode)
                else str(key_node.value)
            )
            if not isinstance(key, str | int | float | bool) and key is not None:
                key = str(key)
            child = ptr.join(pointer, str(key)) if self.pointers else ""
            if key in seen:
                if not self.pointers:
                    raise NeedPointers
                key_span, first = span_of(key_node, self.lines), span_of(seen[key], self.lines)
                self.problems.append(
                    LoadProblem(
                        "duplicate-key",
                        f"duplicate key '{key}': YAML keeps only the last value, "
                        f"silently discarding the one at line {first.start_line}",
                        key_span,
                        child,
                        related_span=first,
                    )
                )
                if self.spans is not None:
                    self.spans[child] = NodeSpans(span_of(value_node, self.lines), key_span)
            seen[key] = key_node
            result[key] = self.build(value_node, child, key_node)
        for source in merged:  # explicit keys win over merged ones, as in YAML 1.1
            for key, value in self._mapping(source, pointer).items():
                result.setdefault(key, value)
        self.depth -= 1
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        """The value of a scalar; a tagged or plain number that cannot be one is a problem."""
        tag = node.tag or ""
        if tag == _STR_TAG:  # most scalars: skip the checks below
            return sys.intern(node.value)
        construct = _CONSTRUCTORS.get(tag)
        if construct is None:
            # Timestamps, binary and custom tags stay the text the author wrote. Interned: keys
            # and values repeat across thousands of files, and one copy each keeps memory flat.
            return sys.intern(str(node.value))
        name = tag[len(_SCALAR_TAGS) :]
        text = str(node.value)
        if name == "int" and len(text) > MAX_INT_DIGITS:
            why = _TOO_BIG
        else:
            try:
                value = construct(node)
            except (ValueError, KeyError, TypeError, OverflowError):
                why = f"the value is tagged !!{name} but is not {_TAG_WORDS.get(name, name)}"
            else:
                if not (isinstance(value, int) and value.bit_length() > MAX_INT_BITS):
                    return value
                why = _TOO_BIG
        self.problems.append(LoadProblem("yaml-syntax", why, span_of(node, self.lines)))
        return sys.intern(text)


_TOO_BIG = f"an integer must have at most {MAX_INT_DIGITS:,} digits"
_TAG_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false"}
_CONSTRUCTORS: dict[str, Callable[[yaml.ScalarNode], Any]] = {
    _SCALAR_TAGS + "int": _constructor.construct_yaml_int,
    _SCALAR_TAGS + "float": _constructor.construct_yaml_float,
    _SCALAR_TAGS + "bool": _constructor.construct_yaml_bool,
    _SCALAR_TAGS + "null": _constructor.construct_yaml_null,
}


def compose_all(text: str) -> Iterator[yaml.Node | None]:
    """The composed root node of each document of `text` (libyaml's parser)."""
    return yaml.compose_all(text, Loader=_Loader)


def build(root: yaml.Node, lines: list[str], problems: list[LoadProblem]) -> Any:
    """The data of a composed document, its problems appended to `problems`; pointers are
    built only when a duplicate key needs one."""
    found: list[LoadProblem] = []
    try:
        return Builder(lines, found, pointers=False).build(root, "")
    except NeedPointers:
        found = []
        return Builder(lines, found).build(root, "")
    finally:
        problems.extend(found)


def locate(text: str, index: int) -> dict[str, NodeSpans]:
    """The span of every node of the `index`-th document of `text` (see `Document`)."""
    spans: dict[str, NodeSpans] = {}
    try:
        for number, root in enumerate(compose_all(text)):
            if number == index:
                if root is not None:
                    Builder(text.splitlines(), [], spans).build(root, "")
                break
    except (yaml.YAMLError, TooManyNodes, TooDeep):
        pass  # parse() reported it; the spans found so far still serve
    return spans
