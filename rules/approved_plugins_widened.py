"""A level below the enterprise may not allow a plugin that the enterprise's whitelist does not.

Why: upstream Floe's enterprise lists, per category, the plugins its domains may select
(`approved_plugins`); a level below that writes its own `approved_plugins` (which upstream
accepts only on an enterprise: see `scope-mismatch`) with more names widens the enterprise's
policy for everything under it, and a nested domain would be checked against the wider list.
What is allowed below a level is what every whitelist above it allows. ADR-0010's approved
lists are held to the same by `approved-not-subset`.

Fails:
    # expect: manifest.yaml:7:44 domain 'sales' allows orchestrator 'airflow' below it, which enterprise 'acme' does not approve; approved_plugins.orchestrator above: dagster
    # file: enterprise.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    approved_plugins: {orchestrator: [dagster]}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
    scope: domain
    parent_manifest: enterprise.yaml
    plugins: {orchestrator: {type: dagster}}
    approved_plugins: {orchestrator: [dagster, airflow]}

Passes:
    # file: enterprise.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    approved_plugins: {orchestrator: [dagster, airflow]}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
    scope: domain
    parent_manifest: enterprise.yaml
    plugins: {orchestrator: {type: airflow}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

ID, NAME, SEVERITY, SUBJECT = "FL608", "approved-plugins-widened", "error", "manifest"
DIALECT = "floe"  # only upstream's dialect reads what it checks: ADR-0010 has none of it


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    for widening in level.widenings:
        above = widening.above
        yield ctx.finding(
            widening.node,
            f"{level.label} allows {above.category} '{widening.name}' below it, which "
            f"{above.label} does not approve; approved_plugins.{above.category} above: "
            f"{', '.join(above.names) or 'none'}",
            related=[ctx.related(above.node, f"whitelist of {above.label}", at="key")],
        )
