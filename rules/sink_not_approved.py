"""A reverse-ETL destination may only use a sink type its enterprise approves.

Why: upstream Floe's enterprise manifest lists in `approved_sinks` the systems data may be
pushed back into (a CRM's REST API, a Postgres database); a product's `destinations` writing
to another one moves governed data somewhere nobody approved. Without `approved_sinks`, any
sink is allowed.

Fails:
    # expect: floe.yaml:7:28 destination sink type 'salesforce' is not in the approved_sinks of enterprise 'acme'
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    approved_sinks: [rest_api]
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    platform: {manifest: manifest.yaml}
    transforms: [{name: stg_orders}]
    destinations:
      - {name: crm, sink_type: salesforce, connection_secret_ref: crm-key}

Passes:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    approved_sinks: [rest_api]
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    platform: {manifest: manifest.yaml}
    transforms: [{name: stg_orders}]
    destinations:
      - {name: crm, sink_type: rest_api, connection_secret_ref: crm-key}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product, did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL220", "sink-not-approved", "error", "product"
DIALECT = "floe"  # only upstream's dialect reads what it checks: ADR-0010 has none of it


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    if product.platform is None or not product.sinks or product.platform.unloaded() is not None:
        return
    chain = product.platform.chain()
    owner = next((lvl for lvl in chain if lvl.manifest.approved_sinks is not None), None)
    if owner is None:
        return
    allowed = list(owner.manifest.approved_sinks or ())
    listed = owner.manifest.approved_sinks_node or owner.node
    for sink, node in product.sinks:
        if sink in allowed:
            continue
        yield ctx.finding(
            node,
            f"destination sink type '{sink}' is not in the approved_sinks of {owner.label} "
            f"({', '.join(allowed) or 'none'}){did_you_mean(sink, allowed)}",
            related=[ctx.related(listed, f"sinks {owner.label} approves", at="key")],
        )
