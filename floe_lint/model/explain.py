"""The effective policy of a product or manifest, level by level, with where each part comes from.

A level approves the computes it lists that its parent approves; it removes what its parent
offers (its approved list, or a whitelist for the levels below) and it does not list; it lists in
vain what its parent does not approve. Its default is its own or inherited. A transform runs on
the compute it names, else on the default. Every item names the file and line it comes from, so
a reader can go and change it. Only the model is read, so both dialects are explained alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from floe_lint.load.document import Document, Node
from floe_lint.model.governance import FIELDS
from floe_lint.model.hierarchy import Hierarchy, RefProblem
from floe_lint.model.level import Level
from floe_lint.model.product import Product
from floe_lint.model.trust import Trust

EXPLAIN_VERSION = 1


@dataclass(frozen=True, slots=True)
class Site:
    """A place in a file: what a reader opens to change something."""

    path: Path
    line: int


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    site: Site


@dataclass(frozen=True, slots=True)
class Ref:
    """A ref as written: its text, the key that holds it (`platform.ref`), and where."""

    text: str
    key: str
    site: Site


@dataclass(frozen=True, slots=True)
class Removed:
    name: str
    approved_by: str  # the label of the level that offers it (its approved list or whitelist)
    whitelisted: bool = False  # offered by a whitelist (upstream's approved_plugins)


@dataclass(frozen=True, slots=True)
class Allows:
    """A level's own whitelist of what the levels below it may select (`approved_plugins`)."""

    names: tuple[str, ...]
    site: Site


@dataclass(frozen=True, slots=True)
class Default:
    name: str
    site: Site
    inherited_from: str | None  # the label of the level that sets it, when not this one
    approved: bool


@dataclass(frozen=True, slots=True)
class Governed:
    """A governance value in force at a level (`field` dotted), or one it writes in vain."""

    field: str
    value: Any
    site: Site
    inherited_from: str | None  # the label of the level that writes it, when not this one
    default: bool = False  # floe-core's default for a field its written block leaves out


@dataclass(frozen=True, slots=True)
class NotInForce:
    """A governance value a level writes weaker than the one in force above it."""

    field: str
    value: Any
    site: Site
    in_force: Any
    set_by: str


@dataclass(frozen=True, slots=True)
class PluginsAllowed:
    """What levels below may select in a plugin category (`approved_plugins`), and whence."""

    category: str
    names: tuple[str, ...]
    site: Site
    inherited_from: str | None


@dataclass(frozen=True, slots=True)
class PluginNotAllowed:
    """A name a level's whitelist adds that the whitelist above it does not allow."""

    category: str
    name: str
    site: Site
    allowed_by: str


@dataclass
class LevelView:
    label: str
    scope: str | None
    path: Path
    parent_ref: Ref | None
    approves: list[Item] = field(default_factory=list)
    removes: list[Removed] = field(default_factory=list)
    not_in_parent: list[Item] = field(default_factory=list)
    allows: Allows | None = None
    inherits_from: str | None = None  # states no compute and keeps this level's
    default: Default | None = None
    governance: list[Governed] = field(default_factory=list)
    not_in_force: list[NotInForce] = field(default_factory=list)
    plugins_allowed: list[PluginsAllowed] = field(default_factory=list)
    plugins_not_allowed: list[PluginNotAllowed] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TransformView:
    label: str
    site: Site
    compute: str | None
    source: str  # "transform" (it names its compute) or "default"
    compute_site: Site | None
    default_of: str | None
    approved: bool
    removed_by: str | None
    #: the level that left it out selects from a whitelist (upstream's `approved_plugins`): it
    #: does not select the compute rather than removing it from a list of its own
    removed_from_whitelist: bool = False


@dataclass(frozen=True, slots=True)
class TrustView:
    """Whether the hierarchy ends at a trusted root (`--trusted-root`, `trusted-roots`)."""

    trusted: bool
    ends_at: Path | None  # the top of the hierarchy (None: a product with no platform)
    root: str | None  # the trusted root it ends at, as given
    roots: tuple[str, ...]
    reason: str  # untrusted: why


@dataclass
class Explanation:
    path: Path
    kind: str  # "product" | "manifest"
    label: str
    platform_ref: Ref | None
    levels: list[LevelView]  # top (enterprise) first
    transforms: list[TransformView]
    problems: list[tuple[Site, str]]
    trust: TrustView | None = None


def _site(node: Node) -> Site:
    return Site(node.doc.path, node.doc.span(node.pointer).start_line)


def _ref(node: Node) -> Ref | None:
    """The ref at `node`, named by its key path in the document (`parent_manifest`)."""
    text = node.value
    key = ".".join(node.pointer.lstrip("/").split("/"))
    return Ref(text.strip(), key, _site(node)) if isinstance(text, str) else None


def level_view(level: Level) -> LevelView:
    view = LevelView(level.label, level.scope, level.doc.path, _ref(level.ref_node))
    parent = level.parent
    listed = set()
    for entry in level.entries:
        if entry.name in listed:
            continue
        listed.add(entry.name)
        item = Item(entry.name, _site(entry.name_node))
        if entry.name in level.approved:
            view.approves.append(item)
        else:
            view.not_in_parent.append(item)
    if level.inherits and parent is not None:
        view.inherits_from = level.approver.label
    elif parent is not None:
        offer = parent.children_allowed
        names = offer.names if offer.names is not None else frozenset()
        ordered = [n for n in parent.approved if n in names] + sorted(names - set(parent.approved))
        whitelisted = _selects_from_whitelist(level)
        view.removes = [
            Removed(n, offer.level.label, whitelisted) for n in ordered if n not in listed
        ]
    whitelist = level.manifest.whitelist("compute")
    if whitelist is not None:
        view.allows = Allows(whitelist.names, _site(whitelist.node))
    origin = level.default_level
    if level.default is not None and origin is not None:
        view.default = Default(
            level.default,
            _site(origin.default_node),
            None if origin is level else origin.label,
            level.default in level.approved,
        )
    _governance(level, view)
    return view


def _governance(level: Level, view: LevelView) -> None:
    """The governance in force at `level` (in upstream's field order), each value with the
    level that writes it; the values it writes in vain; its plugin whitelists but compute's
    (`allows` shows that one)."""
    for path in (f.path for f in FIELDS if f.path in level.governance):
        held = level.governance[path]
        own = None if held.node.doc is level.doc else held.label
        view.governance.append(
            Governed(path, held.value, _site(held.node), own, held.setting.implied)
        )
    view.not_in_force = [
        NotInForce(
            w.setting.field.path,
            w.setting.value,
            _site(w.setting.node),
            w.above.value,
            w.above.label,
        )
        for w in level.weakenings
    ]
    for category, allowed in level.plugins_allowed.items():
        if category != "compute":
            own = None if allowed.node.doc is level.doc else allowed.label
            view.plugins_allowed.append(
                PluginsAllowed(category, allowed.names, _site(allowed.node), own)
            )
    view.plugins_not_allowed = [
        PluginNotAllowed(w.above.category, w.name, _site(w.node), w.above.label)
        for w in level.widenings
    ]


def _product_label(product: Product) -> str:
    name = product.name
    return f"product '{name}'" if name is not None else f"product {product.doc.path.name}"


def _transform_views(product: Product, level: Level | None) -> list[TransformView]:
    views = []
    for transform in product.transforms:
        site = _site(transform.node)
        named = transform.compute if isinstance(transform.compute, str) else None
        if named is not None:
            compute: str | None = named
            source = "transform"
            compute_site: Site | None = _site(transform.compute_node)
            default_of = None
        else:
            origin = level.default_level if level is not None else None
            compute = level.default if level is not None else None
            source = "default"
            compute_site = _site(origin.default_node) if origin is not None else None
            default_of = origin.label if origin is not None else None
        approved = level is not None and compute is not None and compute in level.approved
        remover = level.remover_of(compute) if level is not None and compute else None
        views.append(
            TransformView(
                transform.label,
                site,
                compute,
                source,
                compute_site,
                default_of,
                approved,
                remover.label if remover is not None else None,
                remover is not None and _selects_from_whitelist(remover),
            )
        )
    return views


def _selects_from_whitelist(level: Level) -> bool:
    """Whether what `level` may approve is a whitelist above it (upstream's `approved_plugins`,
    possibly passed on by a domain between), not its parent's approved list."""
    if level.parent is None:
        return False
    offer = level.parent.children_allowed
    return offer.node != offer.level.approved_node


def _problems(hierarchy: Hierarchy, docs: set[int]) -> list[tuple[Site, str]]:
    found: list[RefProblem] = [p for p in hierarchy.problems if id(p.doc) in docs]
    return [(_site(p.node), p.message) for p in found]


def explain(doc: Document, hierarchy: Hierarchy) -> Explanation:
    """The explanation of a product (`floe`) or manifest document, in whichever dialect."""
    if doc.kind == "floe":
        product = hierarchy.product(doc)
        level = product.platform
        chain = level.chain() if level is not None else []
        docs = {id(doc), *(id(lvl.doc) for lvl in chain)}
        return Explanation(
            doc.path,
            "product",
            _product_label(product),
            _ref(product.ref_node),
            [level_view(lvl) for lvl in reversed(chain)],
            _transform_views(product, level),
            _problems(hierarchy, docs),
        )
    level = hierarchy.level(doc)
    chain = level.chain()
    return Explanation(
        doc.path,
        "manifest",
        level.label,
        None,
        [level_view(lvl) for lvl in reversed(chain)],
        [],
        _problems(hierarchy, {id(lvl.doc) for lvl in chain}),
    )


def trust_view(doc: Document, hierarchy: Hierarchy, trust: Trust) -> TrustView | None:
    """Whether `doc`'s hierarchy ends at a trusted root; None when a ref of it is broken."""
    verdict = trust.verdict_of(doc, hierarchy)
    if verdict is None:
        if doc.kind != "manifest" or hierarchy.level(doc).parent_status != "none":
            return None
        level = hierarchy.level(doc)  # a top level: trusted when it is a trusted root
        root = trust.root_of(level)
        reason = "" if root else f"it is not a trusted root (trusted: {trust.shown})"
        return TrustView(root is not None, level.doc.path, root, trust.roots, reason)
    ends_at = verdict.end.doc.path if verdict.end is not None else None
    return TrustView(verdict.trusted, ends_at, verdict.root, trust.roots, verdict.reason)
