"""Audit logging, once enabled above, may not be disabled below.

Why: audit logs are how an enterprise answers who read or changed which data; a domain that
sets `audit_logging: disabled` removes that record for all its products. Upstream Floe orders
the values `enabled > disabled`. A level that does not write the value inherits it.

Fails:
    # expect: manifest.yaml:6:18 domain 'sales' sets governance.audit_logging to 'disabled', weaker than 'enabled' set by enterprise 'acme'; a level may keep or strengthen the governance above it, never weaken it ('disabled' < 'enabled')
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      audit_logging: enabled
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      audit_logging: disabled

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      audit_logging: enabled
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

ID, NAME, SEVERITY, SUBJECT = "FL602", "audit-logging-weakened", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can weaken


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    yield from governance_weakenings(level, ctx, "audit_logging")
