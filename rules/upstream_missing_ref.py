"""A transform may depend only on transforms of its own product, where upstream enforces it.

Why: upstream Floe's `floe platform compile` checks the product's models as a dbt graph; a
`dependsOn` naming a model the product does not have is FLOE-E301 (InvalidModelReference), and
under `policy_enforcement_level: strict` in the platform manifest the compile fails on it. The
graph is built from floe.yaml alone, so this is known before compile runs.

Fails:
    # expect: floe.yaml:6:36 FLOE-E301: transform 'fct_orders' depends on 'stg_order', which is not a transform of this product; floe platform compile refuses it (policy_enforcement_level: strict); did you mean 'stg_orders'?
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms:
      - {name: stg_orders}
      - {name: fct_orders, dependsOn: [stg_order]}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    governance: {policy_enforcement_level: strict}

Passes:
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms:
      - {name: stg_orders}
      - {name: fct_orders, dependsOn: [stg_orders]}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    governance: {policy_enforcement_level: strict}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product, depends_on, did_you_mean, strict_enforcement

ID, NAME, SEVERITY, SUBJECT = "FL702", "upstream-missing-ref", "error", "product"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    enforcement = strict_enforcement(product)
    if enforcement is None:
        return
    names = [t.identity for t in product.transforms if t.identity is not None]
    for transform in product.transforms:
        key, dependencies = depends_on(transform.data)
        for index, name in enumerate(dependencies):
            if not isinstance(name, str) or name in names:
                continue
            yield ctx.finding(
                transform.node.child(key, index),
                f"FLOE-E301: {transform.label} depends on '{name}', which is not a transform of "
                "this product; floe platform compile refuses it (policy_enforcement_level: "
                f"strict){did_you_mean(name, [n for n in names if n != transform.identity])}",
                related=[ctx.related(enforcement.level_node, "enforcement is strict here")],
            )
