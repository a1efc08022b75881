"""Findings of the strengthen-only governance rules (FL6xx), stated one way for all of them:
at the value the child writes, with the value in force above it as a related location. A field
floe-core's own validator does not compare says so: only floe-lint reports its weakening."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load.document import Document, Node
from floe_lint.model.governance import InForce, Setting, resolve, settings, shown
from floe_lint.model.level import Level

#: the plain word on a field floe-core's `validate_security_policy_not_weakened` leaves out
_NOT_JUDGED = (
    "; floe-core's validate_security_policy_not_weakened leaves this field out, so only "
    "floe-lint reports it"
)


def weakenings(level: Level, ctx: Context, prefix: str) -> Iterator[Finding]:
    """A finding for each value `level` writes, under the fields whose dotted path is `prefix`
    or starts with `prefix.`, that is weaker than the value in force above it."""
    for weakening in level.weakenings:
        field = weakening.setting.field
        if field.path != prefix and not field.path.startswith(prefix + "."):
            continue
        above = weakening.above
        yield _weaker(
            ctx,
            weakening.setting,
            level.label,
            above,
            "a level may keep or strengthen the governance above it, never weaken it",
            f"governance.{field.path} {shown(above.value)} of {above.label}",
            judged=field.judged,
        )


def _weaker(
    ctx: Context,
    setting: Setting,
    who: str,
    above: InForce,
    why: str,
    related: str,
    judged: bool = True,
) -> Finding:
    """The one wording of a weakening, at the value `who` writes, with the value in force
    above it (`related` names it); a field floe-core does not compare says so."""
    field = setting.field
    value = shown(setting.value)
    sets = (
        f"leaves governance.{field.path} out of its `{field.block}` block, so floe-core "
        f"reads its default {value}"
        if setting.implied
        else f"sets governance.{field.path} to {value}"
    )
    return ctx.finding(
        setting.node,
        f"{who} {sets}, weaker than {shown(above.value)} set by {above.label}; {why} "
        f"({field.domain}){'' if judged else _NOT_JUDGED}",
        related=[ctx.related(above.node, related)],
    )


def overlay_weakenings(
    root: Node,
    base: Document,
    where: str,
    why: str,
    ctx: Context,
    inherited: dict[str, InForce] | None = None,
) -> Iterator[Finding]:
    """A per-environment manifest (or an environment's block) at `root` that writes a
    governance value weaker than the one in force at its base file: the base's own value, or
    what the base inherits from its parents (`inherited`, the parent level's in force) where
    the base writes nothing as strong. At the value, the value it weakens as related."""
    if not isinstance(root.value, dict) or not isinstance(root.value.get("governance"), dict):
        return
    own_label = f"the base {base.path.name}"
    in_force = dict(inherited or {})
    for s in settings(base.node("/governance")):
        held = in_force.get(s.field.path)
        if held is None or s.rank >= held.setting.rank:
            in_force[s.field.path] = InForce(s, own_label)
    for weakening in resolve(settings(root.child("governance")), in_force, "")[1]:
        above, path = weakening.above, weakening.setting.field.path
        yield _weaker(
            ctx,
            weakening.setting,
            where,
            above,
            why,
            f"governance.{path} in the base file"
            if above.label == own_label
            else f"governance.{path} {shown(above.value)} of {above.label}, which the base "
            "inherits",
        )


def shown_entry(entry: dict[str, Any]) -> str:
    """A governance list's entry as a message quotes it (flow style, its keys as written):
    the rules of dropped lists and added overrides name entries the same way."""
    parts = []
    for key, value in entry.items():
        text = (
            value
            if isinstance(value, str)
            else shown(value)
            if isinstance(value, bool)
            else str(value)
        )
        if isinstance(value, str) and (not value or not value.replace("_", "a").isalnum()):
            text = f"'{value}'"
        parts.append(f"{key}: {text}")
    return "{" + ", ".join(parts) + "}"
