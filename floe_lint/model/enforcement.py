"""Upstream Floe's `governance.policy_enforcement_level` (strict > warn > off) in force at a level.

The governance model (`floe_lint.model.governance`, `Level.governance`) holds what is in force
at each level: the strictest value along its chain, a domain may tighten its enterprise's,
never loosen it. Central control (`floe_lint.lint.mandatory`) asks only whether it is strict.
"""

from __future__ import annotations

from floe_lint.model.level import Level


def effective_enforcement(level: Level) -> str | None:
    """The `policy_enforcement_level` in force at `level`, None when no level above sets one."""
    found = level.governance.get("policy_enforcement_level")
    return str(found.value) if found is not None else None


def is_strict(level: Level | None) -> bool:
    return level is not None and effective_enforcement(level) == "strict"
