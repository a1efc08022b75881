"""The one order of a run's findings, and the findings it drops: duplicates, and schema
findings a semantic rule explains more precisely."""

from __future__ import annotations

from floe_lint.findings import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def total_order(f: Finding) -> tuple[Any, ...]:
    related = [
        (str(r.location.path), r.location.span, r.location.pointer, r.message) for r in f.related
    ]
    return (
        f.rule_id,
        str(f.location.path),
        f.location.span,
        f.location.pointer,
        f.message,
        related,
        f.sensitive,
        sorted(f.extra.items()),
    )


def drop_shadowed_schema_findings(findings: list[Finding]) -> list[Finding]:
    """A schema finding is dropped when a semantic rule explains the same node more precisely."""
    semantic = {
        (f.path, f.pointer) for f in findings if not f.name.startswith("schema-") and f.pointer
    }
    return [
        f
        for f in findings
        if not (f.name.startswith("schema-") and (f.path, f.pointer) in semantic)
    ]


def dedupe(findings: list[Finding]) -> list[Finding]:
    unique: dict[tuple[Any, ...], Finding] = {}
    for f in findings:
        unique.setdefault((f.rule_id, f.path, f.location.span, f.message), f)
    return list(unique.values())
