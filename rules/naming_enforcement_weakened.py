"""Naming-convention enforcement may only be kept or raised below the level that sets it.

Why: `naming.enforcement` decides whether a model name outside the convention (medallion,
kimball, custom) fails the compile; a domain lowering it lets its products drift from the
names the enterprise's catalogue and lineage rely on. Upstream Floe orders `strict > warn > off`.
A written `naming` block without `enforcement` (`naming: {pattern: medallion}`) is floe-core's
default `warn`, as its model reads it and its `validate_security_policy_not_weakened` compares it.

Fails:
    # expect: manifest.yaml:6:25 domain 'sales' sets governance.naming.enforcement to 'warn', weaker than 'strict' set by enterprise 'acme'; a level may keep or strengthen the governance above it, never weaken it ('off' < 'warn' < 'strict')
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      naming: {enforcement: strict}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      naming: {enforcement: warn, pattern: medallion}

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      naming: {enforcement: strict}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      audit_logging: enabled
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, governance_weakenings

ID, NAME, SEVERITY, SUBJECT = "FL605", "naming-enforcement-weakened", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can weaken


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    yield from governance_weakenings(level, ctx, "naming.enforcement")
