"""Composed YAML nodes turned into plain data, with the limits that keep hostile input bounded.

`Builder` walks one composed document: it notes duplicate keys and bad scalars as
`LoadProblem`s and, when asked, the span of every node under its JSON pointer (`locate`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

import yaml

from floe_lint.findings import Span
from floe_lint.load import pointer as ptr
from floe_lint.load import tagged
from floe_lint.load.problems import LoadProblem, NodeSpans, collection_key
from floe_lint.load.resolving import Loader as _Loader

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    #: where an alias is written, by the slot it fills: (id of the parent node, list index or
    #: (pair index, 0 for the key / 1 for the value))
    AliasPlaces = dict[tuple[int, Any], Span]


class NeedPointers(Exception):
    """A build without pointers met a duplicate key, whose problem names its pointer."""


MAX_NODES = 200_000
MAX_DEPTH = 100  # nesting levels; no Floe document comes close, and deeper costs the stack
MAX_INT_DIGITS = 4300  # Python's limit for int <-> str
MAX_INT_BITS = 14_000  # about as many digits, for hexadecimal, octal and 1:2:3 integers

_SCALAR_TAGS = "tag:yaml.org,2002:"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_VALUE_TAG = "tag:yaml.org,2002:value"  # a plain `=`
_constructor = yaml.constructor.SafeConstructor()
#: Every tag a safe loader constructs; any other (`!custom`, `!!python/object`) is refused.
SAFE_TAGS = _SAFE_TAGS = frozenset(
    tag for tag in yaml.constructor.SafeConstructor.yaml_constructors if tag is not None
)


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
    """Turns a composed node tree into plain data, noting duplicate keys, merge keys whose
    reading depends on the YAML loader, and, when given a `spans` dict, the span of every node.

    With `aliases` (see `AliasPlaces`), a node reached through an alias, and everything under
    it, is placed where the alias is written, not at its anchor: a finding on one transform's
    `compute: *c` must not land on (and be silenced at) the line another transform shares.
    """

    def __init__(
        self,
        lines: list[str],
        problems: list[LoadProblem],
        spans: dict[str, NodeSpans] | None = None,
        aliases: AliasPlaces | None = None,
        *,
        pointers: bool = True,
    ):
        self.lines, self.problems, self.spans = lines, problems, spans
        self.aliases: AliasPlaces = aliases or {}
        self.count = self.depth = 0
        #: whether the data built is JSON's exactly (see `SourceFile.plain`): no `Text`, no
        #: `Set`, no key other than `str` (the builder never shares a container)
        self.plain = True
        #: build each node's JSON pointer (spans need them; loading does not, unless a key
        #: is duplicated: then NeedPointers is raised and the caller builds again with them)
        self.pointers = pointers or spans is not None

    def build(
        self,
        node: yaml.Node,
        pointer: str,
        key_node: yaml.Node | None = None,
        place: Span | None = None,
        key_place: Span | None = None,
    ) -> Any:
        """The data of `node`; `place` (an alias's span) stands for its span and its children's."""
        self.count += 1
        if self.count > MAX_NODES:
            raise TooManyNodes
        if self.spans is not None and pointer not in self.spans:
            self.spans[pointer] = self._spans_of(node, key_node, place, key_place)
        if node.tag not in _SAFE_TAGS:
            self._unknown_tag(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.MappingNode):
            mapping = self._mapping(node, pointer, place)
            if node.tag == tagged.SET_TAG:
                self.plain = False
                return tagged.Set(mapping)
            return mapping
        self._enter(node)  # a sequence
        if self.pointers:
            items = [
                self.build(item, ptr.join(pointer, i), None, place or self._alias(node, i))
                for i, item in enumerate(node.value)
            ]
        else:
            items = [self.build(item, "") for item in node.value]
        self.depth -= 1
        return items

    def _spans_of(
        self,
        node: yaml.Node,
        key_node: yaml.Node | None,
        place: Span | None,
        key_place: Span | None,
    ) -> NodeSpans:
        key_span = None
        if key_node is not None:
            key_span = key_place or span_of(key_node, self.lines)
        return NodeSpans(place or span_of(node, self.lines), key_span)

    def _alias(self, parent: yaml.Node, slot: Any) -> Span | None:
        return self.aliases.get((id(parent), slot)) if self.aliases else None

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

    def _mapping(
        self, node: yaml.MappingNode, pointer: str, place: Span | None = None
    ) -> dict[Any, Any]:
        self._enter(node)
        result: dict[Any, Any] = {}
        seen: dict[Any, yaml.Node] = {}
        merges = Merges(self, node, place)
        for index, (key_node, value_node) in enumerate(node.value):
            if key_node.tag == _MERGE_TAG:
                merges.add(index, key_node, value_node)
                continue
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.tag not in _SAFE_TAGS and key_node.tag != _VALUE_TAG:
                    self._unknown_tag(key_node)  # (PyYAML reads a key '=' as text)
                key = self._scalar(key_node)
            else:
                key = str(key_node.value)
                self.problems.append(collection_key(span_of(key_node, self.lines)))
            if type(key) is not str:
                self.plain = False
                if not isinstance(key, str | int | float | bool) and key is not None:
                    key = str(key)
            child = ptr.join(pointer, str(key)) if self.pointers else ""
            key_place = place or self._alias(node, (index, 0))
            value_place = place or self._alias(node, (index, 1))
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
                    self.spans[child] = self._spans_of(value_node, key_node, value_place, key_place)
            seen[key] = key_node
            result[key] = self.build(value_node, child, key_node, value_place, key_place)
        if merges:
            for key, value in merges.read(pointer, result).items():
                result.setdefault(key, value)  # explicit keys win over merged ones
        self.depth -= 1
        return result

    def _bare_bang(self, node: yaml.ScalarNode) -> bool:
        """An empty value tagged only `!`: libyaml reads '', PyYAML's own loader (upstream
        Floe's `yaml.safe_load`) reads null, and null is what Floe runs with."""
        mark = node.start_mark
        line = self.lines[mark.line] if mark.line < len(self.lines) else ""
        # the node's properties (an anchor and a tag, in either order); a bounded slice, so
        # many such values on one line cost no more than the line
        for token in line[mark.column : mark.column + 256].split(None, 2)[:2]:
            if token == "!":
                return True
            if not token.startswith(("&", "!")):
                break
        return False

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        """The value of a scalar; a tagged or plain number that cannot be one is a problem."""
        tag = node.tag or ""
        if tag == _STR_TAG:  # most scalars: skip the checks below
            if not node.value and not node.style and self._bare_bang(node):
                return None
            return sys.intern(node.value)
        construct = _CONSTRUCTORS.get(tag)
        if construct is None and tag in tagged.READ_AS:
            self.plain = False
            try:  # the text written, with what PyYAML (upstream's loader) builds from it
                return tagged.text(str(node.value), tagged.READ_AS[tag](node))
            except (ValueError, TypeError, yaml.YAMLError):
                why = tagged.unreadable(tag)
                self.problems.append(LoadProblem("yaml-syntax", why, span_of(node, self.lines)))
                return sys.intern(str(node.value))
        if construct is None:
            # Custom tags stay the text the author wrote. Interned: keys and values repeat
            # across thousands of files, and one copy each keeps memory flat.
            return sys.intern(str(node.value))
        name = tag[len(_SCALAR_TAGS) :]
        text = str(node.value)
        if name == "int" and len(text) > MAX_INT_DIGITS:
            why = _TOO_BIG
        else:
            try:
                value = construct(node)
            except (ValueError, KeyError, TypeError, OverflowError, IndexError):
                why = f"the value is tagged !!{name} but is not {_TAG_WORDS.get(name, name)}"
            else:
                if not (isinstance(value, int) and value.bit_length() > MAX_INT_BITS):
                    return value
                why = _TOO_BIG
        self.problems.append(LoadProblem("yaml-syntax", why, span_of(node, self.lines)))
        return sys.intern(text)


class Merges:
    """The merge keys (`<<`) of one mapping, read as PyYAML reads them, and reported where
    YAML loaders read them differently.

    PyYAML lets a later `<<` win over an earlier one (every version), and within one
    `<<: [a, b]` the first source wins up to 6.0.3 but the last from 6.0.4 on; upstream Floe
    accepts any 6.x. So a second `<<`, sources of one list that disagree on a key the mapping
    does not set itself, and a merge of something that is no mapping (PyYAML refuses the
    file) are reported. The data read is 6.0.4's; the finding is what makes it safe.
    """

    def __init__(self, builder: Builder, node: yaml.MappingNode, place: Span | None):
        self.builder, self.node, self.place = builder, node, place
        self.keys: list[yaml.Node] = []
        self.groups: list[list[tuple[yaml.MappingNode, Span | None]]] = []
        self._pairs: list[tuple[yaml.Node, yaml.Node]] = []  # each `<<` and its value
        self.reported: set[Any] = set()  # the keys reported as sources disagreeing

    def __bool__(self) -> bool:
        return bool(self.keys)

    def _problem(self, message: str, node: yaml.Node, related: Span | None = None) -> None:
        where = span_of(node, self.builder.lines)
        self.builder.problems.append(LoadProblem("merge-key", message, where, related_span=related))

    def add(self, index: int, key_node: yaml.Node, value_node: yaml.Node) -> None:
        builder = self.builder
        if self.keys:
            first = span_of(self.keys[0], builder.lines)
            self._problem(
                f"a second merge key '<<' in one mapping (the first is at line "
                f"{first.start_line}): PyYAML lets the later win where they overlap, other "
                "loaders refuse a repeated key or keep the first; merge every source in one '<<'",
                key_node,
                first,
            )
        self.keys.append(key_node)
        self._pairs.append((key_node, value_node))
        place = self.place or builder._alias(self.node, (index, 1))
        if isinstance(value_node, yaml.SequenceNode):
            items = [
                (item, place or builder._alias(value_node, j))
                for j, item in enumerate(value_node.value)
            ]
        else:
            items = [(value_node, place)]
        group: list[tuple[yaml.MappingNode, Span | None]] = []
        for item, item_place in items:
            if isinstance(item, yaml.MappingNode):
                group.append((item, item_place))
            else:
                self._problem(
                    "a merge key '<<' takes a mapping or a list of mappings; PyYAML (upstream "
                    "Floe's loader) refuses this file",
                    item,
                )
        self.groups.append(group)

    def read(self, pointer: str, explicit: dict[Any, Any]) -> dict[Any, Any]:
        """The merged keys. The winning source is built first, so spans name where the value
        read comes from."""
        merged: dict[Any, Any] = {}
        for key_node, group in reversed(list(zip(self.keys, self.groups, strict=True))):
            built = [
                (self.builder._mapping(source, pointer, place), source)
                for source, place in reversed(group)
            ]
            for data, _ in built:
                for key, value in data.items():
                    merged.setdefault(key, value)
            if len(built) > 1:
                self._disagreements(key_node, built[::-1], explicit)
        self._dropped(explicit)
        return merged

    def _dropped(self, explicit: dict[Any, Any]) -> None:
        """Merged pairs PyYAML 6.0.4 drops by their key's identity (floe_lint.load.merge_identity)
        while earlier versions read them: reported once per key the mapping does not set."""
        from floe_lint.load.merge_identity import dropped

        reported = {str(key) for key in self.reported}
        same = lambda a, b: _same(self._data(a), self._data(b))  # noqa: E731
        for kept, key_node, value_node in dropped([v for _, v in self._pairs], same):
            key = self._data(key_node)
            if key in explicit or str(key) in reported:
                continue
            reported.add(str(key))
            first, last = (span_of(node, self.builder.lines) for node in (kept, value_node))
            self._problem(
                f"'{key}' is merged here with the values at line {first.start_line}, column "
                f"{first.start_col} and line {last.start_line}, column {last.start_col} (a source "
                "sets it over its own merge): PyYAML 6.0.4 reads the first, earlier versions the "
                f"last, so Floe may run either; set '{key}' in this mapping",
                self.keys[0],
                last,
            )

    def _data(self, node: yaml.Node) -> Any:
        """`node`'s data, its problems not noted again (they are where it is built)."""
        builder = Builder(self.builder.lines, [], pointers=False)
        builder.count = self.builder.count
        try:
            return builder.build(node, "")
        except NeedPointers:
            return node  # (a duplicate key: only the same node is the same then)
        finally:
            self.builder.count = builder.count

    def _disagreements(
        self,
        key_node: yaml.Node,
        built: list[tuple[dict[Any, Any], yaml.MappingNode]],
        explicit: dict[Any, Any],
    ) -> None:
        """Keys that sources of one `<<` list (in written order) give different values: each
        key's first value against every later one, each key reported once. Linear in the
        sources' size (a hostile list of hundreds of agreeing sources must not be cubic)."""
        first: dict[Any, tuple[Any, yaml.MappingNode]] = {}
        reported = self.reported
        places = _Places()
        for data, source in built:
            for key, value in data.items():
                if key in explicit or key in reported:
                    continue
                seen = first.setdefault(key, (value, source))
                if seen[1] is source or _same(seen[0], value):
                    continue
                reported.add(key)
                span_first = span_of(places.value_of(seen[1], key), self.builder.lines)
                last = span_of(places.value_of(source, key), self.builder.lines)
                self._problem(
                    f"the sources merged here disagree on '{key}' (line {span_first.start_line}, "
                    f"column {span_first.start_col} and line {last.start_line}, column "
                    f"{last.start_col}): PyYAML up to 6.0.3 reads the first, 6.0.4 the last, so "
                    f"Floe may run either; set '{key}' in this mapping",
                    key_node,
                    span_first,
                )


class _Places:
    """The value node of each key of a merge source, looking through the source's own
    merges (the last source first, as it is read), each node once: indexed once per source,
    so reporting many keys of one source stays linear."""

    def __init__(self) -> None:
        self._index: dict[int, dict[str, yaml.Node]] = {}

    def value_of(self, source: yaml.MappingNode, key: Any) -> yaml.Node:
        index = self._index.get(id(source))
        if index is None:
            index = self._index[id(source)] = _key_nodes(source)
        return index.get(str(key), source)


def _key_nodes(source: yaml.MappingNode) -> dict[str, yaml.Node]:
    found: dict[str, yaml.Node] = {}
    seen: set[int] = set()
    pending: list[yaml.Node] = [source]
    while pending:
        node = pending.pop()
        if id(node) in seen or not isinstance(node, yaml.MappingNode):
            continue
        seen.add(id(node))
        nested: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sequence = isinstance(value_node, yaml.SequenceNode)
                nested.extend(value_node.value if sequence else [value_node])
            elif isinstance(key_node, yaml.ScalarNode):
                found.setdefault(key_node.value, value_node)
        pending.extend(nested)  # the last source first, as it is read
    return found


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types throughout (1, 1.0 and true are different readings)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


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


def scan(text: str) -> Iterator[yaml.Token]:
    """The tokens of `text` (libyaml's scanner), for what the node tree does not keep."""
    return yaml.scan(text, Loader=_Loader)


def build(
    root: yaml.Node, lines: list[str], problems: list[LoadProblem], odd: list[bool] | None = None
) -> Any:
    """The data of a composed document, its problems appended to `problems`; pointers are
    built only when a duplicate key needs one. `odd` gets a True when the data is not JSON's
    exactly (`Builder.plain`). (Loading calls `floe_lint.load.plain.build`, this written for
    that case alone; tests/test_plain_build.py holds the two equal.)"""
    found: list[LoadProblem] = []
    builder = Builder(lines, found, pointers=False)
    try:
        return builder.build(root, "")
    except NeedPointers:
        found = []
        builder = Builder(lines, found)
        return builder.build(root, "")
    finally:
        problems.extend(found)
        if odd is not None and not builder.plain:
            odd.append(True)
