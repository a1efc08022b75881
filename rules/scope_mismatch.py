"""`scope` and `parent_manifest` must agree, and whitelists sit at the scope that owns them.

Why: an enterprise is the root and has no parent; a domain always has one; a central
(unscoped) platform is a single level. A mismatch means the hierarchy is not what its
authors think, and policy is silently inherited, or not. A blank `parent_manifest` is
reported here, not as an unresolved ref: upstream Floe takes '' for a parent, so the mistake
is the level's place in the hierarchy, not a file that went missing. In upstream Floe's code dialect,
`approved_plugins` and `approved_sinks` belong to an enterprise and `approved_products` to a
domain; anywhere else they govern nothing.

Fails:
    # expect: manifest.yaml:1:8 a domain manifest must name its parent in parent_manifest
    # file: manifest.yaml
    scope: domain
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Fails:
    # expect: manifest.yaml:2:1 an enterprise manifest is the root of its hierarchy and cannot have a parent_manifest
    # file: manifest.yaml
    scope: enterprise
    parent_manifest: other.manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    # file: other.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Fails:
    # expect: manifest.yaml:2:18 parent_manifest is blank, so this domain has no parent and none of its policy is
    # file: manifest.yaml
    scope: domain
    parent_manifest: " "
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Fails:
    # expect: manifest.yaml:6:1 'approved_products' is only valid on a domain manifest, not on scope: enterprise; it
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
GUARD = "scope-amiss"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    has_parent = level.has_parent
    scope = level.scope
    written = level.parent_node.value
    if isinstance(written, str) and not written.strip():
        yield ctx.finding(level.parent_node, _blank(scope))
    elif scope == "enterprise" and has_parent:
        yield ctx.finding(
            level.parent_node,
            "an enterprise manifest is the root of its hierarchy and cannot have a parent_manifest",
            at="key",
        )
    elif scope == "domain" and not has_parent:
        yield ctx.finding(
            level.scope_node,
            "a domain manifest must name its parent in parent_manifest; smallest valid: "
            "parent_manifest: ../enterprise/manifest.yaml",
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
    yield from _misplaced(level, ctx)


def _blank(scope: str | None) -> str:
    """A blank parent_manifest: upstream Floe takes '' for a parent (it is not None), so the
    level is neither a root nor a child that resolves."""
    if scope == "domain":
        return (
            "parent_manifest is blank, so this domain has no parent and none of its policy is "
            "inherited or checked; name its parent (a path or an oci:// ref)"
        )
    return (
        "parent_manifest is blank; remove it (only a domain has a parent, and upstream Floe "
        "refuses any parent_manifest here, even a blank one)"
    )


def _misplaced(level: Level, ctx: Context) -> Iterator[Finding]:
    scope = level.scope
    here = f"scope: {scope}" if scope else "a central manifest (no scope)"
    for node, owner in level.manifest.misplaced:
        article = "an enterprise" if owner == "enterprise" else "a domain"
        yield ctx.finding(
            node,
            f"'{node.key}' is only valid on {article} manifest, not on {here}; it governs "
            "nothing here",
            at="key",
        )
