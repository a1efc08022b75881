"""Findings of the strengthen-only governance rules (FL6xx), stated one way for all of them:
at the value the child writes, with the value in force above it as a related location."""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.model.governance import shown
from floe_lint.model.level import Level


def weakenings(level: Level, ctx: Context, prefix: str) -> Iterator[Finding]:
    """A finding for each value `level` writes, under the fields whose dotted path is `prefix`
    or starts with `prefix.`, that is weaker than the value in force above it."""
    for weakening in level.weakenings:
        field = weakening.setting.field
        if field.path != prefix and not field.path.startswith(prefix + "."):
            continue
        above = weakening.above
        yield ctx.finding(
            weakening.setting.node,
            f"{level.label} sets governance.{field.path} to {shown(weakening.setting.value)}, "
            f"weaker than {shown(above.value)} set by {above.label}; a level may keep or "
            f"strengthen the governance above it, never weaken it ({field.domain})",
            related=[
                ctx.related(
                    above.node, f"governance.{field.path} {shown(above.value)} of {above.label}"
                )
            ],
        )
