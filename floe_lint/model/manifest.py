"""A platform manifest as the model sees it, whatever dialect it was written in: its scope,
its parent ref, its approved computes and its default, each with the node it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from floe_lint.load.document import Document, Node


@dataclass(frozen=True, slots=True)
class ComputeEntry:
    """One approved compute, as written (`node` is the item; `name_node` holds its name)."""

    name: str
    node: Node
    name_node: Node
    config: dict[str, Any]
    connection_secret_ref: str | None
    config_node: Node

    @property
    def pointer(self) -> str:
        return self.node.pointer

    @property
    def name_pointer(self) -> str:
        return self.name_node.pointer


class Manifest(NamedTuple):
    """What a manifest document says, before its parents are resolved.

    `default` is the value as written (a name, or something malformed that rules explain);
    `has_parent` is true when a parent ref is written at all, even if it is not a string.
    """

    doc: Document
    node: Node
    scope: str | None
    scope_node: Node
    name: str | None
    parent_ref: str | None
    has_parent: bool
    parent_node: Node
    entries: tuple[ComputeEntry, ...]
    approved_node: Node
    default: Any
    default_node: Node

    @property
    def ref_node(self) -> Node:
        """The node naming the level above (for a manifest: its parent ref)."""
        return self.parent_node

    @property
    def label(self) -> str:
        """`domain 'sales'`-style name for messages."""
        kind = self.scope or "platform"
        return (
            f"{kind} '{self.name}'"
            if self.name is not None
            else f"{kind} manifest {self.doc.path.name}"
        )
