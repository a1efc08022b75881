"""The pairs a mapping merges, in the order each PyYAML 6.x release reads them.

Up to 6.0.3 `flatten_mapping` reads the sources of one `<<: [a, b]` last first (so the first
source wins) and keeps every pair. 6.0.4 reads them in written order (the last wins) but keeps,
of the pairs one mapping merges, only the first whose key is the same Python string object
(`id(key_node.value)`): two key nodes share their text object when they are one node (an
anchored key and its alias, or a source merged twice) or when the text is one Latin-1
character or empty (CPython keeps a single copy of each, whichever loader reads it). So
`<<: [{x: 1}, {x: 2}]` reads 1 with every release, `<<: [{xy: 1}, {xy: 2}]` 1 up to 6.0.3
and 2 with 6.0.4. Upstream Floe accepts any 6.x, so `yaml_tree.Merges` reads 6.0.4's and
reports every key the releases read differently.
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.load.pyyaml import yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    #: a merged pair: (key node, value node, the index of the top-level source it comes from)
    Merged = tuple[yaml.Node, yaml.Node, int]

_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAX_PAIRS = 200_000  # as many pairs as a document may have nodes: then nothing more is told


def identity(key_node: yaml.Node) -> Any:
    """What `id(key_node.value)` compares equal for, in CPython."""
    text = key_node.value
    if isinstance(text, str) and (text == "" or (len(text) == 1 and ord(text) < 256)):
        return ("text", text)
    return ("node", id(key_node))


class _Flattener:
    """The flattened pairs of mapping nodes as one release reads them (not changing the
    nodes), memoized and bounded."""

    def __init__(self, latest: bool) -> None:
        self.latest = latest
        self.pairs = 0
        self.memo: dict[int, list[tuple[yaml.Node, yaml.Node]]] = {}

    def pairs_of(self, node: yaml.MappingNode, inside: frozenset[int]) -> list[Any]:
        known = self.memo.get(id(node))
        if known is not None:
            return known
        if id(node) in inside:  # (an alias cycle: the builder reports it)
            return []
        inside = inside | {id(node)}
        groups, rest = [], []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                groups.append(list(_sources(value_node)))
            else:
                rest.append((key_node, value_node))
        merged = [pair[:2] for pair in self.merged(groups, inside)]
        found = self.memo[id(node)] = merged + rest
        return found

    def merged(self, groups: list[list[yaml.MappingNode]], inside: frozenset[int]) -> list[Any]:
        """The pairs merged by a mapping whose `<<` keys merge `groups` (in written order),
        each with the index of its source among all the groups' sources."""
        found: list[Merged] = []
        seen: set[Any] = set()
        index = 0
        for group in groups:
            numbered = list(enumerate(group, index))
            index += len(group)
            for number, source in numbered if self.latest else reversed(numbered):
                for key_node, value_node in self.pairs_of(source, inside):
                    if self.latest:
                        if (key := identity(key_node)) in seen:
                            continue
                        seen.add(key)
                    found.append((key_node, value_node, number))
        self.pairs += len(found)
        if self.pairs > _MAX_PAIRS:
            raise OverflowError
        return found


def _sources(value_node: yaml.Node) -> Iterator[yaml.MappingNode]:
    """The mappings a `<<` merges (what is no mapping is reported by `Merges`)."""
    items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
    return (item for item in items if isinstance(item, yaml.MappingNode))


def readings(
    groups: list[list[yaml.MappingNode]],
) -> tuple[list[Merged], list[Merged], list[Merged]] | None:
    """The pairs a mapping merging `groups` reads with PyYAML 6.0.4 and with 6.0.3 (each in
    its order: a later pair with an equal key wins), and 6.0.4's before it drops pairs by
    their key's identity at this mapping (each source read as 6.0.4 reads it); None past
    the bound."""
    latest, older = _Flattener(latest=True), _Flattener(latest=False)
    try:
        kept, earlier = latest.merged(groups, frozenset()), older.merged(groups, frozenset())
        every = [source for group in groups for source in group]
        unfiltered = [
            (key_node, value_node, number)
            for number, source in enumerate(every)
            for key_node, value_node in latest.pairs_of(source, frozenset())
        ]
    except (OverflowError, RecursionError):
        return None
    return kept, earlier, unfiltered
