"""What a manifest change does to everything below it.

The manifest and its dependents are linted twice, once with the manifest as it is and once as
it was (another revision's or another file's content, put in its place so its own relative refs
still resolve). The difference is the impact: findings that appear, findings that disappear, and
per product the approved list and the transforms whose effective compute or approval changes,
and per manifest or product the governance in force that becomes weaker or stronger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from floe_lint.findings import Finding
from floe_lint.lint.engine import Result
from floe_lint.lint.governance_impact import DependentGovernance
from floe_lint.lint.governance_impact import compare as compare_governance
from floe_lint.lint.shared import Shared
from floe_lint.load.document import Node
from floe_lint.load.paths import relative_posix, resolved
from floe_lint.load.spans import every_node

IMPACT_VERSION = 1


@dataclass(frozen=True, slots=True)
class TransformPolicy:
    """A transform's effective compute under one version of the manifest."""

    label: str
    node: Node = field(compare=False)
    compute: str | None
    approved: bool

    @property
    def line(self) -> int:
        """Located on demand: only the transforms an impact reports need a place."""
        return self.node.span().start_line


@dataclass(frozen=True, slots=True)
class ProductPolicy:
    name: str
    approved: tuple[str, ...] | None  # None: the hierarchy did not resolve
    transforms: dict[str, TransformPolicy]


@dataclass(frozen=True, slots=True)
class TransformChange:
    label: str
    line: int
    before: TransformPolicy | None
    after: TransformPolicy | None


@dataclass(frozen=True, slots=True)
class ProductChange:
    path: Path
    name: str
    approved_before: tuple[str, ...] | None
    approved_after: tuple[str, ...] | None
    transforms: tuple[TransformChange, ...]


@dataclass
class Impact:
    manifest: Path
    against: str
    dependents: list[Path]
    appeared: list[Finding] = field(default_factory=list)
    disappeared: list[Finding] = field(default_factory=list)
    products: list[ProductChange] = field(default_factory=list)
    #: manifests and products whose governance in force changes (see governance_impact)
    governance: list[DependentGovernance] = field(default_factory=list)

    @property
    def introduces_errors(self) -> bool:
        return any(f.severity == "error" for f in self.appeared)

    def broken_products(self) -> list[str]:
        """Display paths of the dependents that gain an error finding."""
        dependents = {relative_posix(p) for p in self.dependents}
        return sorted(
            {
                relative_posix(f.path)
                for f in self.appeared
                if f.severity == "error" and relative_posix(f.path) in dependents
            }
        )


def _key(finding: Finding) -> tuple[str, str, str, str]:
    """Identity across versions: a moved line is the same finding, a new message is not."""
    return (finding.rule_id, relative_posix(finding.path), finding.pointer, finding.message)


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key(relative_posix(f.path)))


def policies(result: Result) -> dict[Path, ProductPolicy]:
    """Each linted product's approved list and transforms' effective computes."""
    out: dict[Path, ProductPolicy] = {}
    for product in result.products:
        level = product.platform
        policy = ProductPolicy(
            product.name if product.name is not None else product.doc.path.parent.name,
            tuple(level.approved) if level is not None else None,
            {},
        )
        for transform in product.transforms:
            compute = transform.compute if isinstance(transform.compute, str) else None
            if compute is None and level is not None:
                compute = level.default
            policy.transforms[transform.label] = TransformPolicy(
                transform.label,
                transform.node,
                compute,
                level is not None and compute in level.approved,
            )
        out[resolved(product.doc.path)] = policy
    return out


def compare(
    manifest: Path,
    against: str,
    before: Result,
    after: Result,
) -> Impact:
    impact = Impact(manifest, against, sorted({d.path for d in after.dependents}))
    old = {_key(f): f for f in before.findings}
    new = {_key(f): f for f in after.findings}
    impact.appeared = _sorted([f for k, f in new.items() if k not in old])
    impact.disappeared = _sorted([f for k, f in old.items() if k not in new])
    was, now = policies(before), policies(after)
    for path in sorted(set(was) | set(now), key=relative_posix):
        a, b = was.get(path), now.get(path)
        changes = []
        labels = list(dict.fromkeys([*(a.transforms if a else {}), *(b.transforms if b else {})]))
        for label in labels:
            t0 = a.transforms.get(label) if a else None
            t1 = b.transforms.get(label) if b else None
            known = t1 or t0
            if known is not None and not (
                t0 and t1 and (t0.compute, t0.approved) == (t1.compute, t1.approved)
            ):
                changes.append(TransformChange(label, known.line, t0, t1))
        approved_before = a.approved if a else None
        approved_after = b.approved if b else None
        either = b or a
        if either is not None and (changes or approved_before != approved_after):
            impact.products.append(
                ProductChange(
                    path,
                    either.name,
                    approved_before,
                    approved_after,
                    tuple(changes),
                )
            )
    impact.governance = compare_governance(before, after)
    return impact


Linter = Callable[[dict[Path, bytes] | None, Shared], Result]


def measure(manifest: Path, against: str, old: bytes, lint: Linter) -> Impact:
    """Lint with `old` in the manifest's place, then as it is, and compare. Both runs share
    what does not depend on the manifest's content (see floe_lint.lint.shared): each file is
    parsed once, the dependents searched once, and a rule that reads one document alone runs
    once on it."""
    shared = Shared()
    with every_node():  # both runs and the comparison ask for many nodes of most files
        before = lint({manifest.resolve(): old}, shared)
        after = lint(None, shared)
        return compare(manifest, against, before, after)
