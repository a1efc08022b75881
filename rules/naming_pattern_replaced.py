"""A level may not replace the naming convention above it by patterns of its own while naming
is enforced there.

Why: `naming.enforcement` above holds model names to the convention the level above chose;
floe-core compiles a domain with its own `naming` block, so a domain that switches a preset
(`medallion`, `kimball`) to `pattern: custom`, or a custom convention to other
`custom_patterns`, checks its products against regexes of its own choosing (`.*` passes
every name) while the enforcement level looks untouched. Kept exactly (the same pattern and,
for `custom`, the same patterns) it passes; a preset for another preset is a choice upstream
leaves to the domain, and an `enforcement: off` above enforces nothing.

Fails:
    # expect: manifest.yaml:6:42 domain 'sales' replaces governance.naming.pattern 'medallion' of enterprise 'acme' by 'custom' (custom_patterns: ['.*']) while naming is enforced there ('strict'); a level may keep the naming convention above it, not substitute patterns of its own
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      naming: {enforcement: strict, pattern: medallion}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      naming: {enforcement: strict, pattern: custom, custom_patterns: ['.*']}

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      naming: {enforcement: strict, pattern: custom, custom_patterns: ['^raw_', '^agg_']}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      naming: {enforcement: strict, pattern: custom, custom_patterns: ['^raw_', '^agg_']}
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID, NAME, SEVERITY, SUBJECT = "FL612", "naming-pattern-replaced", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can replace

_PATTERNS = ("medallion", "kimball", "custom")


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    naming = level.node.child("governance", "naming")
    above = _nearest_naming(level.parent) if level.parent is not None else None
    if above is None or not isinstance(naming.value, dict):
        return
    owner, above_naming = above
    enforcement = level.parent.governance.get("naming.enforcement") if level.parent else None
    if enforcement is None or enforcement.value == "off":
        return
    own, theirs = _convention(naming.value), _convention(above_naming.value)
    if own is None or theirs is None or own == theirs:
        return
    if own[0] != "custom" and theirs[0] != "custom":
        return  # one preset for another: upstream leaves the choice to the domain
    pattern = naming.child("pattern")
    yield ctx.finding(
        pattern if pattern.exists else naming,
        f"{level.label} replaces governance.naming.pattern {_shown(theirs)} of {owner.label} "
        f"by {_shown(own)} while naming is enforced there ('{enforcement.value}'); a level may "
        "keep the naming convention above it, not substitute patterns of its own",
        at="value" if pattern.exists else "key",
        related=[ctx.related(above_naming, f"governance.naming of {owner.label}", at="key")],
    )


def _nearest_naming(level: Level) -> tuple[Level, Any] | None:
    """The nearest level of the chain from `level` up that writes a `naming` block."""
    for each in level.chain():
        naming = each.node.child("governance", "naming")
        if isinstance(naming.value, dict):
            return each, naming
    return None


def _convention(naming: dict[str, Any]) -> tuple[str, tuple[Any, ...]] | None:
    """The pattern (floe-core's default `medallion`) and, for `custom`, its patterns; None
    when floe-core's model would not read it (the schema rules report it)."""
    pattern = naming.get("pattern", "medallion")
    if pattern not in _PATTERNS:
        return None
    if pattern != "custom":
        return pattern, ()
    patterns = naming.get("custom_patterns")
    if not isinstance(patterns, list) or not patterns:
        return None
    return pattern, tuple(patterns)


def _shown(convention: tuple[str, tuple[Any, ...]]) -> str:
    pattern, patterns = convention
    if pattern != "custom":
        return f"'{pattern}'"
    return f"'custom' (custom_patterns: {list(patterns)})"
