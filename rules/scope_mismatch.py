"""`scope` and `parent_manifest` must agree, and whitelists sit at the scope that owns them.

Why: an enterprise is the root and has no parent; a domain always has one; a central
(unscoped) platform is a single level. A mismatch means the hierarchy is not what its
authors think, and policy is silently inherited, or not. In upstream Floe's code dialect,
`approved_plugins` and `approved_sinks` belong to an enterprise and `approved_products` to a
domain; anywhere else they govern nothing.

Fails:
    # file: manifest.yaml
    scope: domain
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Fails:
    # file: manifest.yaml
    scope: enterprise
    parent_manifest: other.manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    # file: other.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Fails:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}}
    approved_products: [orders]

Passes:
    # file: manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

ID, NAME, SEVERITY, SUBJECT = "FL303", "scope-mismatch", "error", "manifest"


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    has_parent = level.has_parent
    scope = level.scope
    if scope == "enterprise" and has_parent:
        yield ctx.finding(
            level.parent_node,
            "an enterprise manifest is the root of its hierarchy and cannot have a parent_manifest",
            at="key",
        )
    elif scope == "domain" and not has_parent:
        yield ctx.finding(
            level.scope_node, "a domain manifest must name its parent in parent_manifest"
        )
    elif scope is None and has_parent:
        yield ctx.finding(
            level.parent_node,
            "a central manifest (no scope) cannot have a parent_manifest; set 'scope: domain'",
            at="key",
        )
    elif scope == "domain" and level.parent is not None and level.parent.scope is None:
        yield ctx.finding(
            level.parent_node,
            f"the parent of a domain must be an enterprise or domain manifest, not the central "
            f"{level.parent.label}",
        )
    here = f"scope: {scope}" if scope else "a central manifest (no scope)"
    for node, owner in level.manifest.misplaced:
        article = "an enterprise" if owner == "enterprise" else "a domain"
        yield ctx.finding(
            node,
            f"'{node.key}' is only valid on {article} manifest, not on {here}; it governs "
            "nothing here",
            at="key",
        )
