"""One manifest in the governance hierarchy with its effective policy (see `hierarchy`, which
builds the levels): what it approves, its default, and what it lets the levels below approve."""

from __future__ import annotations

import itertools

from floe_lint.load.document import Document, Node
from floe_lint.model.governance import Allowed, InForce, Weakening, Widening
from floe_lint.model.manifest import ComputeEntry, Manifest
from floe_lint.record import Frozen, Record, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    ParentStatus = Literal["none", "resolved", "unresolved", "cycle"]


class EffectiveCompute(Frozen):
    __slots__ = ("config", "connection_secret_ref", "entry", "level", "name")
    name: str
    config: dict[str, Any]
    connection_secret_ref: str | None
    entry: ComputeEntry
    level: Level

    def __init__(
        self,
        name: str,
        config: dict[str, Any],
        connection_secret_ref: str | None,
        entry: ComputeEntry,
        level: Level,
    ) -> None:
        set_field(self, "name", name)
        set_field(self, "config", config)
        set_field(self, "connection_secret_ref", connection_secret_ref)
        set_field(self, "entry", entry)
        set_field(self, "level", level)


class Allowance(Frozen):
    """What a level lets the levels below it approve (`names` None: anything), and the level
    and node that say so. (A record, not a named tuple: defining one costs start-up.)"""

    __slots__ = ("level", "names", "node")
    names: frozenset[str] | None
    level: Level
    node: Node

    def __init__(self, names: frozenset[str] | None, level: Level, node: Node) -> None:
        set_field(self, "names", names)
        set_field(self, "level", level)
        set_field(self, "node", node)


class Level(Record):
    """One manifest in the hierarchy with its effective policy."""

    __slots__ = (
        "approved",
        "default",
        "default_level",
        "governance",
        "manifest",
        "parent",
        "parent_status",
        "plugins_allowed",
        "weakenings",
        "widenings",
    )
    manifest: Manifest
    parent: Level | None
    parent_status: ParentStatus
    approved: dict[str, EffectiveCompute]
    default: str | None
    default_level: Level | None
    #: governance in force here (dotted field -> value and where it is written), and the
    #: values this level writes weaker than what is in force above it
    governance: dict[str, InForce]
    weakenings: list[Weakening]
    #: per plugin category, what levels below may select, and the names this level's
    #: whitelists add to what is allowed above it
    plugins_allowed: dict[str, Allowed]
    widenings: list[Widening]

    def __init__(
        self,
        manifest: Manifest,
        parent: Level | None = None,
        parent_status: ParentStatus = "none",
        approved: dict[str, EffectiveCompute] | None = None,
        default: str | None = None,
        default_level: Level | None = None,
        governance: dict[str, InForce] | None = None,
        weakenings: list[Weakening] | None = None,
        plugins_allowed: dict[str, Allowed] | None = None,
        widenings: list[Widening] | None = None,
    ) -> None:
        self.manifest = manifest
        self.parent = parent
        self.parent_status = parent_status
        self.approved = {} if approved is None else approved
        self.default = default
        self.default_level = default_level
        self.governance = {} if governance is None else governance
        self.weakenings = [] if weakenings is None else weakenings
        self.plugins_allowed = {} if plugins_allowed is None else plugins_allowed
        self.widenings = [] if widenings is None else widenings

    @property
    def doc(self) -> Document:
        return self.manifest.doc

    @property
    def node(self) -> Node:
        return self.manifest.node

    @property
    def entries(self) -> tuple[ComputeEntry, ...]:
        """The approved list as written (before narrowing by the parent)."""
        return self.manifest.entries

    @property
    def scope(self) -> str | None:
        return self.manifest.scope

    @property
    def scope_node(self) -> Node:
        return self.manifest.scope_node

    @property
    def has_parent(self) -> bool:
        return self.manifest.has_parent

    @property
    def parent_node(self) -> Node:
        return self.manifest.parent_node

    @property
    def ref_node(self) -> Node:
        """The node naming the level above (for a manifest: its parent ref)."""
        return self.manifest.parent_node

    @property
    def approved_node(self) -> Node:
        return self.manifest.approved_node

    @property
    def default_node(self) -> Node:
        """The node of this level's own default (a missing key points at its parent)."""
        return self.manifest.default_node

    @property
    def label(self) -> str:
        """`domain 'sales' (platform/sales/manifest.yaml)`-style name for messages."""
        return self.manifest.label

    @property
    def default_key(self) -> str:
        """How a user sets this level's default (`plugins.compute.default`, ...), for messages."""
        return self.manifest.default_key

    @property
    def inherits(self) -> bool:
        """The level states no compute and keeps its parent's."""
        return self.manifest.inherits and self.parent is not None

    @property
    def approver(self) -> Level:
        """The nearest level, this one or above, that states the computes this one has."""
        level = self
        while level.inherits and level.parent is not None:
            level = level.parent
        return level

    @property
    def children_allowed(self) -> Allowance:
        """What levels below this one may approve: a `compute` whitelist of this level, else
        (when it has whitelists of its own kind) what its parent allows, else its own
        effective approved list."""
        whitelist = self.manifest.whitelist("compute")
        above = self.parent.children_allowed if self.parent is not None else None
        if whitelist is not None:
            names = frozenset(whitelist.names)
            if above is not None and above.names is not None:
                names &= above.names
            return Allowance(names, self, whitelist.node)
        if self.manifest.restricts_by_whitelist:  # upstream's dialect: a domain passes it on
            return above if above is not None else Allowance(None, self, self.approved_node)
        return Allowance(frozenset(self.approved), self, self.approved_node)

    def chain(self) -> list[Level]:
        """This level and its ancestors, nearest first."""
        levels: list[Level] = []
        level: Level | None = self
        while level is not None and level not in levels:
            levels.append(level)
            level = level.parent
        return levels

    @property
    def list_unknown(self) -> bool:
        """Whether this level's computes would be inherited from a parent that could not be
        loaded (its effective approved list is then unknown, not empty)."""
        approver = self.approver
        return approver.manifest.inherits and approver.parent_status in ("unresolved", "cycle")

    def unloaded(self) -> Level | None:
        """The nearest level of the chain (this one or above) whose parent manifest could not
        be loaded (an unresolved ref, a file that is not a manifest, a cycle), or a domain that
        names no parent at all: what it would inherit is unknown, so nothing below it can be
        judged on inherited policy."""
        for level in self.chain():
            if level.parent_status in ("unresolved", "cycle") or self._orphan(level):
                return level
        return None

    @staticmethod
    def _orphan(level: Level) -> bool:
        """A domain without a parent_manifest (scope-mismatch reports it): its parent is lost."""
        return level.parent_status == "none" and level.scope == "domain"

    def remover_of(self, name: str) -> Level | None:
        """The level that dropped `name` from what its parent approved, if any level did."""
        chain = self.chain()
        for child, parent in itertools.pairwise(chain):
            if name in parent.approved and name not in child.approved:
                return child
        return None
