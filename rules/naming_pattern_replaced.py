"""A level may not replace the naming convention above it by patterns of its own while naming
is enforced there.

Why: `naming.enforcement` above holds model names to the convention the level above chose;
floe-core compiles a domain with its own `naming` block, so a domain that switches a preset
(`medallion`, `kimball`) to `pattern: custom`, or adds custom patterns to the ones above it,
checks its products against regexes of its own choosing (`.*` passes every name) while the
enforcement level looks untouched. floe-core's `validate_security_policy_not_weakened`
compares `naming.enforcement` only: this rule is floe-lint's. A name passes floe-core's custom
convention when `re.match` of any pattern succeeds, so each pattern below is compared with
those above on `re`'s parse trees, never run (`floe_lint.model.naming_inclusion`): one that
begins with a pattern above (the patterns above in any order, or only some of them, or one
made stricter by more after it or a lookahead before it) is kept; one that surely matches a
name every pattern above refuses (`.*`, `^stg_` under `^raw_`) is this error; any other is
FL614 `naming-pattern-unproven`, a warning. A preset below passes, whatever the convention
above: its regex is upstream's, fixed, and cannot be widened. A preset's own regex written as
its custom pattern is that preset. An `enforcement: off` above enforces nothing.

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

from floe_lint.api import Context, Finding, Level, compare_naming, naming_text

ID, NAME, SEVERITY, SUBJECT = "FL612", "naming-pattern-replaced", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can replace


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    compared = compare_naming(level)
    if compared is None or not any(v[1] == "wider" for v in compared.verdicts):
        return  # kept, or not provably wider: FL614 naming-pattern-unproven warns of the latter
    naming, owner = compared.naming, compared.owner
    pattern = naming.child("pattern")
    yield ctx.finding(
        pattern if pattern.exists else naming,
        f"{level.label} replaces governance.naming.pattern {naming_text(compared.theirs)} of "
        f"{owner.label} by {naming_text(compared.own)} while naming is enforced there "
        f"('{compared.enforcement.value}'); a level may keep the naming convention above it, "
        "not substitute patterns of its own",
        at="value" if pattern.exists else "key",
        related=[ctx.related(compared.above, f"governance.naming of {owner.label}", at="key")],
    )
