"""Where each node of a file sits, located on first use with one compose of the whole file.

Most documents never get a finding, so loading records no spans. The first document of a
file that needs them composes the file once and keeps every document's root; each document
then builds its own spans from its root. (Composing the file again for each document took
time quadratic in the number of documents: 4,000 small documents took minutes.)

A node reached through an alias is placed where the alias is written (see `Builder`): the
places of aliases come from libyaml's scanner, in the order the composed tree uses them.
"""

from __future__ import annotations

from floe_lint.errors import suppressed
from floe_lint.findings import Span
from floe_lint.load.problems import NodeSpans
from floe_lint.load.pyyaml import yaml
from floe_lint.load.yaml_tree import Builder, TooDeep, TooManyNodes, compose_all, scan

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.load.positions import Table
    from floe_lint.load.yaml_tree import AliasPlaces


class FileSpans:
    """The spans of every document of one file's text, each document's built once; or, asked
    for one node (`lookup`), the spans of that node and its ancestors only."""

    def __init__(self, text: str):
        self.text = text
        self._roots: dict[int, yaml.Node] | None = None
        self._lines: list[str] = []
        self._aliases: dict[int, AliasPlaces] = {}
        #: what others derive from the whole text once per file (say, a fixer's line table)
        self.cache: dict[tuple[str, str], Any] = {}
        #: per document: the spans found by `lookup`, and the pointers it has walked towards
        self._found: dict[int, dict[str, NodeSpans]] = {}
        self._walked: dict[int, set[str]] = {}
        self._tree: _Tree | None = None
        self._composed = False
        #: per document: the spans of every node, once built (by `of`, or by `lookup` when
        #: a file needs a second compose)
        self._every: dict[int, dict[str, NodeSpans]] = {}
        #: per document: where its nodes sit, noted by the parse (floe_lint.load.positions),
        #: so that `lookup` composes nothing
        self.tables: dict[int, Table] = {}
        self._text_lines: list[str] | None = None

    def of(self, index: int) -> dict[str, NodeSpans]:
        """The span of every node of the `index`-th document, by JSON pointer."""
        every = self._every.get(index)
        if every is not None:
            return every
        if self._roots is None:  # the tree `lookup` composed, if it is still at hand
            tree = self._tree or _Tree(self.text)
            self._roots, self._lines = dict(tree.roots), tree.lines
            self._aliases = dict(tree.aliases)
        root = self._roots.pop(index, None)
        spans: dict[str, NodeSpans] = {}
        if root is not None:
            builder = Builder(self._lines, [], spans, self._aliases.pop(index, None))
            # parse() reported a document too large or deep; the spans found so far still serve
            with suppressed(TooManyNodes, TooDeep):
                builder.build(root, "")
        self._every[index] = spans
        return spans

    def lookup(self, index: int, pointer: str) -> NodeSpans | None:
        """The spans of `pointer` in the `index`-th document, as `of(index)` would give them,
        found by walking from the root towards `pointer` alone: a finding needs its own node
        (and a fix its neighbours), not every node of the file. The composed tree is kept
        for the few files asked last (`_RECENT`), since findings come in runs per file; a
        file asked again once its tree was dropped, or a document asked for many nodes (each
        walk reads the siblings on its way), gets every node's spans instead: no file is
        composed more than twice, and the time stays linear in the document's size."""
        every = self._every.get(index)
        if every is not None:
            return every.get(pointer)
        table = self.tables.get(index) if self.tables else None
        if table is not None:
            lines = self._text_lines
            if lines is None:
                lines = self._text_lines = self.text.splitlines()
            answer = table.lookup(pointer, lines)
            if answer is not False:  # False: the table cannot say
                return answer
        found = self._found.setdefault(index, {})
        spans = found.get(pointer)
        walked = self._walked.setdefault(index, set())
        if spans is not None or pointer in walked:
            return spans
        if len(walked) >= _WALKS:  # many nodes of one document: build them all, in linear time
            return self.of(index).get(pointer)
        tree = self._tree
        if tree is None:
            if self._composed:  # asked again after its tree was dropped: build them all once
                return self.of(index).get(pointer)
            tree = self._tree = _Tree(self.text)
            self._composed = True
            _RECENT.append(self)
            if len(_RECENT) > _RECENT_FILES:
                _RECENT.pop(0)._tree = None
        root = tree.roots.get(index)
        if root is not None:
            nodes = tree.nodes.setdefault(index, {})
            builder = _Towards(tree.lines, found, tree.aliases.get(index), _prefixes(pointer))
            builder.nodes, builder.twice = nodes, tree.twice.setdefault(index, set())
            start = _nearest(pointer, nodes, builder.twice)
            with suppressed(TooManyNodes, TooDeep):
                if start is None:
                    builder.build(root, "")
                else:  # from the nearest ancestor an earlier walk met: the same call it made
                    node, key_node, place, key_place, builder.depth = nodes[start]
                    builder.build(node, start, key_node, place, key_place)
        walked.add(pointer)
        return found.get(pointer)

    def start_line(self, index: int, pointer: str) -> int | None:
        """The line `lookup(index, pointer)` starts its value at, when the parse's positions
        say it without making spans (floe_lint.load.positions); None: ask `lookup`."""
        table = self.tables.get(index) if self.tables else None
        if table is None or index in self._every:
            return None
        return table.start_line(pointer)


class _Tree:
    """One compose of a file: its documents' roots, lines and alias places."""

    def __init__(self, text: str):
        self.roots = _compose(text)
        self.lines = text.splitlines()
        self.aliases = _alias_places(text, self.roots)
        #: per document: the nodes walks met, by pointer, with the call that built each (see
        #: `_Towards.build`), and the pointers met at two nodes (a repeated key, a merged key
        #: the mapping also sets): a later walk starts at the nearest one met once
        self.nodes: dict[int, dict[str, _Call]] = {}
        self.twice: dict[int, set[str]] = {}


#: a `build` call: (node, key node, place, key place, nesting depth at the call)
_Call = tuple[yaml.Node, "yaml.Node | None", "Span | None", "Span | None", int]


def _nearest(pointer: str, nodes: dict[str, _Call], twice: set[str]) -> str | None:
    """The deepest proper ancestor of `pointer` (the root excluded) that walks met at one node."""
    at = len(pointer)
    while True:
        at = pointer.rfind("/", 0, at)
        if at <= 0:
            return None
        prefix = pointer[:at]
        if prefix in nodes and prefix not in twice:
            return prefix


#: the files whose composed tree `lookup` keeps, the last asked last
_RECENT: list[FileSpans] = []
_RECENT_FILES = 8
#: walks towards single nodes of one document before every node's spans are built instead
_WALKS = 16


class _Towards(Builder):
    """A `Builder` that records spans on the way to some nodes only (`wanted`: their pointers
    and those of their ancestors). It visits the wanted nodes in the order a full build does,
    so each pointer gets the span a full build gives it."""

    def __init__(
        self,
        lines: list[str],
        spans: dict[str, NodeSpans],
        aliases: AliasPlaces | None,
        wanted: frozenset[str],
    ):
        super().__init__(lines, [], spans, aliases)
        self.wanted = wanted
        self.nodes: dict[str, _Call] | None = None
        self.twice: set[str] = set()

    def build(
        self,
        node: yaml.Node,
        pointer: str,
        key_node: yaml.Node | None = None,
        place: Span | None = None,
        key_place: Span | None = None,
    ) -> Any:
        if self.nodes is not None:
            met = self.nodes.get(pointer)
            if met is None:
                self.nodes[pointer] = (node, key_node, place, key_place, self.depth)
            elif met[0] is not node or met[1] is not key_node or met[2:4] != (place, key_place):
                self.twice.add(pointer)
        if pointer not in self.wanted:
            # a sibling on the way: its spans cost one mark each, and the next node asked is
            # often one (another transform of the same list, when the tree is gone)
            if self.spans is not None and pointer not in self.spans:
                self.spans[pointer] = self._spans_of(node, key_node, place, key_place)
            return None
        return super().build(node, pointer, key_node, place, key_place)


def _prefixes(pointer: str) -> frozenset[str]:
    """`pointer` and the pointer of each of its ancestors (the root's is '')."""
    found = {"", pointer}
    at = pointer.find("/", 1)
    while at > 0:
        found.add(pointer[:at])
        at = pointer.find("/", at + 1)
    return frozenset(found)


def locate(text: str, index: int, shared: FileSpans | None = None) -> dict[str, NodeSpans]:
    """The spans of the `index`-th document of `text`, through the file's `FileSpans`."""
    return (shared if shared is not None else FileSpans(text)).of(index)


def _compose(text: str) -> dict[int, yaml.Node]:
    roots: dict[int, yaml.Node] = {}
    try:
        for index, root in enumerate(compose_all(text)):
            if root is not None:
                roots[index] = root
    except yaml.YAMLError:
        pass  # parse() reported it; the documents before it still serve
    return roots


def _alias_places(text: str, roots: dict[int, yaml.Node]) -> dict[int, AliasPlaces]:
    """Per document, the slot each alias fills and where the alias is written.

    Walking each tree in document order without entering a node twice, the k-th time a
    node is met again is the k-th alias of the file: the composer shares the anchored node
    at every alias, and an anchor always comes before its aliases.
    """
    if "*" not in text or "&" not in text:  # an alias names an anchor written before it
        return {}
    slots = {index: _repeated_slots(root) for index, root in sorted(roots.items())}
    if not any(slots.values()):
        return {}
    marks = iter(_alias_marks(text))
    places: dict[int, AliasPlaces] = {}
    for index, found in slots.items():
        places[index] = {}
        for slot in found:
            mark = next(marks, None)
            if mark is None:
                return places
            places[index][slot] = mark
    return places


def _repeated_slots(root: yaml.Node) -> list[tuple[int, Any]]:
    """The slots, in document order, that hold a node already met (an alias)."""
    seen: set[int] = set()
    found: list[tuple[int, Any]] = []
    pending: list[tuple[yaml.Node | None, Any, yaml.Node]] = [(None, None, root)]
    while pending:
        parent, slot, node = pending.pop()
        if id(node) in seen:
            found.append((id(parent), slot))
            continue
        seen.add(id(node))
        children: list[tuple[yaml.Node | None, Any, yaml.Node]] = []
        if isinstance(node, yaml.MappingNode):
            for i, (key, value) in enumerate(node.value):
                children += [(node, (i, 0), key), (node, (i, 1), value)]
        elif isinstance(node, yaml.SequenceNode):
            children = [(node, i, item) for i, item in enumerate(node.value)]
        pending.extend(reversed(children))
    return found


def _alias_marks(text: str) -> list[Span]:
    """Where each alias (`*name`) of the file is written, in order."""
    marks: list[Span] = []
    try:
        for token in scan(text):
            if isinstance(token, yaml.AliasToken):
                start, end = token.start_mark, token.end_mark
                marks.append(Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1))
    except yaml.YAMLError:
        pass  # the documents composed before the error hold only the aliases scanned
    return marks
