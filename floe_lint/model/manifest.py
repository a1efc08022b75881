"""A platform manifest as the model sees it, whatever dialect it was written in: its scope,
its parent ref, its approved computes and its default, each with the node it came from."""

from __future__ import annotations

from floe_lint.load.document import Document, Node
from floe_lint.model.governance import Setting
from floe_lint.record import Frozen, NamedTuple, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ComputeEntry(Frozen):
    """One approved compute, as written (`node` is the item; `name_node` holds its name)."""

    __slots__ = ("config", "config_node", "connection_secret_ref", "name", "name_node", "node")
    name: str
    node: Node
    name_node: Node
    config: dict[str, Any]
    connection_secret_ref: str | None
    config_node: Node

    def __init__(
        self,
        name: str,
        node: Node,
        name_node: Node,
        config: dict[str, Any],
        connection_secret_ref: str | None,
        config_node: Node,
    ) -> None:
        set_field(self, "name", name)
        set_field(self, "node", node)
        set_field(self, "name_node", name_node)
        set_field(self, "config", config)
        set_field(self, "connection_secret_ref", connection_secret_ref)
        set_field(self, "config_node", config_node)

    @property
    def pointer(self) -> str:
        return self.node.pointer

    @property
    def name_pointer(self) -> str:
        return self.name_node.pointer


class Selection(NamedTuple):
    """The plugin a manifest selects for one category (upstream Floe: `plugins.<category>`)."""

    category: str
    type: str
    type_node: Node


class Whitelist(NamedTuple):
    """The plugins a level lets the levels below it select in one category."""

    category: str
    names: tuple[str, ...]
    node: Node


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
    #: how a user sets this level's default, for messages
    default_key: str = "plugins.compute.default"
    #: the level states no compute and keeps its parent's (upstream: no `plugins.compute`)
    inherits: bool = False
    #: per category, what levels below may select (upstream: `approved_plugins`); the
    #: `compute` one narrows what they may approve (ADR-0010: the approved list does)
    whitelists: tuple[Whitelist, ...] = ()
    #: levels below are restricted by the whitelists alone (upstream), not by this level's
    #: approved list (ADR-0010)
    restricts_by_whitelist: bool = False
    #: non-compute plugin selections, checked against the whitelists above
    selections: tuple[Selection, ...] = ()
    #: the products a domain approves (None: no such list) and the node listing them
    approved_products: tuple[str, ...] | None = None
    approved_products_node: Node | None = None
    #: the sink types an enterprise lets reverse-ETL destinations use (None: no such list)
    approved_sinks: tuple[str, ...] | None = None
    approved_sinks_node: Node | None = None
    #: keys that make the manifest environment-specific (upstream forbids them)
    environment_nodes: tuple[Node, ...] = ()
    #: top-level keys the dialect tolerates but does not know (warned about), and those it knows
    unknown_nodes: tuple[Node, ...] = ()
    known_keys: frozenset[str] = frozenset()
    #: (key node, the only scope it is valid on) for keys placed at another scope
    misplaced: tuple[tuple[Node, str], ...] = ()
    #: blocks that override settings per environment, compared with the base by
    #: environment-override (ADR-0010); none in a dialect that forbids them
    environment_blocks: tuple[str, ...] = ("environments", "env_overrides", "overrides")
    #: the ordered governance values this level writes (`governance:`), see model.governance
    governance: tuple[Setting, ...] = ()

    def whitelist(self, category: str) -> Whitelist | None:
        """What levels below may select in `category`; None: this level does not say."""
        return next((w for w in self.whitelists if w.category == category), None)

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
