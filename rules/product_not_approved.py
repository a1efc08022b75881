"""A product must be one its domain approves, when the domain lists `approved_products`.

Why: upstream Floe's domain manifests name the data products they govern; a product that
points at a domain without being on its list runs on a platform that never agreed to host it
(often a copy-pasted `platform.manifest`, or a renamed product).

Fails:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
    scope: domain
    parent_manifest: enterprise.yaml
    plugins: {compute: {type: duckdb}}
    approved_products: [invoices]
    # file: enterprise.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}}
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
    plugins: {compute: {type: duckdb}}
    approved_products: [invoices, orders]
    # file: enterprise.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}}
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    platform: {manifest: manifest.yaml}
    transforms: [{name: stg_orders}]
"""

from collections.abc import Iterator

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load.document import Document
from floe_lint.model.hierarchy import APPROVED_PRODUCTS_POINTER
from floe_lint.model.product import name_of
from floe_lint.suggest import did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL308", "product-not-approved", "error", "product"


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    level = ctx.hierarchy.platform(doc)
    name, pointer = name_of(doc)
    if level is None or name is None:
        return
    domain = next((lvl for lvl in level.chain() if lvl.approved_products is not None), None)
    if domain is None or domain.approved_products is None or name in domain.approved_products:
        return
    listed = domain.approved_products
    yield ctx.finding(
        doc,
        pointer,
        f"product '{name}' is not in the approved_products of {domain.label} "
        f"({', '.join(listed) or 'none'}){did_you_mean(name, listed)}; ask its owners to add "
        "it, or point platform.manifest at the domain that hosts it",
        related=[
            ctx.related(
                domain.doc, APPROVED_PRODUCTS_POINTER, f"products {domain.label} approves", "key"
            )
        ],
    )
