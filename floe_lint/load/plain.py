"""A composed document's data as loading builds it: `yaml_tree.build`, written for that one case.

Loading builds every node of every file without spans, pointers or alias places (they are
located later, for the few files with a finding), so `Plain` is `yaml_tree.Builder` with what
that case never uses left out: no pointer or span argument per node, no alias lookup per key, a
mapping's merge keys gathered only when it has one, and a plain text scalar (most values and
keys) taken at once. It counts nodes, nests, reports unknown tags, bad scalars and non-scalar
keys, notes data JSON does not hold exactly (`plain`) and reads merge keys (through `Builder`
itself) exactly as `Builder` does, and a duplicate key sends the document to `Builder` with
pointers, whose problem names one, as before. tests/test_plain_build.py compares the two on
random documents, problems, limits and `plain` included.
"""

from __future__ import annotations

import sys

from floe_lint.load import tagged
from floe_lint.load.problems import LoadProblem
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
    from typing import Any

_SCALAR, _MAPPING = yaml.ScalarNode, yaml.MappingNode
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_intern = sys.intern


class Plain(Builder):
    """`Builder(lines, problems, pointers=False).build(node, "")`, for loading (see above)."""

    def data(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise TooManyNodes
        tag = node.tag
        if tag not in SAFE_TAGS:
            self._unknown_tag(node)
        if isinstance(node, _SCALAR):
            if tag == _STR_TAG and node.value:  # (`_scalar`'s first case, for a text)
                return _intern(node.value)
            return self._scalar(node)
        if isinstance(node, _MAPPING):
            mapping = self._data_of_mapping(node)
            if tag == tagged.SET_TAG:
                self.plain = False
                return tagged.Set(mapping)
            return mapping
        self._enter(node)  # a sequence
        items = []
        for item in node.value:
            if item.tag == _STR_TAG and type(item) is _SCALAR and item.value:
                self.count += 1  # `data` of a plain text item, written out
                if self.count > MAX_NODES:
                    raise TooManyNodes
                items.append(_intern(item.value))
            else:
                items.append(self.data(item))
        self.depth -= 1
        return items

    def _data_of_mapping(self, node: yaml.MappingNode) -> dict[Any, Any]:
        self._enter(node)
        result: dict[Any, Any] = {}
        merges: Merges | None = None
        for index, (key_node, value_node) in enumerate(node.value):
            tag = key_node.tag
            if tag == _MERGE_TAG:
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
            tag = value_node.tag
            if tag == _STR_TAG and type(value_node) is _SCALAR and value_node.value:
                self.count += 1  # `data` of a plain text value, written out
                if self.count > MAX_NODES:
                    raise TooManyNodes
                result[key] = _intern(value_node.value)
            else:
                result[key] = self.data(value_node)
        if merges is not None:
            for key, value in merges.read("", result).items():
                result.setdefault(key, value)  # explicit keys win over merged ones
        self.depth -= 1
        return result


def build(
    root: yaml.Node, lines: list[str], problems: list[LoadProblem], odd: list[bool] | None = None
) -> Any:
    """`yaml_tree.build`: the data of a composed document, its problems appended to
    `problems`, a True to `odd` when the data is not JSON's exactly; a duplicate key builds it
    again with pointers, as there."""
    found: list[LoadProblem] = []
    builder: Builder = Plain(lines, found, pointers=False)
    try:
        return builder.data(root)  # type: ignore[attr-defined]
    except NeedPointers:
        found = []
        builder = Builder(lines, found)
        return builder.build(root, "")
    finally:
        problems.extend(found)
        if odd is not None and not builder.plain:
            odd.append(True)
