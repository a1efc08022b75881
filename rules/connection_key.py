"""A data product must not hold connection or credential settings, anywhere in its floe.yaml.

Why: upstream Floe keeps products environment-agnostic: hosts, ports, databases, users,
passwords, tokens and keys belong to the platform manifest (and its secret refs), so the same
floe.yaml runs unchanged in every environment and never leaks a credential. Its FloeSpec model
rejects `database`, `schema`, `host`, `port`, `username`, `password`, `credentials`,
`connection_string`, `endpoint`, `access_key`, `secret_key`, `token` and `api_key` at any depth.

Fails:
    # expect: floe.yaml:9:14 'host' is a connection or credential setting; it belongs in the platform manifest (with a
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders}]
    destinations:
      - name: crm
        sink_type: rest_api
        connection_secret_ref: crm-api-key
        config: {host: crm.acme.example}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}

Passes:
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders}]
    destinations:
      - name: crm
        sink_type: rest_api
        connection_secret_ref: crm-api-key
        config: {object: contacts}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product

ID, NAME, SEVERITY, SUBJECT = "FL502", "connection-key", "error", "product"
DIALECT = "floe"  # only upstream's dialect reads what it checks: ADR-0010 has none of it


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    for node, key in product.forbidden:
        yield ctx.finding(
            node,
            f"'{key}' is a connection or credential setting; it belongs in the platform "
            "manifest (with a connection_secret_ref), not in a data product",
            at="key",
            sensitive=True,
        )
