"""A domain may only select, in every plugin category, a plugin its enterprise whitelists.

Why: upstream Floe's enterprise manifest lists in `approved_plugins` the plugins its domains
may use, per category (orchestrator, catalog, storage, ...); a domain selecting another one
escapes enterprise policy. A category missing from `approved_plugins` is unrestricted. Nested
domains are held to the same whitelist, even when a domain between them widens it (that is
`approved-plugins-widened`). Computes are checked by `approved-not-subset`.

Fails:
    # expect: manifest.yaml:6:32 domain 'sales' selects orchestrator 'airflow', which enterprise 'acme' does not approve
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
    plugins: {orchestrator: {type: airflow}}

Passes:
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
    plugins: {orchestrator: {type: dagster}, catalog: {type: glue}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL209", "plugin-not-approved", "error", "manifest"
DIALECT = "floe"  # only upstream's dialect reads what it checks: ADR-0010 has none of it


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    if level.parent is None:
        return
    for selection in level.manifest.selections:
        # what every whitelist above allows: a level below the enterprise cannot widen it
        allowed = level.parent.plugins_allowed.get(selection.category)
        if allowed is None or selection.type in allowed.names:
            continue
        names = list(allowed.names)
        yield ctx.finding(
            selection.type_node,
            f"{level.label} selects {selection.category} '{selection.type}', which "
            f"{allowed.label} does not approve; approved_plugins.{selection.category}: "
            f"{', '.join(names) or 'none'}{did_you_mean(selection.type, names)}",
            related=[ctx.related(allowed.node, f"whitelist of {allowed.label}", at="key")],
        )
