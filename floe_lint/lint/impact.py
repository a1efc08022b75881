"""What a manifest change does to everything below it.

The manifest and its dependents are linted twice, once with the manifest as it is and once as
it was (another revision's or another file's content, put in its place so its own relative refs
still resolve). The difference is the impact: findings that appear, findings that disappear, and
per product the approved list and the transforms whose effective compute or approval changes,
and per manifest or product the governance in force that becomes weaker or stronger.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from floe_lint.findings import Finding
from floe_lint.lint.engine import Result
from floe_lint.lint.governance_impact import DependentGovernance
from floe_lint.lint.governance_impact import compare as compare_governance
from floe_lint.lint.shared import Shared
from floe_lint.load.document import Node, SourceFile
from floe_lint.load.paths import relative_posix, resolved
from floe_lint.model.level import Level
from floe_lint.model.product import Product
from floe_lint.record import Frozen, Value, set_field

IMPACT_VERSION = 1


class TransformPolicy(Frozen, compare=("label", "compute", "approved")):
    """A transform's effective compute under one version of the manifest."""

    __slots__ = ("approved", "compute", "label", "node")
    label: str
    node: Node  # not compared
    compute: str | None
    approved: bool

    def __init__(self, label: str, node: Node, compute: str | None, approved: bool) -> None:
        set_field(self, "label", label)
        set_field(self, "node", node)
        set_field(self, "compute", compute)
        set_field(self, "approved", approved)

    @property
    def line(self) -> int:
        """Located on demand: only the transforms an impact reports need a place."""
        return self.node.start_line


class TransformChange(Frozen):
    __slots__ = ("after", "before", "label", "line")
    label: str
    line: int
    before: TransformPolicy | None
    after: TransformPolicy | None

    def __init__(
        self,
        label: str,
        line: int,
        before: TransformPolicy | None,
        after: TransformPolicy | None,
    ) -> None:
        set_field(self, "label", label)
        set_field(self, "line", line)
        set_field(self, "before", before)
        set_field(self, "after", after)


class ProductChange(Frozen):
    __slots__ = ("approved_after", "approved_before", "name", "path", "transforms")
    path: Path
    name: str
    approved_before: tuple[str, ...] | None
    approved_after: tuple[str, ...] | None
    transforms: tuple[TransformChange, ...]

    def __init__(
        self,
        path: Path,
        name: str,
        approved_before: tuple[str, ...] | None,
        approved_after: tuple[str, ...] | None,
        transforms: tuple[TransformChange, ...],
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "name", name)
        set_field(self, "approved_before", approved_before)
        set_field(self, "approved_after", approved_after)
        set_field(self, "transforms", transforms)


class Impact(Value):
    __slots__ = (
        "against",
        "appeared",
        "dependents",
        "disappeared",
        "governance",
        "manifest",
        "possible",
        "products",
        "shown",
    )
    manifest: Path
    against: str
    #: the files whose hierarchy passes through the manifest (each one read)
    dependents: list[Path]
    appeared: list[Finding]
    disappeared: list[Finding]
    products: list[ProductChange]
    #: manifests and products whose governance in force changes (see governance_impact)
    governance: list[DependentGovernance]
    #: files too large to read, so never parsed: whether they depend on it cannot be told
    possible: list[Path]
    #: each path as the comparison showed it (`relative_posix`, once a path): the report names
    #: the same files (not compared)
    shown: Callable[[Path], str] | None

    def __init__(
        self,
        manifest: Path,
        against: str,
        dependents: list[Path],
        appeared: list[Finding] | None = None,
        disappeared: list[Finding] | None = None,
        products: list[ProductChange] | None = None,
        governance: list[DependentGovernance] | None = None,
        possible: list[Path] | None = None,
    ) -> None:
        self.manifest = manifest
        self.against = against
        self.dependents = dependents
        self.appeared = [] if appeared is None else appeared
        self.disappeared = [] if disappeared is None else disappeared
        self.products = [] if products is None else products
        self.governance = [] if governance is None else governance
        self.possible = [] if possible is None else possible
        self.shown = None

    @property
    def introduces_errors(self) -> bool:
        return any(f.severity == "error" for f in self.appeared)

    def broken_products(self) -> list[str]:
        """Display paths of the dependents that gain an error finding (a finding's path that is
        one of theirs is one; only another spelling needs every dependent's shown)."""
        paths = set(self.dependents)
        shown: set[str] | None = None
        broken = set()
        for f in self.appeared:
            if f.severity != "error":
                continue
            name = relative_posix(f.path)
            if f.path not in paths:
                if shown is None:
                    shown = {relative_posix(p) for p in self.dependents}
                if name not in shown:
                    continue
            broken.add(name)
        return sorted(broken)


class _Shown:
    """`relative_posix` of each path asked, once: findings of both runs name the same few
    files many times, and the working directory does not change while they are compared."""

    def __init__(self) -> None:
        self._names: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        name = self._names.get(path)
        if name is None:
            name = self._names[path] = relative_posix(path)
        return name


def _key(finding: Finding, shown: Callable[[Path], str]) -> tuple[str, str, str, str]:
    """Identity across versions: a moved line is the same finding, a new message is not."""
    return (finding.rule_id, shown(finding.path), finding.pointer, finding.message)


def _sorted(findings: list[Finding], shown: Callable[[Path], str]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key(shown(f.path)))


#: a transform as written: its label, node and the compute it names (None: it names none)
_Written = tuple[str, Node, str | None]


def _written(product: Product) -> list[_Written]:
    out = []
    for transform in product.transforms:
        compute = transform.compute
        out.append((transform.label, transform.node, compute if isinstance(compute, str) else None))
    return out


#: a product's policy under one version: its name, approved list (None: the hierarchy did not
#: resolve) and, by label, each transform's node, effective compute and approval
_Policy = tuple[str, tuple[str, ...] | None, dict[str, tuple[Node, str | None, bool]]]


def _policy(product: Product, written: list[_Written]) -> _Policy:
    """The product's approved list and its transforms' effective computes (by label: the last
    transform of a label stands for it) under the level it resolved to."""
    level = product.platform
    transforms: dict[str, tuple[Node, str | None, bool]] = {}
    for label, node, compute in written:
        if compute is None and level is not None:
            compute = level.default
        transforms[label] = (node, compute, level is not None and compute in level.approved)
    name = product.name if product.name is not None else product.doc.path.parent.name
    return name, tuple(level.approved) if level is not None else None, transforms


def _same_effect(a: Level | None, b: Level | None) -> bool:
    """Whether every transform gets the same effective compute and approval under both."""
    if a is None or b is None:
        return a is b
    return a.default == b.default and a.approved.keys() == b.approved.keys()


def _changes(a: _Policy | None, b: _Policy | None) -> list[TransformChange]:
    """The transforms whose effective compute or approval differ (or that one side lacks);
    `TransformPolicy` values are made for those alone."""
    was, now = a[2] if a else {}, b[2] if b else {}
    changes = []
    for label in dict.fromkeys([*was, *now]):
        t0, t1 = was.get(label), now.get(label)
        if t0 is not None and t1 is not None and t0[1:] == t1[1:]:
            continue
        known = t1 if t1 is not None else t0
        assert known is not None  # a label of either side
        before = TransformPolicy(label, *t0) if t0 is not None else None
        after = TransformPolicy(label, *t1) if t1 is not None else None
        changes.append(TransformChange(label, known[0].start_line, before, after))
    return changes


def _one_document(path: Path, a: Product, b: Product) -> ProductChange | None:
    """`_products`' answer for a product read from the same document both times (whose
    transforms are those of both versions): each transform's effective compute and approval
    under either level taken in one pass over its transforms, a `TransformPolicy` and a line
    looked up only for those that differ (what `_policy` and `_changes` give, without a
    policy table per version: most of a tree's products are such)."""
    la, lb = a.platform, b.platform
    ok_a = la.approved if la is not None else None
    ok_b = lb.approved if lb is not None else None
    default_a = la.default if la is not None else None
    default_b = lb.default if lb is not None else None
    # by label, the last transform of a label standing for it, in the order labels come first
    written: dict[str, tuple[Node, str | None]] = {}
    for transform in b.transforms:
        compute = transform.compute
        written[transform.label] = (transform.node, compute if isinstance(compute, str) else None)
    changes = []
    for label, (node, compute) in written.items():
        c0 = compute if compute is not None or la is None else default_a
        c1 = compute if compute is not None or lb is None else default_b
        approved0 = ok_a is not None and c0 in ok_a
        approved1 = ok_b is not None and c1 in ok_b
        if c0 == c1 and approved0 == approved1:
            continue
        before = TransformPolicy(label, node, c0, approved0)
        after = TransformPolicy(label, node, c1, approved1)
        changes.append(TransformChange(label, node.start_line, before, after))
    approved_before = tuple(ok_a) if ok_a is not None else None
    approved_after = tuple(ok_b) if ok_b is not None else None
    if not changes and approved_before == approved_after:
        return None
    name = b.name if b.name is not None else b.doc.path.parent.name
    return ProductChange(path, name, approved_before, approved_after, tuple(changes))


def _products(before: Result, after: Result, shown: Callable[[Path], str]) -> list[ProductChange]:
    """The products whose approved list or transforms' effective computes change. A product
    read from the same document both times, whose level lets every compute through alike,
    has no transform that changes: only its approved list is compared."""
    was = {resolved(p.doc.path): p for p in before.products}
    now = {resolved(p.doc.path): p for p in after.products}
    found = []
    for path in sorted(set(was) | set(now), key=shown):
        a, b = was.get(path), now.get(path)
        if a is not None and b is not None and a.transforms is b.transforms:
            if _same_effect(a.platform, b.platform):
                approved_before = tuple(a.platform.approved) if a.platform is not None else None
                approved_after = tuple(b.platform.approved) if b.platform is not None else None
                if approved_before != approved_after:
                    name = b.name if b.name is not None else b.doc.path.parent.name
                    found.append(ProductChange(path, name, approved_before, approved_after, ()))
                continue
            product = _one_document(path, a, b)
            if product is not None:
                found.append(product)
            continue
        else:
            p0 = _policy(a, _written(a)) if a is not None else None
            p1 = _policy(b, _written(b)) if b is not None else None
        changes = _changes(p0, p1)
        approved_before = p0[1] if p0 else None
        approved_after = p1[1] if p1 else None
        either = p1 or p0
        if either is not None and (changes or approved_before != approved_after):
            found.append(
                ProductChange(path, either[0], approved_before, approved_after, tuple(changes))
            )
    return found


def compare(
    manifest: Path,
    against: str,
    before: Result,
    after: Result,
) -> Impact:
    read = sorted({d.path for d in after.dependents if not d.unread})
    unread = sorted({d.path for d in after.dependents if d.unread} - set(read))
    impact = Impact(manifest, against, read, possible=unread)
    shown = impact.shown = _Shown()
    old = {_key(f, shown): f for f in before.findings}
    new = {_key(f, shown): f for f in after.findings}
    impact.appeared = _sorted([f for k, f in new.items() if k not in old], shown)
    impact.disappeared = _sorted([f for k, f in old.items() if k not in new], shown)
    impact.products = _products(before, after, shown)
    impact.governance = compare_governance(before, after)
    return impact


Linter = Callable[[dict[Path, bytes] | None, Shared], Result]


class Unmeasurable(Exception):
    """A version of the manifest that cannot be read as one: nothing can say what the change
    does below it (its dependents are not even found), so no impact is reported."""


def _manifest_file(result: Result, manifest: Path) -> SourceFile | None:
    target = resolved(manifest)
    return next((f for f in result.files if resolved(f.path) == target), None)


def _holds_manifest(source: SourceFile | None) -> bool:
    return source is not None and any(d.kind == "manifest" for d in source.documents)


def _unreadable(source: SourceFile | None, other: SourceFile | None) -> tuple[str, str] | None:
    """Why a version cannot be compared (`line:col`, reason), or None: it does not parse, or it
    holds no manifest where the other version does."""
    if _holds_manifest(source):
        return None
    problems = source.problems if source is not None else []
    parsed = source is not None and any(d.data is not None for d in source.documents)
    if problems and not parsed:
        first = min(problems, key=lambda p: (p.span.start_line, p.span.start_col))
        span = first.span
        return f"{span.start_line}:{span.start_col}", f"cannot be parsed: {first.message}"
    if _holds_manifest(other):
        return "1:1", "holds no manifest (a mapping with plugins: or scope:)"
    return None


def _check_readable(
    manifest: Path, against: str, from_file: bool, before: Result, after: Result
) -> None:
    was, now = _manifest_file(before, manifest), _manifest_file(after, manifest)
    name = relative_posix(manifest)
    why = _unreadable(now, was)
    if why is not None:
        raise Unmeasurable(
            f"{name}:{why[0]}: the new version {why[1]}; the change's impact on its dependents "
            "cannot be measured"
        )
    why = _unreadable(was, now)
    if why is not None:
        where = f"{against}:{why[0]}" if from_file else f"{name}:{why[0]} at revision {against}"
        raise Unmeasurable(
            f"{where}: the old version {why[1]}; the change's impact cannot be measured "
            "against it: pass --against a revision or file that holds the manifest"
        )


def measure(
    manifest: Path, against: str, old: bytes, lint: Linter, from_file: bool = False
) -> Impact:
    """Lint with `old` in the manifest's place (under the path the second run reads it by, so
    a message that names a path made from it reads alike), then as it is, and compare. Both
    runs share what does not depend on the manifest's content (see floe_lint.lint.shared):
    each file is parsed once, the dependents searched once, and a rule that reads one document
    alone runs once on it. No rule states a fix (nobody shows them: see `Shared.states_fixes`).
    Raises `Unmeasurable` when either version does not parse (or holds no manifest while the
    other does): an impact of it would read as "nothing breaks". `from_file`: `against` names
    a file, not a revision."""
    shared = Shared(fixes=False)
    before = lint({manifest: old}, shared)
    after = lint(None, shared)
    _check_readable(manifest, against, from_file, before, after)
    return compare(manifest, against, before, after)
