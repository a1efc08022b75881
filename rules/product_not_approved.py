"""A product must be one its domain approves, when the domain lists `approved_products`.

Why: upstream Floe's domain manifests name the data products they govern; a product that
points at a domain without being on its list runs on a platform that never agreed to host it
(often a copy-pasted `platform.manifest`, or a renamed product).

Fails:
    # expect: floe.yaml:3:18 product 'orders' is not in the approved_products of domain 'sales' (invoices); ask its
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
    scope: domain
    parent_manifest: enterprise.yaml
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    approved_products: [invoices]
    # file: enterprise.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    platform: {manifest: manifest.yaml}
    transforms: [{name: stg_orders}]

Passes:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
    scope: domain
    parent_manifest: enterprise.yaml
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    approved_products: [invoices, orders]
    # file: enterprise.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    platform: {manifest: manifest.yaml}
    transforms: [{name: stg_orders}]
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product, did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL308", "product-not-approved", "error", "product"
GUARD = "approved-products"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    level = product.platform
    if level is None or level.unloaded() is not None:
        return  # platform-not-checked names the parent that could not be loaded
    if product.name is None or product.name_node is None:
        return
    domain = next(
        (lvl for lvl in level.chain() if lvl.manifest.approved_products is not None), None
    )
    if domain is None:
        return
    listed = list(domain.manifest.approved_products or ())
    if product.name in listed:
        return
    related = domain.manifest.approved_products_node or domain.node
    yield ctx.finding(
        product.name_node,
        f"product '{product.name}' is not in the approved_products of {domain.label} "
        f"({', '.join(listed) or 'none'}){did_you_mean(product.name, listed)}; ask its owners "
        f"to add it, or point {product.platform_key} at the domain that hosts it",
        related=[ctx.related(related, f"products {domain.label} approves", at="key")],
    )
