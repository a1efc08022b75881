"""Merged keys PyYAML 6.0.4 drops by the identity of their text, where earlier versions do not.

PyYAML 6.0.4's `flatten_mapping` keeps, of the pairs one mapping merges, only the first pair
whose key is the same Python string object (`id(key_node.value)`), while up to 6.0.3 every pair
is kept and the last one wins. Two key nodes share their text object when they are one node (an
anchored key and its alias, or a source merged twice) or when the text is one Latin-1
character or empty (CPython keeps a single copy of each). So a source merged here that sets
such a key over its own merge (`b: &b {<<: *a, x: 2}` then `{<<: *b}`) gives `x` 1 with 6.0.4
and 2 before: upstream Floe accepts any 6.x, so it may run either (`Merges` reports it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAX_PAIRS = 200_000  # as many pairs as a document may have nodes: then nothing more is told


def _identity(key_node: yaml.Node) -> Any:
    """What `id(key_node.value)` compares equal for, in CPython."""
    text = key_node.value
    if isinstance(text, str) and (text == "" or (len(text) == 1 and ord(text) < 256)):
        return ("text", text)
    return ("node", id(key_node))


class _Flattener:
    """PyYAML 6.0.4's flattened pairs of a mapping node (not changing the node), bounded."""

    def __init__(self) -> None:
        self.pairs = 0
        self.memo: dict[int, list[tuple[yaml.Node, yaml.Node]]] = {}

    def pairs_of(self, node: yaml.MappingNode, inside: frozenset[int]) -> list[Any]:
        known = self.memo.get(id(node))
        if known is not None:
            return known
        if id(node) in inside:  # (an alias cycle: the builder reports it)
            return []
        inside = inside | {id(node)}
        merged, seen, rest = [], set(), []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE_TAG:
                rest.append((key_node, value_node))
                continue
            for source in _sources(value_node):
                for pair in self.pairs_of(source, inside):
                    if (identity := _identity(pair[0])) not in seen:
                        seen.add(identity)
                        merged.append(pair)
        found = self.memo[id(node)] = merged + rest
        self.pairs += len(found)
        if self.pairs > _MAX_PAIRS:
            raise OverflowError
        return found


def _sources(value_node: yaml.Node) -> Iterator[yaml.MappingNode]:
    """The mappings a `<<` merges (what is no mapping is reported by `Merges`)."""
    items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
    return (item for item in items if isinstance(item, yaml.MappingNode))


def dropped(
    merges: list[yaml.Node], same: Callable[[yaml.Node, yaml.Node], bool]
) -> Iterator[tuple[yaml.Node, yaml.Node, yaml.Node]]:
    """Per pair 6.0.4 drops from the merges of one mapping (`merges`: the values of its `<<`
    keys) while an earlier version reads it, with a value `same` finds different from the
    pair kept: (the kept value node, the dropped key node, the dropped value node)."""
    flattener = _Flattener()
    kept: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
    try:
        for value_node in merges:
            for source in _sources(value_node):
                for key_node, value in flattener.pairs_of(source, frozenset()):
                    identity = _identity(key_node)
                    first = kept.setdefault(identity, (key_node, value))
                    if first[1] is not value and not same(first[1], value):
                        yield first[1], key_node, value
    except (OverflowError, RecursionError):
        return
