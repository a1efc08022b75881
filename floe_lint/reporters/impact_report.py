"""`floe-lint impact` output: text for a terminal, JSON (schemas/impact.json), and Markdown for a
pull-request comment or `$GITHUB_STEP_SUMMARY`.

Every value that comes from a user's file is escaped for the format it lands in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import StringIO
from pathlib import Path

from floe_lint import __version__
from floe_lint.findings import Finding
from floe_lint.lint.governance_impact import DependentGovernance, Held
from floe_lint.lint.impact import IMPACT_VERSION, Impact, ProductChange, TransformPolicy
from floe_lint.model.governance import shown
from floe_lint.reporters import display_path, json_text, markdown_text

TYPE_CHECKING = False
if TYPE_CHECKING:  # (`typing` is not imported at run time: issue 17's start-up)
    from typing import Any, TextIO


def _printable(text: str) -> str:
    from floe_lint.secrets import mask_url_credentials  # a ref may hold user:password@

    text = mask_url_credentials(text)
    if text.isprintable():  # most text: nothing to escape
        return text
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


Shown = Callable[[Path], str]


def _names(impact: Impact) -> Shown:
    """`display_path` of each path, once per report: findings name the same files many times
    (the working directory does not change while a report is written); the comparison's
    names when it kept them (`relative_posix`, which `display_path` is)."""
    if impact.shown is not None:
        return impact.shown
    names: dict[Path, str] = {}

    def shown(path: Path) -> str:
        name = names.get(path)
        if name is None:
            name = names[path] = display_path(path)
        return name

    return shown


def _where(finding: Finding, shown: Shown = display_path) -> str:
    span = finding.location.span
    return f"{shown(finding.path)}:{span.start_line}:{span.start_col}"


def _listed(names: Sequence[str] | None) -> str:
    if names is None:
        return "(unresolved)"
    return ", ".join(names) if names else "(none)"


def _policy(t: TransformPolicy | None) -> str:
    if t is None:
        return "(absent)"
    compute = t.compute or "(no compute)"
    return f"{compute} ({'approved' if t.approved else 'not approved'})"


def _finding_line(f: Finding, shown: Shown) -> str:
    where = _where(f, shown)
    return f"{where}: {f.severity.upper()} {f.rule_id} [{f.name}] {_printable(f.message)}"


def write_text(impact: Impact, out: TextIO) -> None:
    """The report in text, written to `out` at once (`impact` of a tree's root manifest writes
    thousands of lines: one write of the whole, not a console write per line)."""
    buffer = StringIO()
    _text(impact, buffer)
    out.write(buffer.getvalue())


def _text(impact: Impact, out: TextIO) -> None:
    shown = _names(impact)
    manifest = shown(impact.manifest)
    count = len(impact.dependents)
    out.write(
        f"impact of {manifest} against {_printable(impact.against)}: "
        f"{count} dependent{'s' if count != 1 else ''}{_possible(impact, shown)}\n"
    )
    out.write(f"findings that appear: {len(impact.appeared)}\n")
    for f in impact.appeared:
        out.write(f"  + {_finding_line(f, shown)}\n")
    out.write(f"findings that disappear: {len(impact.disappeared)}\n")
    for f in impact.disappeared:
        out.write(f"  - {_finding_line(f, shown)}\n")
    out.write(f"products whose policy changes: {len(impact.products)}\n")
    for product in impact.products:
        out.write(f"  {shown(product.path)} ({_printable(product.name)})\n")
        if product.approved_before != product.approved_after:
            out.write(
                f"    approved: {_listed(product.approved_before)} -> "
                f"{_listed(product.approved_after)}\n"
            )
        for t in product.transforms:
            out.write(
                f"    {_printable(t.label)} (line {t.line}): {_policy(t.before)} -> "
                f"{_policy(t.after)}\n"
            )
    if impact.governance:
        _governance_text(impact.governance, out)


def _possible(impact: Impact, shown: Shown) -> str:
    """The files too large to read, never parsed: not counted as dependents, but named (whether
    they are ones cannot be told; `check` reports each)."""
    if not impact.possible:
        return ""
    count = len(impact.possible)
    names = ", ".join(_printable(shown(p)) for p in impact.possible)
    return (
        f", and {count} file{'s' if count != 1 else ''} too large to read that may be one ({names})"
    )


def _held(held: Held | None) -> str:
    """A value in force and who sets it: `required (enterprise 'acme')`, `(not set)`."""
    if held is None:
        return "(not set)"
    value = held.value
    names = isinstance(value, tuple)  # a whitelist's names
    text = (", ".join(value) or "nothing") if names else shown(value).strip("'")
    return f"{_printable(text)} ({_printable(held.set_by)})"


def _governance_text(changed: Sequence[DependentGovernance], out: TextIO) -> None:
    weaker = sum(1 for d in changed if d.weakened)
    out.write(f"governance that changes: {len(changed)} ({weaker} weaker)\n")
    for dependent in changed:
        out.write(f"  {display_path(dependent.path)} ({_printable(dependent.label)})\n")
        for c in dependent.changes:
            out.write(
                f"    {_printable(c.field)}: {_held(c.before)} -> {_held(c.after)}: {c.change}\n"
            )


def _finding_json(f: Finding, shown: Shown) -> dict[str, Any]:
    span = f.location.span
    return {
        "rule": f.rule_id,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "file": shown(f.path),
        "line": span.start_line,
        "column": span.start_col,
        "pointer": f.pointer,
    }


def _transform_json(t: TransformPolicy | None) -> dict[str, Any] | None:
    return None if t is None else {"compute": t.compute, "approved": t.approved}


def _product_json(p: ProductChange, shown: Shown) -> dict[str, Any]:
    return {
        "file": shown(p.path),
        "name": p.name,
        "approved_before": list(p.approved_before) if p.approved_before is not None else None,
        "approved_after": list(p.approved_after) if p.approved_after is not None else None,
        "transforms": [
            {
                "transform": t.label,
                "line": t.line,
                "before": _transform_json(t.before),
                "after": _transform_json(t.after),
            }
            for t in p.transforms
        ],
    }


def _held_json(held: Held | None) -> dict[str, Any] | None:
    if held is None:
        return None
    value = list(held.value) if isinstance(held.value, tuple) else held.value
    return {"value": value, "set_by": held.set_by}


def _governance_json(d: DependentGovernance) -> dict[str, Any]:
    return {
        "file": display_path(d.path),
        "label": d.label,
        "kind": d.kind,
        "weakened": d.weakened,
        "changes": [
            {
                "field": c.field,
                "before": _held_json(c.before),
                "after": _held_json(c.after),
                "change": c.change,
            }
            for c in d.changes
        ],
    }


def report(impact: Impact) -> dict[str, Any]:
    shown = _names(impact)
    return {
        "version": IMPACT_VERSION,
        "tool": {"name": "floe-lint", "version": __version__},
        "manifest": display_path(impact.manifest),
        "against": impact.against,
        "dependents": [shown(p) for p in impact.dependents],
        **({"possible_dependents": [shown(p) for p in impact.possible]} if impact.possible else {}),
        "appeared": [_finding_json(f, shown) for f in impact.appeared],
        "disappeared": [_finding_json(f, shown) for f in impact.disappeared],
        "products": [_product_json(p, shown) for p in impact.products],
        "governance": [_governance_json(d) for d in impact.governance],
        "summary": {
            "dependents": len(impact.dependents),
            "appeared": len(impact.appeared),
            "appeared_errors": sum(1 for f in impact.appeared if f.severity == "error"),
            "disappeared": len(impact.disappeared),
            "products_changed": len(impact.products),
            "breaks": impact.broken_products(),
            "weakened": [display_path(d.path) for d in impact.governance if d.weakened],
        },
    }


def write_json(impact: Impact, out: TextIO) -> None:
    out.write(json_text(report(impact), indent=2) + "\n")


def _md(text: str) -> str:
    """Text in a Markdown table cell: no HTML, no table or code breaks, one line."""
    return markdown_text(text)


def _md_findings(title: str, findings: Sequence[Finding], out: TextIO, shown: Shown) -> None:
    out.write(f"\n### {title} ({len(findings)})\n\n")
    if not findings:
        out.write("None.\n")
        return
    out.write("| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n")
    for f in findings:
        out.write(
            f"| {f.severity} | {f.rule_id} {_md(f.name)} | {_md(_where(f, shown))} "
            f"| {_md(f.message)} |\n"
        )


def write_markdown(impact: Impact, out: TextIO) -> None:
    shown = _names(impact)
    errors = sum(1 for f in impact.appeared if f.severity == "error")
    verdict = f"**{errors} new error{'s' if errors != 1 else ''}**" if errors else "no new errors"
    out.write(
        f"## floe-lint impact: {_md(display_path(impact.manifest))}\n\n"
        f"Against {_md(impact.against)}: {len(impact.dependents)} dependents"
        f"{_md(_possible(impact, shown))}, {verdict}, "
        f"{len(impact.disappeared)} findings fixed, {len(impact.products)} products whose "
        "policy changes.\n"
    )
    broken = impact.broken_products()
    if broken:
        out.write(f"\nBreaks: {', '.join(_md(b) for b in broken)}\n")
    _md_findings("Findings that appear", impact.appeared, out, shown)
    _md_findings("Findings that disappear", impact.disappeared, out, shown)
    if impact.governance:
        _md_governance(impact.governance, out)
    out.write(f"\n### Products whose policy changes ({len(impact.products)})\n\n")
    if not impact.products:
        out.write("None.\n")
        return
    out.write("| Product | Transform | Before | After |\n| --- | --- | --- | --- |\n")
    for p in impact.products:
        product = f"{_md(p.name)} ({_md(shown(p.path))})"
        if p.approved_before != p.approved_after:
            out.write(
                f"| {product} | approved list | {_md(_listed(p.approved_before))} | "
                f"{_md(_listed(p.approved_after))} |\n"
            )
        for t in p.transforms:
            out.write(
                f"| {product} | {_md(t.label)} (line {t.line}) | {_md(_policy(t.before))} | "
                f"{_md(_policy(t.after))} |\n"
            )


def _md_governance(changed: Sequence[DependentGovernance], out: TextIO) -> None:
    out.write(f"\n### Governance that changes ({len(changed)})\n\n")
    out.write(
        "| Level or product | Field | Before | After | Change |\n| --- | --- | --- | --- | --- |\n"
    )
    for d in changed:
        who = f"{_md(d.label)} ({_md(display_path(d.path))})"
        for c in d.changes:
            out.write(
                f"| {who} | {_md(c.field)} | {_md(_held(c.before))} | {_md(_held(c.after))} | "
                f"{c.change} |\n"
            )
