"""A platform that products compile on must select a compute and an orchestrator.

Why: upstream Floe's compile resolves `plugins.compute` and `plugins.orchestrator` of the
platform manifest before anything else and refuses every product on a manifest that lacks
either ("Required plugin 'orchestrator' not found in platform manifest",
`compilation/resolver.py`). The schema lets both be left out (an enterprise may leave them to
its domains), so the gap shows only when a product is compiled. floe-lint reports it, for
each product of the run written in upstream's code dialect, at the `plugins` of the manifest
the product names, when no level of its hierarchy selects the category (once per manifest,
however many products name it). A parent that could not be loaded may select it, so a level
below one is not judged.

Fails:
    # expect: manifest.yaml:4:1 no level of platform 'acme-platform' selects plugins.orchestrator
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins:
      compute: {type: duckdb}
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders}]

Passes:
    # file: enterprise.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
    scope: domain
    parent_manifest: enterprise.yaml
    plugins: {catalog: {type: polaris}}
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders}]
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, Product

ID, NAME, SEVERITY, SUBJECT = "FL221", "required-plugin-missing", "error", "product"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this

#: The categories upstream's compile requires, with the plugins its registry knows for each.
REQUIRED = {
    "compute": ("duckdb", "snowflake", "spark", "bigquery", "databricks"),
    "orchestrator": ("dagster", "airflow", "prefect"),
}


def _selects(level: Level, category: str) -> bool:
    if category == "compute":
        return bool(level.entries)
    return any(s.category == category for s in level.manifest.selections)


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    level = product.platform
    if level is None or level.unloaded() is not None:
        return  # unresolved-ref or platform-not-checked says why
    if product.doc.dialect != "floe" or level.doc.dialect != "floe":
        return  # upstream's compile reads its own dialect only
    if ctx.mixed_dialect(level.doc) is not None:
        return  # mixed-dialect is the one cause
    plugins = level.node.child("plugins")
    for category, known in REQUIRED.items():
        if any(_selects(lvl, category) for lvl in level.chain()):
            continue
        yield ctx.finding(
            plugins if plugins.exists else level.node,
            f"no level of {level.label} selects plugins.{category}; upstream Floe's compile "
            f"refuses every product on it (\"Required plugin '{category}' not found in "
            f"platform manifest\"); add e.g. '{category}: {{type: {known[0]}}}' (known: "
            f"{', '.join(known)})",
            at="key",
        )
