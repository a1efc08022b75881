"""The governance hierarchy: product -> domain(s) -> enterprise, and each level's effective policy.

A level's effective approved list is its own list narrowed to what its parent allows levels
below it (ADR-0010: the parent's effective list; upstream Floe: the enterprise's
`approved_plugins.compute`, when it has one); a restated compute's config overrides the
parent's key by key. A level that states no compute keeps its parent's; one without a
default inherits its parent's. Each manifest is resolved once, whatever references it.
"""

from __future__ import annotations

import os
from pathlib import Path

from floe_lint.load.document import Document, Node, SourceFile
from floe_lint.load.paths import relative_posix
from floe_lint.load.workspace import Workspace
from floe_lint.model.dialects import manifest_of, product_of
from floe_lint.model.governance import narrow, resolve
from floe_lint.model.level import EffectiveCompute, Level
from floe_lint.model.product import Product
from floe_lint.model.refs import RefError, Resolver
from floe_lint.record import Frozen, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class RefProblem(Frozen):
    """A ref that could not be followed, reported at the referencing node."""

    __slots__ = ("cycle", "message", "node", "rule")
    node: Node
    message: str
    cycle: bool
    rule: str

    def __init__(
        self, node: Node, message: str, cycle: bool = False, rule: str = "unresolved-ref"
    ) -> None:
        set_field(self, "node", node)
        set_field(self, "message", message)
        set_field(self, "cycle", cycle)
        set_field(self, "rule", rule)

    @property
    def doc(self) -> Document:
        return self.node.doc

    @property
    def pointer(self) -> str:
        return self.node.pointer


class Hierarchy:
    """Resolves refs lazily and memoizes one `Level` per manifest document."""

    def __init__(
        self,
        workspace: Workspace,
        resolver: Resolver,
        manifest: str | None = None,
        refs: dict[tuple[str, str], tuple[Path, Path]] | None = None,
    ):
        self.workspace = workspace
        self.resolver = resolver
        #: the platform of products that name none (`--manifest`, the config's `manifest`)
        self.manifest = manifest
        self.problems: list[RefProblem] = []
        self._levels: dict[int, Level] = {}
        self._in_progress: set[int] = set()
        self._platforms: dict[int, Level | None] = {}
        self._products: dict[int, Product] = {}
        self._unlinked: set[int] = set()
        #: the platforms of forgotten products, by id
        self._named: dict[int, Level] = {}
        #: (folder, relative ref) -> (the path it resolved to, its key): see `_resolved`;
        #: `refs`: those of another run over the same tree with the same overrides (`impact`)
        self._refs: dict[tuple[str, str], tuple[Path, Path]] = {} if refs is None else refs

    def _follow(self, node: Node, what: str, text: Any = None) -> Document | None:
        text = node.value if text is None else text
        if not isinstance(text, str):
            return None
        if not text.strip():
            if what != "parent_manifest":  # scope-mismatch explains a blank parent
                self.problems.append(
                    RefProblem(
                        node,
                        f"{what} is blank, so it names no manifest and nothing about this "
                        "product is checked against a platform; write a path or an oci:// ref",
                    )
                )
            return None
        try:
            path, key = self._resolved(text, node.doc.path)
        except RefError as error:
            self.problems.append(
                RefProblem(node, f"cannot resolve {what} '{text}': {error}", rule=error.rule)
            )
            return None
        source = self.workspace.reach_as(path, key)
        for target in source.documents:
            if target.kind == "manifest":
                return target
        self.problems.append(
            RefProblem(
                node,
                f"{what} '{text}' resolves to {_shown(path)}, but "
                + _not_a_manifest(source, self.workspace.is_reported(path)),
            )
        )
        return None

    def _resolved(self, text: str, base: Path) -> tuple[Path, Path]:
        """`resolver.resolve(text, base)` and its key (`Workspace.reach_key`). A relative ref
        that resolved is remembered by (its folder, its text), each leading `../` taken off
        while the folder is one the walk listed below its top (a folder, no symbolic link, so
        its `..` is the folder above it by name): the products of a domain share one answer
        however deep they lie. A ref that failed is resolved again (its message names it)."""
        ref = text.strip()
        memo = None
        if "://" not in ref and ref not in self.resolver.overrides:
            folder = os.path.dirname(os.fspath(base)) or "."  # (`str(base.parent)`, no Path)
            listed = self.workspace.listed
            # (not `..//x`: from the folder above, `/x` would be another file)
            while ref.startswith("../") and ref[3:4] != "/":
                above = listed.up(folder)
                if above is None:
                    break
                folder, ref = above, ref[3:]
            memo = (folder, ref)
            found = self._refs.get(memo)
            if found is not None:
                return found
        path = self.resolver.resolve(text, base)
        found = path, self.workspace.reach_key(path)
        if memo is not None:
            self._refs[memo] = found
        return found

    def level(self, doc: Document) -> Level:
        """The effective policy of a manifest document, resolving its parents first."""
        key = id(doc)
        if key in self._levels:
            return self._levels[key]
        self._in_progress.add(key)
        manifest = manifest_of(doc)
        level = Level(manifest)
        if manifest.has_parent:
            parent_doc = self._follow(manifest.parent_node, "parent_manifest")
            if parent_doc is None:
                level.parent_status = "unresolved"
            elif id(parent_doc) in self._in_progress:
                level.parent_status = "cycle"
                self.problems.append(
                    RefProblem(
                        manifest.parent_node,
                        f"parent_manifest '{manifest.parent_node.value}' leads back to "
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
        """The level a product's platform ref names, or None when it cannot be resolved.

        A product whose dialect lets it name none takes `--manifest` (or the config's
        `manifest`), else the manifest.yaml beside it; with neither it is unlinked.
        """
        key = id(product)
        if key not in self._platforms:
            model = product_of(product)
            if model.platform_node.value is None and model.platform_optional:
                target = self._fallback(model)
            else:
                target = self._follow(model.platform_node, model.platform_key)
            self._platforms[key] = self.level(target) if target is not None else None
        return self._platforms[key]

    def _fallback(self, product: Product) -> Document | None:
        if self.manifest is not None:
            return self._follow(product.platform_node, "--manifest", self.manifest)
        for name in ("manifest.yaml", "manifest.yml"):
            sibling = product.doc.path.parent / name
            if sibling.is_file():
                for target in self.workspace.reach(sibling).documents:
                    if target.kind == "manifest":
                        return target
        self._unlinked.add(id(product.doc))
        return None

    def product(self, doc: Document) -> Product:
        """The model of a product document, with the level its platform ref resolves to."""
        key = id(doc)
        if key not in self._products:
            platform = self.platform(doc)
            self._products[key] = product_of(doc)._replace(
                platform=platform, unlinked=id(doc) in self._unlinked
            )
        return self._products[key]

    def forget(self, doc: Document) -> None:
        """Drop the model of a product document whose rules ran (floe_lint.lint.stream); its
        platform stays known (`is_platform`)."""
        self._products.pop(id(doc), None)
        # (once the document is freed, its id() may be another's: that one is not unlinked)
        self._unlinked.discard(id(doc))
        platform = self._platforms.pop(id(doc), None)
        if platform is not None:
            self._named[id(platform)] = platform

    def levels(self) -> list[Level]:
        return list(self._levels.values())

    def is_platform(self, level: Level) -> bool:
        """Whether a product of this run names `level` as its platform."""
        return id(level) in self._named or any(found is level for found in self._platforms.values())

    def may_be_compiled_on(self, level: Level) -> bool:
        """Whether products may be compiled on `level`, so its effective policy must be complete:
        a product of the run names it, or it is a domain or central platform that no level of
        the run takes as its parent (an enterprise, or a level with child domains here, may
        leave config for the levels below it to complete)."""
        if self.is_platform(level):
            return True
        return level.scope != "enterprise" and not any(
            other.parent is level for other in self._levels.values()
        )


def _apply_policy(level: Level) -> None:
    parent = level.parent
    level.governance, level.weakenings = resolve(
        level.manifest.governance, parent.governance if parent else {}, level.label
    )
    level.plugins_allowed, level.widenings = narrow(
        level.manifest.whitelists, parent.plugins_allowed if parent else {}, level.label
    )
    allowed = parent.children_allowed.names if parent is not None else None
    if level.inherits and parent is not None:
        # What a level inherits is held to the whitelist above it, like what it states: an
        # enterprise selecting a compute its own whitelist excludes hands it to no domain.
        level.approved = {
            name: compute
            for name, compute in parent.approved.items()
            if allowed is None or name in allowed
        }
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
    own_default = level.manifest.default
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
