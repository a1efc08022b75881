"""What a manifest change does to the governance in force below it.

For every level and product linted both times, the governance in force (see
`model.governance`) before and after the change is compared field by field, and each plugin
category's whitelist name by name. A change is `weaker` (a value lowered by upstream's
ordering, a value no longer set, a whitelist that allows more), `stronger` (the reverse) or
`changed` (a whitelist that both adds and drops names). Whether a dependent now violates its
parent is the FL6xx findings that appear.
"""

from __future__ import annotations

from pathlib import Path

from floe_lint.lint.engine import Result
from floe_lint.load.paths import relative_posix, resolved
from floe_lint.model.governance import BY_PATH, FIELDS
from floe_lint.model.level import Level
from floe_lint.record import Frozen, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:  # (`typing` is not imported at run time: issue 17's start-up)
    from typing import Any, Literal

    Change = Literal["weaker", "stronger", "changed"]
    Kind = Literal["manifest", "product"]
    Snapshot = tuple[str, Kind, dict[str, "Held"]]


class Held(Frozen):
    """A value in force (a governance value, or a whitelist's names) and the level writing it."""

    __slots__ = ("set_by", "value")
    value: Any
    set_by: str

    def __init__(self, value: Any, set_by: str) -> None:
        set_field(self, "value", value)
        set_field(self, "set_by", set_by)


class GovernanceChange(Frozen):
    __slots__ = ("after", "before", "change", "field")
    field: str  # dotted under governance, or approved_plugins.<category>
    before: Held | None
    after: Held | None
    change: Change

    def __init__(self, field: str, before: Held | None, after: Held | None, change: Change):
        set_field(self, "field", field)
        set_field(self, "before", before)
        set_field(self, "after", after)
        set_field(self, "change", change)


class DependentGovernance(Frozen):
    __slots__ = ("changes", "kind", "label", "path")
    path: Path
    label: str
    kind: Kind
    changes: tuple[GovernanceChange, ...]

    def __init__(
        self, path: Path, label: str, kind: Kind, changes: tuple[GovernanceChange, ...]
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "label", label)
        set_field(self, "kind", kind)
        set_field(self, "changes", changes)

    @property
    def weakened(self) -> bool:
        return any(c.change == "weaker" for c in self.changes)


def _held(level: Level) -> dict[str, Held]:
    held = {path: Held(v.value, v.label) for path, v in level.governance.items()}
    for category, allowed in level.plugins_allowed.items():
        held[f"approved_plugins.{category}"] = Held(allowed.names, allowed.label)
    return held


def snapshots(result: Result) -> dict[Path, Snapshot]:
    """The governance in force at each linted manifest and product, by resolved path."""
    out: dict[Path, Snapshot] = {}
    if result.hierarchy is not None:
        for level in result.hierarchy.levels():
            out[resolved(level.doc.path)] = (level.label, "manifest", _held(level))
    for product in result.products:
        name = product.name if product.name is not None else product.doc.path.parent.name
        held = _held(product.platform) if product.platform is not None else {}
        out[resolved(product.doc.path)] = (f"product '{name}'", "product", held)
    return out


def _change(field: str, before: Held | None, after: Held | None) -> Change | None:
    if before is None or after is None:
        if before is after:
            return None
        # a value no longer set enforces nothing; a whitelist no longer set allows anything
        return "weaker" if after is None else "stronger"
    if field in BY_PATH:
        rank0, rank1 = BY_PATH[field].rank(before.value), BY_PATH[field].rank(after.value)
        if rank0 is None or rank1 is None or rank0 == rank1:
            return None
        return "weaker" if rank1 < rank0 else "stronger"
    added = set(after.value) - set(before.value)
    dropped = set(before.value) - set(after.value)
    if added and dropped:
        return "changed"
    return "weaker" if added else "stronger" if dropped else None


def _order(field: str) -> tuple[int, str]:
    paths = [f.path for f in FIELDS]
    return (paths.index(field), "") if field in paths else (len(paths), field)


def compare(before: Result, after: Result) -> list[DependentGovernance]:
    """Every manifest or product whose governance in force differs, in path order."""
    was, now = snapshots(before), snapshots(after)
    found = []
    for path in sorted(set(was) & set(now), key=relative_posix):
        _, _, old = was[path]
        label, kind, new = now[path]
        changes = []
        for field in sorted(set(old) | set(new), key=_order):
            change = _change(field, old.get(field), new.get(field))
            if change is not None:
                changes.append(GovernanceChange(field, old.get(field), new.get(field), change))
        if changes:
            found.append(DependentGovernance(path, label, kind, tuple(changes)))
    return found
