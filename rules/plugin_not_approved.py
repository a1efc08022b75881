"""A domain may only select, in every plugin category, a plugin its enterprise whitelists.

Why: upstream Floe's enterprise manifest lists in `approved_plugins` the plugins its domains
may use, per category (orchestrator, catalog, storage, ...); a domain selecting another one
escapes enterprise policy. A category missing from `approved_plugins` is unrestricted. Nested
domains are held to the same whitelist. Computes are checked by `approved-not-subset`.

Fails:
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

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.model.hierarchy import Level
from floe_lint.suggest import did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL209", "plugin-not-approved", "error", "manifest"


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    ancestors = level.chain()[1:]
    for selection in level.selections:
        if selection.category == "compute":
            continue  # approved-not-subset
        owner = next((a for a in ancestors if selection.category in a.whitelists), None)
        if owner is None:
            continue
        whitelist = owner.whitelists[selection.category]
        if selection.type in whitelist.names:
            continue
        allowed = list(whitelist.names)
        yield ctx.finding(
            level.doc,
            selection.type_pointer,
            f"{level.label} selects {selection.category} '{selection.type}', which "
            f"{owner.label} does not approve; approved_plugins.{selection.category}: "
            f"{', '.join(allowed) or 'none'}{did_you_mean(selection.type, allowed)}",
            related=[
                ctx.related(owner.doc, whitelist.pointer, f"whitelist of {owner.label}", "key")
            ],
        )
