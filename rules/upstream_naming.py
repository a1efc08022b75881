"""A transform's name must follow the platform's naming pattern, where upstream enforces it.

Why: upstream Floe's `floe platform compile` checks every model name against
`governance.naming` (medallion: `bronze_`, `silver_` or `gold_` then lower-case letters, digits
and `_`; kimball: `dim_`, `fact_`, `bridge_`, `hub_`, `link_` or `sat_`). With
`naming.enforcement: strict` a mismatch is FLOE-E201, and under `policy_enforcement_level:
strict` the compile fails on it. (Custom patterns are regexes of the manifest: not run here.)

Fails:
    # expect: floe.yaml:5:12 FLOE-E201: transform name 'stg_orders' does not follow the medallion naming pattern (bronze_, silver_ or gold_, then [a-z][a-z0-9_]*); floe platform compile refuses it (naming.enforcement and policy_enforcement_level: strict)
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms:
      - {name: stg_orders}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    governance:
      policy_enforcement_level: strict
      naming: {enforcement: strict, pattern: medallion}

Passes:
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms:
      - {name: bronze_orders}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    governance:
      policy_enforcement_level: strict
      naming: {enforcement: strict, pattern: medallion}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product, matches_naming, strict_enforcement

ID, NAME, SEVERITY, SUBJECT = "FL704", "upstream-naming", "error", "product"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this

_PREFIXES = {
    "medallion": "bronze_, silver_ or gold_",
    "kimball": "dim_, fact_, bridge_, hub_, link_ or sat_",
}


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    enforcement = strict_enforcement(product)
    if enforcement is None or enforcement.setting("naming", "enforcement") != "strict":
        return
    pattern = enforcement.setting("naming", "pattern") or "medallion"  # upstream's default
    if pattern not in _PREFIXES:
        return
    for transform in product.transforms:
        name = transform.identity
        if name is None or matches_naming(name, pattern):
            continue
        yield ctx.finding(
            transform.identity_node,
            f"FLOE-E201: {transform.label.replace('transform', 'transform name', 1)} does not "
            f"follow the {pattern} naming pattern ({_PREFIXES[pattern]}, then [a-z][a-z0-9_]*); "
            "floe platform compile refuses it (naming.enforcement and "
            "policy_enforcement_level: strict)",
            related=[ctx.related(enforcement.node("naming"), f"naming: {pattern}, strict")],
        )
