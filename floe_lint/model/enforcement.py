"""Upstream Floe's `governance.policy_enforcement_level` (strict > warn > off), per level.

Read here, and only here, straight from a manifest's data, so the governance model (effective
values with the node each came from) can replace this module without touching its users. A
level's effective value is the strongest of its own and its ancestors': a domain may tighten
what its enterprise enforces, never loosen it.
"""

from __future__ import annotations

from floe_lint.model.level import Level

STRENGTH = {"off": 0, "warn": 1, "strict": 2}


def policy_enforcement_level(level: Level) -> str | None:
    """The level's own `governance.policy_enforcement_level`, when it is one of upstream's."""
    data = level.doc.data
    governance = data.get("governance") if isinstance(data, dict) else None
    value = governance.get("policy_enforcement_level") if isinstance(governance, dict) else None
    return value if isinstance(value, str) and value in STRENGTH else None


def effective_enforcement(level: Level) -> str | None:
    """The strongest enforcement level of `level` and every level above it."""
    found = [v for v in (policy_enforcement_level(lv) for lv in level.chain()) if v is not None]
    return max(found, key=STRENGTH.__getitem__) if found else None


def is_strict(level: Level | None) -> bool:
    return level is not None and effective_enforcement(level) == "strict"
