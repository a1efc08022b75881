"""The governance hierarchy: product -> domain(s) -> enterprise, and each level's effective policy.

A level's effective approved list is its own list narrowed to what its parent effectively
approves; a restated compute's config overrides the parent's key by key. A level without a
`default` inherits its parent's. Each manifest is resolved once, whatever references it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from floe_lint.load import pointer as ptr
from floe_lint.load.document import Document
from floe_lint.load.paths import relative_posix
from floe_lint.load.workspace import Workspace
from floe_lint.model import floe_dialect
from floe_lint.model.refs import RefError, Resolver

ParentStatus = Literal["none", "resolved", "unresolved", "cycle"]
PARENT_POINTER = "/parent_manifest"
PLATFORM_POINTER = "/platform/ref"
APPROVED_POINTER = "/plugins/compute/approved"
DEFAULT_POINTER = "/plugins/compute/default"
# upstream Floe's code dialect
MANIFEST_POINTER = "/platform/manifest"
SELECTION_POINTER = "/plugins/compute"
DEFAULTS_POINTER = "/defaults/compute"
WHITELIST_POINTER = "/approved_plugins/compute"
APPROVED_PRODUCTS_POINTER = "/approved_products"


@dataclass(frozen=True, slots=True)
class ComputeEntry:
    """One item of an approved list, as written (`pointer` is the item's node)."""

    name: str
    pointer: str
    config: dict[str, Any]
    connection_secret_ref: str | None
    bare: bool = True
    name_key: str = "name"

    @property
    def name_pointer(self) -> str:
        """The node holding the name: the item itself, or its `name` (`type`) key."""
        return self.pointer if self.bare else ptr.join(self.pointer, self.name_key)


@dataclass(frozen=True, slots=True)
class EffectiveCompute:
    name: str
    config: dict[str, Any]
    connection_secret_ref: str | None
    entry: ComputeEntry
    level: Level


@dataclass(frozen=True, slots=True)
class Allowance:
    """What a level lets the levels below it approve, and where that list is written.

    ADR-0010: its own effective approved list. Upstream's dialect: an enterprise's
    `approved_plugins.compute`; a domain passes its parent's on. `names` None: unrestricted.
    """

    names: frozenset[str] | None
    level: Level
    pointer: str


@dataclass(eq=False)
class Level:
    """One manifest in the hierarchy with its effective policy."""

    doc: Document
    parent: Level | None = None
    parent_status: ParentStatus = "none"
    entries: list[ComputeEntry] = field(default_factory=list)
    approved: dict[str, EffectiveCompute] = field(default_factory=dict)
    default: str | None = None
    default_level: Level | None = None
    #: the level states no compute of its own and takes its parent's (upstream's dialect)
    inherits: bool = False
    allowance: Allowance | None = None

    @property
    def approved_pointer(self) -> str:
        """The node that lists this level's own computes (or would)."""
        return APPROVED_POINTER if self.doc.dialect != "floe" else SELECTION_POINTER

    # What upstream's dialect states beyond computes (ADR-0010 levels state none of it).

    @property
    def selections(self) -> list[floe_dialect.Selection]:
        """One plugin per category (`plugins.<category>.type`)."""
        return floe_dialect.selections(self.doc.data) if self.doc.dialect == "floe" else []

    @property
    def whitelists(self) -> dict[str, floe_dialect.Whitelist]:
        """`approved_plugins`: category -> the plugin types levels below may select."""
        return floe_dialect.whitelists(self.doc.data) if self.doc.dialect == "floe" else {}

    @property
    def approved_products(self) -> list[str] | None:
        """The products a domain approves (`approved_products`); None: no such list."""
        names = self.doc.get(APPROVED_PRODUCTS_POINTER) if self.doc.dialect == "floe" else None
        return [n for n in names if isinstance(n, str)] if isinstance(names, list) else None

    @property
    def environment_keys(self) -> list[str]:
        """Pointers of environment-specific top-level keys (upstream forbids them)."""
        return floe_dialect.environment_keys(self.doc.data) if self.doc.dialect == "floe" else []

    @property
    def unknown_keys(self) -> list[str]:
        """Pointers of top-level keys upstream tolerates with a warning."""
        return floe_dialect.unknown_keys(self.doc.data) if self.doc.dialect == "floe" else []

    @property
    def misplaced_keys(self) -> list[tuple[str, str]]:
        """(pointer, the scope it belongs to) of whitelists on a level of another scope."""
        return floe_dialect.misplaced_keys(self.doc.data) if self.doc.dialect == "floe" else []

    @property
    def approver(self) -> Level:
        """The nearest level (this one or above) that states the computes this one has."""
        level = self
        while level.inherits and level.parent is not None:
            level = level.parent
        return level

    @property
    def default_pointer(self) -> str:
        """The node that sets this level's own default compute."""
        return own_default(self.doc)[1]

    @property
    def default_key(self) -> str:
        """How a user sets a default in this level's dialect, for messages."""
        return "plugins.compute.default" if self.doc.dialect != "floe" else "defaults.compute"

    @property
    def children_allowed(self) -> Allowance:
        """What levels below this one may approve."""
        if self.allowance is not None:
            return self.allowance
        return Allowance(frozenset(self.approved), self, self.approved_pointer)

    @property
    def scope(self) -> str | None:
        scope = self.doc.get("/scope")
        return scope if isinstance(scope, str) else None

    @property
    def label(self) -> str:
        """`domain 'sales' (platform/sales/manifest.yaml)`-style name for messages."""
        name = self.doc.get("/metadata/name")
        kind = self.scope or "platform"
        return (
            f"{kind} '{name}'" if isinstance(name, str) else f"{kind} manifest {self.doc.path.name}"
        )

    def chain(self) -> list[Level]:
        """This level and its ancestors, nearest first."""
        levels: list[Level] = []
        level: Level | None = self
        while level is not None and level not in levels:
            levels.append(level)
            level = level.parent
        return levels

    def remover_of(self, name: str) -> Level | None:
        """The level that dropped `name` from what its parent approved, if any level did."""
        chain = self.chain()
        for child, parent in itertools.pairwise(chain):
            if name in parent.approved and name not in child.approved:
                return child
        return None


@dataclass(frozen=True, slots=True)
class RefProblem:
    """A ref that could not be followed, reported at the referencing node."""

    doc: Document
    pointer: str
    message: str
    cycle: bool = False
    rule: str = "unresolved-ref"


def compute_entries(doc: Document) -> list[ComputeEntry]:
    """The computes a manifest approves itself, tolerating (and skipping) malformed items.

    ADR-0010: its approved list. Upstream's dialect: its one `plugins.compute` selection.
    """
    if doc.dialect == "floe":
        return _selected_compute(doc)
    approved = doc.get(APPROVED_POINTER)
    entries: list[ComputeEntry] = []
    if not isinstance(approved, list):
        return entries
    for index, item in enumerate(approved):
        pointer = ptr.join(APPROVED_POINTER, index)
        if isinstance(item, str):
            entries.append(ComputeEntry(item, pointer, {}, None))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            config = item.get("config")
            secret = item.get("connection_secret_ref")
            entries.append(
                ComputeEntry(
                    item["name"],
                    pointer,
                    config if isinstance(config, dict) else {},
                    secret if isinstance(secret, str) else None,
                    bare=False,
                )
            )
    return entries


def _selected_compute(doc: Document) -> list[ComputeEntry]:
    selection = doc.get(SELECTION_POINTER)
    name = selection.get("type") if isinstance(selection, dict) else None
    if not isinstance(selection, dict) or not isinstance(name, str) or not name.strip():
        return []
    config = selection.get("config")
    secret = selection.get("connection_secret_ref")
    return [
        ComputeEntry(
            name.strip(),
            SELECTION_POINTER,
            config if isinstance(config, dict) else {},
            secret if isinstance(secret, str) else None,
            bare=False,
            name_key="type",
        )
    ]


def own_default(doc: Document) -> tuple[Any, str]:
    """A manifest's own default compute as written (None: it sets none) and its node.

    Upstream's dialect: `defaults.compute`, else the one selected compute.
    """
    if doc.dialect != "floe":
        return doc.get(DEFAULT_POINTER), DEFAULT_POINTER
    if doc.get(DEFAULTS_POINTER) is not None:
        return doc.get(DEFAULTS_POINTER), DEFAULTS_POINTER
    entries = _selected_compute(doc)
    if entries:
        return entries[0].name, entries[0].name_pointer
    return None, DEFAULTS_POINTER


def overlay_blocks(doc: Document) -> tuple[str, ...]:
    """ADR-0010's per-environment blocks of a document. Upstream's dialect has none: its
    manifests are environment-agnostic and such keys are errors of their own."""
    return () if doc.dialect == "floe" else ("environments", "env_overrides", "overrides")


def platform_pointer(doc: Document) -> str:
    """The node of a product that names its platform manifest."""
    return MANIFEST_POINTER if doc.dialect == "floe" else PLATFORM_POINTER


def platform_optional(doc: Document) -> bool:
    """Upstream's products may leave the platform to `--manifest` (ADR-0010's must name it)."""
    return doc.dialect == "floe"


class Hierarchy:
    """Resolves refs lazily and memoizes one `Level` per manifest document."""

    def __init__(self, workspace: Workspace, resolver: Resolver, manifest: str | None = None):
        self.workspace = workspace
        self.resolver = resolver
        #: the platform of products that name none (`--manifest`, the config's `manifest`)
        self.manifest = manifest
        self.problems: list[RefProblem] = []
        self._levels: dict[int, Level] = {}
        self._in_progress: set[int] = set()
        self._platforms: dict[int, Level | None] = {}
        self._unlinked: set[int] = set()

    def _follow(self, doc: Document, pointer: str, what: str, text: Any = None) -> Document | None:
        text = doc.get(pointer) if text is None else text
        if not isinstance(text, str) or not text.strip():
            return None
        try:
            path = self.resolver.resolve(text, doc.path)
        except RefError as error:
            self.problems.append(
                RefProblem(
                    doc, pointer, f"cannot resolve {what} '{text}': {error}", rule=error.rule
                )
            )
            return None
        source = self.workspace.reach(path)
        for target in source.documents:
            if target.kind == "manifest":
                return target
        reason = (
            "it is not valid YAML (see its own findings)"
            if source.problems
            else "it is not a manifest"
        )
        self.problems.append(
            RefProblem(doc, pointer, f"{what} '{text}' resolves to {_shown(path)}, but {reason}")
        )
        return None

    def level(self, doc: Document) -> Level:
        """The effective policy of a manifest document, resolving its parents first."""
        key = id(doc)
        if key in self._levels:
            return self._levels[key]
        self._in_progress.add(key)
        level = Level(doc, entries=compute_entries(doc))
        if doc.get(PARENT_POINTER) is not None:
            parent_doc = self._follow(doc, PARENT_POINTER, "parent_manifest")
            if parent_doc is None:
                level.parent_status = "unresolved"
            elif id(parent_doc) in self._in_progress:
                level.parent_status = "cycle"
                self.problems.append(
                    RefProblem(
                        doc,
                        PARENT_POINTER,
                        f"parent_manifest '{doc.get(PARENT_POINTER)}' leads back to "
                        f"{_shown(parent_doc.path)}, which is already in this hierarchy (a cycle)",
                        cycle=True,
                    )
                )
            else:
                level.parent = self.level(parent_doc)
                level.parent_status = "resolved"
        _apply_policy(level)
        self._in_progress.discard(key)
        self._levels[key] = level
        return level

    def platform(self, product: Document) -> Level | None:
        """The level a product's `platform.ref` (`platform.manifest`) names, or None when it
        cannot be resolved. A product that may name none takes `--manifest` (the config's
        `manifest`), else the manifest.yaml beside it."""
        key = id(product)
        if key not in self._platforms:
            pointer = platform_pointer(product)
            if product.get(pointer) is None and platform_optional(product):
                target = self._fallback(product)
            else:
                target = self._follow(product, pointer, pointer[1:].replace("/", "."))
            self._platforms[key] = self.level(target) if target is not None else None
        return self._platforms[key]

    def unlinked(self, product: Document) -> bool:
        """True when a product names no platform and none was given or found beside it."""
        self.platform(product)
        return id(product) in self._unlinked

    def _fallback(self, product: Document) -> Document | None:
        if self.manifest is not None:
            return self._follow(product, MANIFEST_POINTER, "--manifest", self.manifest)
        for name in ("manifest.yaml", "manifest.yml"):
            sibling = product.path.parent / name
            if sibling.is_file():
                for target in self.workspace.reach(sibling).documents:
                    if target.kind == "manifest":
                        return target
        self._unlinked.add(id(product))
        return None

    def levels(self) -> list[Level]:
        return list(self._levels.values())


def _apply_policy(level: Level) -> None:
    parent = level.parent
    doc = level.doc
    if doc.dialect == "floe" and parent is not None and doc.get(SELECTION_POINTER) is None:
        level.inherits = True  # upstream: a domain without plugins.compute keeps its parent's
        level.approved = dict(parent.approved)
    allowed = parent.children_allowed.names if parent is not None else None
    for entry in level.entries:
        if entry.name in level.approved or (allowed is not None and entry.name not in allowed):
            continue
        inherited = parent.approved.get(entry.name) if parent is not None else None
        level.approved[entry.name] = EffectiveCompute(
            entry.name,
            {**(inherited.config if inherited else {}), **entry.config},
            entry.connection_secret_ref or (inherited.connection_secret_ref if inherited else None),
            entry,
            level,
        )
    if doc.dialect == "floe":
        level.allowance = _whitelist(level, allowed)
    value, _ = own_default(doc)
    if isinstance(value, str):
        level.default, level.default_level = value, level
    elif parent is not None:
        level.default, level.default_level = parent.default, parent.default_level


def _whitelist(level: Level, above: frozenset[str] | None) -> Allowance:
    """Upstream's dialect: a level's `approved_plugins.compute` narrows what is allowed below
    it; without one, what its parent allows passes through (unrestricted at the top)."""
    names = level.doc.get(WHITELIST_POINTER)
    if isinstance(names, list):
        own = frozenset(n for n in names if isinstance(n, str))
        return Allowance(own if above is None else own & above, level, WHITELIST_POINTER)
    if level.parent is not None:
        return level.parent.children_allowed
    return Allowance(None, level, WHITELIST_POINTER)


def _shown(path: Path) -> str:
    return relative_posix(path)
