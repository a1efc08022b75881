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

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.model.hierarchy import PARENT_POINTER, Level

ID, NAME, SEVERITY, SUBJECT = "FL303", "scope-mismatch", "error", "manifest"


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    has_parent = level.doc.get(PARENT_POINTER) is not None
    scope = level.scope
    if scope == "enterprise" and has_parent:
        yield ctx.finding(
            level.doc,
            PARENT_POINTER,
            "an enterprise manifest is the root of its hierarchy and cannot have a parent_manifest",
            at="key",
        )
    elif scope == "domain" and not has_parent:
        yield ctx.finding(
            level.doc, "/scope", "a domain manifest must name its parent in parent_manifest"
        )
    elif scope is None and has_parent:
        yield ctx.finding(
            level.doc,
            PARENT_POINTER,
            "a central manifest (no scope) cannot have a parent_manifest; set 'scope: domain'",
            at="key",
        )
    elif scope == "domain" and level.parent is not None and level.parent.scope is None:
        yield ctx.finding(
            level.doc,
            PARENT_POINTER,
            f"the parent of a domain must be an enterprise or domain manifest, not the central "
            f"{level.parent.label}",
        )
    for pointer, owner in level.misplaced_keys:
        here = f"scope: {scope}" if scope else "a central manifest (no scope)"
        yield ctx.finding(
            level.doc,
            pointer,
            f"'{pointer[1:]}' is only valid on {'an enterprise' if owner == 'enterprise' else 'a domain'} "
            f"manifest, not on {here}; it governs nothing here",
            at="key",
        )
