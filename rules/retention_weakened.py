"""Data may not be kept for fewer days below the level that sets its retention.

Why: a retention period is usually a legal duty ("keep records for 90 days"); a domain with a
shorter `data_retention_days` deletes what the enterprise must keep. Upstream Floe orders it
numerically: higher is stricter.

Fails:
    # expect: manifest.yaml:6:24 domain 'sales' sets governance.data_retention_days to 30, weaker than 90 set by enterprise 'acme'; a level may keep or strengthen the governance above it, never weaken it (a whole number, higher is stricter)
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      data_retention_days: 90
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      data_retention_days: 30

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      data_retention_days: 90
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

ID, NAME, SEVERITY, SUBJECT = "FL604", "retention-weakened", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can weaken


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    yield from governance_weakenings(level, ctx, "data_retention_days")
