"""A level may not replace the naming convention above it by patterns of its own while naming
is enforced there.

Why: `naming.enforcement` above holds model names to the convention the level above chose;
floe-core compiles a domain with its own `naming` block, so a domain that switches a preset
(`medallion`, `kimball`) to `pattern: custom`, or adds custom patterns to the ones above it,
checks its products against regexes of its own choosing (`.*` passes every name) while the
enforcement level looks untouched. floe-core's `validate_security_policy_not_weakened`
compares `naming.enforcement` only: this rule is floe-lint's. A name passes floe-core's custom
convention when any pattern matches it, so the patterns above kept in any order, or only some
of them (fewer names pass), are no weakening; nor is a preset, whatever the convention above:
its regex is upstream's, fixed, and cannot be widened. A preset's own regex written as its
custom pattern is that preset. An `enforcement: off` above enforces nothing.

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

#: upstream's preset regexes (floe_core.enforcement.patterns MEDALLION_PATTERN, KIMBALL_PATTERN),
#: compared as text only: never run here
_PRESETS = {
    "medallion": r"^(bronze|silver|gold)_[a-z][a-z0-9_]*$",
    "kimball": r"^(dim|fact|bridge|hub|link|sat)_[a-z][a-z0-9_]*$",
}


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
    if own is None or theirs is None or own[0] != "custom":
        return  # a preset is upstream's fixed regex, whatever the convention above
    if set(own[1]) <= set(_patterns(theirs)):
        return  # the patterns above, or some of them: no name passes that did not above
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
    if pattern not in _PRESETS and pattern != "custom":
        return None
    if pattern != "custom":
        return pattern, ()
    patterns = naming.get("custom_patterns")
    if not isinstance(patterns, list) or not patterns:
        return None
    if not all(isinstance(p, str) for p in patterns):
        return None  # floe-core's model refuses it (list[str]); the schema rules report it
    return pattern, tuple(patterns)


def _patterns(convention: tuple[str, tuple[Any, ...]]) -> tuple[Any, ...]:
    """The regexes a convention lets a name match (a preset: upstream's one regex)."""
    pattern, patterns = convention
    return patterns if pattern == "custom" else (_PRESETS[pattern],)


def _shown(convention: tuple[str, tuple[Any, ...]]) -> str:
    pattern, patterns = convention
    if pattern != "custom":
        return f"'{pattern}'"
    return f"'custom' (custom_patterns: {list(patterns)})"
