"""The one order of a run's findings, and the findings it drops: duplicates, and schema
findings a semantic rule explains more precisely."""

from __future__ import annotations

from floe_lint.findings import Finding
from floe_lint.load.paths import resolved

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
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
    """A schema finding is dropped when a semantic rule explains the same node more precisely.
    The same file is the same whatever its findings' paths are spelled as: a finding the result
    cache serves keeps the spelling of the run that stored it (`products/a/floe.yaml`, found by
    a walk), a fresh one has this run's (an absolute path, the file reached as a dependent).
    Only the findings at a schema finding's pointer are resolved (`impact`'s run of the old
    manifest makes 2,640, nearly all of them at pointers no schema finding has)."""
    pointers = {f.pointer for f in findings if f.name.startswith("schema-")}
    if not pointers:
        return findings
    semantic = {
        (resolved(f.path), f.pointer)
        for f in findings
        if f.pointer in pointers and not f.name.startswith("schema-") and f.pointer
    }
    return [
        f
        for f in findings
        if not (f.name.startswith("schema-") and (resolved(f.path), f.pointer) in semantic)
    ]


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One of equal findings (the first): a file's paths compared as above, each path resolved
    once (a file's findings share it)."""
    unique: dict[tuple[Any, ...], Finding] = {}
    keys: dict[Path, Path] = {}
    for f in findings:
        location = f.location
        key = keys.get(location.path)
        if key is None:
            key = keys[location.path] = resolved(location.path)
        unique.setdefault((f.rule_id, key, location.span, f.message), f)
    return list(unique.values())
