"""Quality gates may only be kept or tightened below the level that sets them.

Why: the enterprise's quality gates (`minimum_test_coverage`, per-layer `layer_thresholds`,
`require_descriptions`, `require_column_descriptions`, `block_on_failure`) are the bar every
data product must clear; a domain lowering one ships untested or undocumented models under the
enterprise's name. Upstream Floe orders numbers higher-is-stricter and switches `true > false`;
`zero_column_coverage_behavior: report_100_percent` (a model without columns counts as fully
tested) is weaker than `report_na`. A gate that a written `quality_gates` (or
`layer_thresholds`) block leaves out is floe-core's default (coverage 80, `block_on_failure:
true`, layers 50/80/100, descriptions `false`, `report_na`), as its model reads it and its
`validate_security_policy_not_weakened` compares it.

Fails:
    # expect: manifest.yaml:6:42 domain 'sales' sets governance.quality_gates.minimum_test_coverage to 60, weaker than 80 set by enterprise 'acme'; a level may keep or strengthen the governance above it, never weaken it (a whole number, higher is stricter)
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      quality_gates: {minimum_test_coverage: 80, require_descriptions: true}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      quality_gates: {minimum_test_coverage: 60, require_descriptions: true}

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      quality_gates: {minimum_test_coverage: 80, require_descriptions: true}
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

ID, NAME, SEVERITY, SUBJECT = "FL606", "quality-gates-weakened", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can weaken


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    yield from governance_weakenings(level, ctx, "quality_gates")
