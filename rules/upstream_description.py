"""A product's models need descriptions upstream cannot see, where upstream requires them.

Why: upstream Floe's `floe platform compile` checks documentation on the dbt graph it builds
from floe.yaml, in which every model's description is empty (floe.yaml has no place for one).
With `quality_gates.require_descriptions: true` every model is FLOE-E220
(ModelDescriptionMissing), and under `policy_enforcement_level: strict` the compile of any such
product fails. Reported once per product, at its transforms.

Fails:
    # expect: floe.yaml:4:13 FLOE-E220: floe platform compile refuses every transform of this product (1): the platform requires model descriptions (quality_gates.require_descriptions) and upstream's compile sees none in floe.yaml; policy_enforcement_level: strict
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders}]
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    governance:
      policy_enforcement_level: strict
      quality_gates: {require_descriptions: true}

Passes:
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders}]
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    governance:
      policy_enforcement_level: strict
      quality_gates: {require_descriptions: false}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product, strict_enforcement

ID, NAME, SEVERITY, SUBJECT = "FL705", "upstream-description", "error", "product"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    enforcement = strict_enforcement(product)
    if enforcement is None or not enforcement.switch("quality_gates", "require_descriptions"):
        return
    if not product.transforms:
        return
    yield ctx.finding(
        product.node.child("transforms"),
        "FLOE-E220: floe platform compile refuses every transform of this product "
        f"({len(product.transforms)}): the platform requires model descriptions "
        "(quality_gates.require_descriptions) and upstream's compile sees none in floe.yaml; "
        "policy_enforcement_level: strict",
        related=[
            ctx.related(enforcement.node("quality_gates", "require_descriptions"), "required here")
        ],
    )
