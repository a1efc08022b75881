"""A level's custom naming pattern that floe-lint cannot prove no wider than the convention above
it, while naming is enforced there, is reported for a person to check.

Why: floe-core checks no level's naming against the level above (its
`validate_security_policy_not_weakened` compares `naming.enforcement` only), and deciding
whether one regex matches no more names than others is hard in general; running a user's
pattern to find out may backtrack without bound. FL612 `naming-pattern-replaced` reports what
is surely wider; a pattern neither kept (each of its alternatives begins with a pattern above
or with narrower items, maybe after a lookahead, under the same flags or below a pattern that
ignores case: `^(raw|agg)_[a-z]+$` under `^raw_` and `^agg_`) nor surely wider
(`floe_lint.model.naming_inclusion`) is this warning: it may be stricter, as
`^raw_[a-z0-9]+(_v[0-9]+)?$` under `^raw_[a-z]` is not, or not. Write it as a pattern above
followed by more, or behind a lookahead (`(?=...)` then the pattern above), and it is kept.

Fails:
    # expect: manifest.yaml:6:68 domain 'sales' writes governance.naming.custom_patterns[0] '^r.w_[a-z]+$', which floe-lint cannot prove matches no name the convention of enterprise 'acme' above it refuses ('custom' (custom_patterns: ['^raw_', '^agg_'])) while naming is enforced there ('strict'); floe-core does not compare the two: check it, or write a pattern above followed by more
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
      naming: {enforcement: strict, pattern: custom, custom_patterns: ['^r.w_[a-z]+$']}

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
      naming: {enforcement: strict, pattern: custom, custom_patterns: ['^(raw|agg)_[a-z]+$', '(?!agg_tmp)^agg_']}
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, compare_naming, naming_text

ID, NAME, SEVERITY, SUBJECT = "FL614", "naming-pattern-unproven", "warning", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can replace


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    compared = compare_naming(level)
    if compared is None or any(v[1] == "wider" for v in compared.verdicts):
        return  # nothing to compare, or FL612's error
    patterns = compared.naming.child("custom_patterns")
    for index, verdict, _ in compared.verdicts:
        if verdict == "unproven":
            yield ctx.finding(
                patterns.child(index),
                f"{level.label} writes governance.naming.custom_patterns[{index}] "
                f"{compared.own[1][index]!r}, which floe-lint cannot prove matches no name the "
                f"convention of {compared.owner.label} above it refuses "
                f"({naming_text(compared.theirs)}) while naming is enforced there "
                f"('{compared.enforcement.value}'); floe-core does not compare the two: check "
                "it, or write a pattern above followed by more",
            )
