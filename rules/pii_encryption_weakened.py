"""PII encryption, once required above, may not be made optional below.

Why: an enterprise that requires PII to be encrypted answers for every domain and product under it;
a domain that sets `pii_encryption: optional` quietly lets its products store PII in clear.
Upstream Floe orders the values `required > optional` (`GovernanceConfig`) but its compile never
compares a child with its parent. A level that does not write the value inherits it: that is
not a weakening. Both dialects read `governance:` at the top of a manifest.

Fails:
    # expect: manifest.yaml:6:19 domain 'sales' sets governance.pii_encryption to 'optional', weaker than 'required' set by enterprise 'acme'; a level may keep or strengthen the governance above it, never weaken it ('optional' < 'required')
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      pii_encryption: required
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      pii_encryption: optional

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      pii_encryption: required
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

ID, NAME, SEVERITY, SUBJECT = "FL601", "pii-encryption-weakened", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can weaken


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    yield from governance_weakenings(level, ctx, "pii_encryption")
