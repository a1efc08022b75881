"""The policy enforcement level may only be kept or raised below the level that sets it.

Why: `policy_enforcement_level` decides whether a policy violation stops a compile (`strict`),
is reported (`warn`) or is ignored (`off`); a domain that lowers it turns the enterprise's
errors into warnings for all its products. Upstream Floe orders `strict > warn > off`.

Fails:
    # expect: manifest.yaml:6:29 domain 'sales' sets governance.policy_enforcement_level to 'warn', weaker than 'strict' set by enterprise 'acme'; a level may keep or strengthen the governance above it, never weaken it ('off' < 'warn' < 'strict')
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      policy_enforcement_level: strict
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      policy_enforcement_level: warn

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      policy_enforcement_level: strict
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

ID, NAME, SEVERITY, SUBJECT = "FL603", "enforcement-level-weakened", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can weaken


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    yield from governance_weakenings(level, ctx, "policy_enforcement_level")
