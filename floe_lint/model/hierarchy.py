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
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.paths import relative_posix
from floe_lint.load.workspace import Workspace
from floe_lint.model.refs import RefError, Resolver

ParentStatus = Literal["none", "resolved", "unresolved", "cycle"]
PARENT_POINTER = "/parent_manifest"
PLATFORM_POINTER = "/platform/ref"
APPROVED_POINTER = "/plugins/compute/approved"
DEFAULT_POINTER = "/plugins/compute/default"


@dataclass(frozen=True, slots=True)
class ComputeEntry:
    """One item of an approved list, as written (`pointer` is the item's node)."""

    name: str
    pointer: str
    config: dict[str, Any]
    connection_secret_ref: str | None
    bare: bool = True

    @property
    def name_pointer(self) -> str:
        """The node holding the name: the item itself, or its `name` key."""
        return self.pointer if self.bare else ptr.join(self.pointer, "name")


@dataclass(frozen=True, slots=True)
class EffectiveCompute:
    name: str
    config: dict[str, Any]
    connection_secret_ref: str | None
    entry: ComputeEntry
    level: Level


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
    """The approved list of a manifest, tolerating (and skipping) malformed items."""
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


class Hierarchy:
    """Resolves refs lazily and memoizes one `Level` per manifest document."""

    def __init__(self, workspace: Workspace, resolver: Resolver):
        self.workspace = workspace
        self.resolver = resolver
        self.problems: list[RefProblem] = []
        self._levels: dict[int, Level] = {}
        self._in_progress: set[int] = set()
        self._platforms: dict[int, Level | None] = {}

    def _follow(self, doc: Document, pointer: str, what: str) -> Document | None:
        text = doc.get(pointer)
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
        self.problems.append(
            RefProblem(
                doc,
                pointer,
                f"{what} '{text}' resolves to {_shown(path)}, but "
                + _not_a_manifest(source, self.workspace.is_reported(path)),
            )
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
        """The level a product's `platform.ref` names, or None when it cannot be resolved."""
        key = id(product)
        if key not in self._platforms:
            target = self._follow(product, PLATFORM_POINTER, "platform.ref")
            self._platforms[key] = self.level(target) if target is not None else None
        return self._platforms[key]

    def levels(self) -> list[Level]:
        return list(self._levels.values())


def _apply_policy(level: Level) -> None:
    parent = level.parent
    for entry in level.entries:
        if entry.name in level.approved:
            continue
        if parent is None:
            level.approved[entry.name] = EffectiveCompute(
                entry.name, dict(entry.config), entry.connection_secret_ref, entry, level
            )
        elif entry.name in parent.approved:
            inherited = parent.approved[entry.name]
            level.approved[entry.name] = EffectiveCompute(
                entry.name,
                {**inherited.config, **entry.config},
                entry.connection_secret_ref or inherited.connection_secret_ref,
                entry,
                level,
            )
    own_default = level.doc.get(DEFAULT_POINTER)
    if isinstance(own_default, str):
        level.default, level.default_level = own_default, level
    elif parent is not None:
        level.default, level.default_level = parent.default, parent.default_level


def _not_a_manifest(source: SourceFile, reported: bool) -> str:
    """Why a ref's target is no manifest, in words that quote nothing of it.

    A target that is not reported on its own (see `Workspace.reach`) may be any file the ref
    names, such as /proc/self/environ or a private key: only its line and column are given.
    """
    if any(d.kind for d in source.documents):
        return "it is not a manifest (it is a floe.yaml product)"
    if reported:
        return "it is not valid YAML (see its own findings)"
    read = next((p for p in source.problems if p.message.startswith("cannot read")), None)
    if read is not None:
        return read.message.replace("cannot read file", "it cannot be read", 1)
    if source.problems:
        span = source.problems[0].span
        return (
            f"it is not valid YAML (line {span.start_line}, column {span.start_col}; "
            "lint it on its own to see why)"
        )
    return "it is not a Floe manifest"


def _shown(path: Path) -> str:
    return relative_posix(path)
