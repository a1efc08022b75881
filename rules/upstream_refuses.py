"""What floe-lint accepts on purpose but the published floe-core refuses is reported, never silent.

Why: floe-lint agrees with upstream Floe's loaders on what a valid file is, except where
upstream is arguably wrong; there a user told "no problems" would still meet a refusal from
`floe platform compile`. floe-core 0.1.0a1 requires `schema` (the column list) in every output
port of a floe.yaml and at the same time rejects the key `schema` anywhere in the product as an
environment-specific database setting, so any product with an output port is refused. The
column list is not a database schema, so floe-lint accepts it and warns here.

Fails:
    # expect: floe.yaml:7:5 floe-core 0.1.0a1 refuses this file: its FloeSpec rejects the key 'schema' anywhere in a
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: customers, version: 1.0.0}
    transforms: [{name: dim_customers}]
    outputPorts:
      - name: customers
        schema: [{name: customer_id, type: string}]
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}

Passes:
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: customers, version: 1.0.0}
    transforms: [{name: dim_customers}]
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

ID, NAME, SEVERITY, SUBJECT = "FL701", "upstream-refuses", "warning", "document"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this

_PORTS = ("outputPorts", "output_ports")


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    if doc.kind != "floe" or doc.dialect != "floe":
        return
    for key in _PORTS:
        ports = doc.get(f"/{key}")
        if not isinstance(ports, list):
            continue
        for index, port in enumerate(ports):
            if isinstance(port, dict) and "schema" in port:
                yield ctx.finding(
                    doc.node(f"/{key}/{index}/schema"),
                    "floe-core 0.1.0a1 refuses this file: its FloeSpec rejects the key 'schema' "
                    "anywhere in a product as an environment-specific setting (FR-014), "
                    "although an output port requires it; `floe platform compile` fails here",
                    at="key",
                )
