"""Data-contract checks may only be kept or tightened below the level that sets them.

Why: data contracts keep an output port's schema what its consumers expect; a domain that
lowers `data_contracts.enforcement` (`strict > warn > off`) or turns off `auto_generation`,
`drift_detection` or its `fail_on_type_mismatch` / `fail_on_missing_column` /
`warn_on_extra_column` that its parent turned on lets a breaking schema change through (or a
column nobody agreed to, unannounced). Upstream Floe documents this ordering on
`DataContractsConfig`, but its `validate_security_policy_not_weakened` compares none of these
fields: the message says that only floe-lint reports them. A written `data_contracts` block
holds floe-core's default (`enforcement: warn`, the switches on) for what it leaves out.

Fails:
    # expect: manifest.yaml:6:33 domain 'sales' sets governance.data_contracts.enforcement to 'off', weaker than 'strict' set by enterprise 'acme'; a level may keep or strengthen the governance above it, never weaken it ('off' < 'warn' < 'strict'); floe-core's validate_security_policy_not_weakened leaves this field out, so only floe-lint reports it
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      data_contracts: {enforcement: strict, drift_detection: {enabled: true}}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      data_contracts: {enforcement: 'off'}

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      data_contracts: {enforcement: strict, drift_detection: {enabled: true}}
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

ID, NAME, SEVERITY, SUBJECT = "FL607", "data-contracts-weakened", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can weaken


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    yield from governance_weakenings(level, ctx, "data_contracts")
