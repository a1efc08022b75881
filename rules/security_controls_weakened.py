"""Compile-time security controls may only be kept or tightened below the level that sets them.

Why: `rbac.enabled` (the compile checks the caller's role), `rbac.allow_principal_fallback:
false` (that role must come from an OIDC token, not a `--principal` the caller names),
`secret_scanning.enabled` with `severity: error` (at `warning` floe-core's scanner reports the
secrets it finds as warnings, which do not stop the compile), `network_policies.enabled` with
`default_deny` (the pods floe deploys refuse traffic nobody allowed) and
`stale_table_recovery_mode: strict` (a runtime stops at a catalog table whose Iceberg metadata
is missing instead of re-registering it) protect every product under the level that sets them;
a domain loosening one runs its compile and its products without it. Switches order
`true > false` (the principal fallback `false > true`), the scan severity `error > warning`,
the recovery mode `strict > repair`. A written `rbac`, `secret_scanning` or `network_policies`
block holds floe-core's default for what it leaves out (`enabled: false`,
`allow_principal_fallback: true`, `severity: error`, `default_deny: true`), as its model reads
it and its compile runs with it. floe-core's own `validate_security_policy_not_weakened`
compares none of these fields; the message says that only floe-lint reports them.

Fails:
    # expect: manifest.yaml:6:30 domain 'sales' sets governance.secret_scanning.enabled to false, weaker than true set by enterprise 'acme'; a level may keep or strengthen the governance above it, never weaken it (false < true); floe-core's validate_security_policy_not_weakened leaves this field out, so only floe-lint reports it
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      secret_scanning: {enabled: true}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      secret_scanning: {enabled: false}

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      secret_scanning: {enabled: true}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      secret_scanning: {enabled: true, severity: error}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, governance_weakenings

ID, NAME, SEVERITY, SUBJECT = "FL609", "security-controls-weakened", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can weaken

#: the fields this rule holds (the others have a rule of their own)
PREFIXES = ("stale_table_recovery_mode", "rbac", "secret_scanning", "network_policies")


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    for prefix in PREFIXES:
        yield from governance_weakenings(level, ctx, prefix)
