"""Composed YAML nodes turned into plain data, with the limits that keep hostile input bounded.

`Builder` walks one composed document: it notes duplicate keys and bad scalars as
`LoadProblem`s and, when asked, the span of every node under its JSON pointer (`locate`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

from floe_lint.findings import Span
from floe_lint.load import pointer as ptr
from floe_lint.load import tagged
from floe_lint.load.problems import LoadProblem, NodeSpans, collection_key, key_text
from floe_lint.load.pyyaml import yaml
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

    def _other_key(self, key_node: yaml.Node) -> Any:
        """A mapping's key as data (plain.Plain's loop asks only for a key not plain text): a
        tagged, typed or empty scalar, or a collection (a problem); not text: not plain."""
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
        return key

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
            key = self._other_key(key_node)
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
                        f"duplicate key '{key_text(key_node)}': YAML keeps only the last value, "
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
            try:  # the text, with what PyYAML builds (text of no date: it raises AttributeError)
                return tagged.text(str(node.value), tagged.READ_AS[tag](node))
            except (ValueError, TypeError, AttributeError, yaml.YAMLError):
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
    """The merge keys (`<<`) of one mapping, read as PyYAML 6.0.4 reads them, and reported
    where YAML loaders read them differently: a second `<<`, a merge of something that is no
    mapping (PyYAML refuses the file), and each key the mapping does not set that PyYAML up
    to 6.0.3 and 6.0.4 read differently (upstream Floe accepts any 6.x; see
    floe_lint.load.merge_identity for how they differ).
    """

    def __init__(self, builder: Builder, node: yaml.MappingNode, place: Span | None):
        self.builder, self.node, self.place = builder, node, place
        self.keys: list[yaml.Node] = []
        self.groups: list[list[tuple[yaml.MappingNode, Span | None]]] = []

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
                f"{first.start_line}): PyYAML lets the later win where they overlap (6.0.4 the "
                "earlier for a key of one character or an anchored key), other loaders refuse "
                "a repeated key or keep the first; merge every source in one '<<'",
                key_node,
                first,
            )
        self.keys.append(key_node)
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
        """The merged keys as PyYAML 6.0.4 reads them. The winning source is built first, so
        spans name where the value read comes from."""
        merged: dict[Any, Any] = {}
        for group in reversed(self.groups):
            for source, place in reversed(group):
                for key, value in self.builder._mapping(source, pointer, place).items():
                    merged.setdefault(key, value)
        self._releases(pointer, merged, explicit)
        return merged

    def _releases(self, pointer: str, merged: dict[Any, Any], explicit: dict[Any, Any]) -> None:
        """What 6.0.4 reads where it drops pairs by their key's identity (`merged` holds the
        last pair of each key), and a finding per key (not set here) that PyYAML releases read
        differently (floe_lint.load.merge_identity)."""
        from floe_lint.load.merge_identity import readings

        found = readings([[source for source, _ in group] for group in self.groups])
        if found is None or found[0] == found[1] == found[2]:
            return
        kept, older, unfiltered = found
        keys: dict[int, Any] = {}

        def key_of(node: yaml.Node) -> Any:
            if id(node) not in keys:
                keys[id(node)] = self._key(node)
            return keys[id(node)]

        latest = {key_of(pair[0]): pair for pair in kept}
        built = {key_of(pair[0]): pair[1] for pair in unfiltered}
        for key, value_node in built.items():
            if key in explicit:
                continue
            if key not in latest:
                merged.pop(key, None)
            elif latest[key][1] is not value_node:
                merged[key] = self._rebuilt(pointer, key, latest[key])
        read_604 = {id(pair[1]) for pair in kept}
        for key, (key_node, value_node, number) in {key_of(p[0]): p for p in older}.items():
            new = latest.get(key)
            if key in explicit or (
                new is not None
                and (new[1] is value_node or _same(self._data(new[1]), self._data(value_node)))
            ):
                continue
            dropped = id(value_node) not in read_604
            self._differ(key_node, (value_node, number), new, dropped)

    def _differ(self, key_node: yaml.Node, old: Any, new: Any, dropped: bool) -> None:
        """Report a key that PyYAML up to 6.0.3 reads as `old` (a value node and the number of
        its source) and 6.0.4 as `new` (a merged pair, or None when 6.0.4 drops the key);
        `dropped`: 6.0.4 drops `old`'s pair."""
        shown = key_text(key_node)
        was = span_of(old[0], self.builder.lines)
        at_old = f"line {was.start_line}, column {was.start_col}"
        then = f", so Floe may run either; set '{shown}' in this mapping"
        if new is None:
            message = (
                f"'{shown}' is merged here from {at_old}: PyYAML up to 6.0.3 reads it, 6.0.4 "
                f"drops it (another key merged here has the same text){then}"
            )
            self._problem(message, self.keys[0], was)
            return
        now = span_of(new[1], self.builder.lines)
        at_new = f"line {now.start_line}, column {now.start_col}"
        if dropped:
            message = (
                f"'{shown}' is merged here with the values at {at_new} and {at_old}: PyYAML "
                f"6.0.4 reads the first, earlier versions the last{then}"
            )
            self._problem(message, self.keys[0], was)
            return
        group = self._group_of(new[2])
        message = (
            f"the sources merged here disagree on '{shown}' ({at_old} and {at_new})"
            if old[1] != new[2]  # (else one source merged here reads it differently itself)
            else f"'{shown}' is merged here with the values at {at_old} and {at_new}"
        ) + f": PyYAML up to 6.0.3 reads the first, 6.0.4 the last{then}"
        self._problem(message, self.keys[group], was)

    def _group_of(self, number: int) -> int:
        """The index of the `<<` whose sources hold source `number` (counted over them all)."""
        for index, group in enumerate(self.groups):
            if number < len(group):
                return index
            number -= len(group)
        return 0

    def _rebuilt(self, pointer: str, key: Any, pair: Any) -> Any:
        """The value of `pair` (a merged pair 6.0.4 reads) at `key`, its spans recorded over
        those of the value it replaces; its problems were noted where its source was built."""
        key_node, value_node, number = pair
        places = [place for group in self.groups for _, place in group]
        place = places[number] if number < len(places) else None
        builder = self.builder
        spans: dict[str, NodeSpans] | None = None if builder.spans is None else {}
        rebuilt = Builder(builder.lines, [], spans, builder.aliases, pointers=builder.pointers)
        rebuilt.count, rebuilt.depth = builder.count, builder.depth
        child = ptr.join(pointer, str(key)) if builder.pointers else ""
        try:
            return rebuilt.build(value_node, child, key_node, place, place)
        finally:
            builder.count = rebuilt.count
            if builder.spans is not None and spans:
                builder.spans.update(spans)

    def _key(self, node: yaml.Node) -> Any:
        """`node`'s data as a key, as `Builder._mapping` keeps it."""
        key = self._data(node) if isinstance(node, yaml.ScalarNode) else str(node.value)
        if not isinstance(key, str | int | float | bool) and key is not None:
            key = str(key)
        return key

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
