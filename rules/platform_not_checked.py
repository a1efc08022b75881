"""A product whose platform is unknown is reported: its computes were not checked.

Why: upstream Floe's `platform.manifest` is optional (its compiler takes `--manifest`), so a
product may name no platform. floe-lint then looks for `check --manifest`, the config's
`manifest:`, or a `manifest.yaml` beside the product; with none of them, nothing governs the
product's compute selections, and a clean run must not suggest otherwise. The same holds for a
product whose platform's hierarchy could not be loaded (a parent manifest that is missing,
unreachable, malformed or in a cycle), or a domain that names no parent at all: that cause is
reported once where it is written, and
the product is marked not checked instead of being blamed for a missing default or an
unapproved compute that the lost parent might have supplied.

Fails:
    # expect: floe.yaml:4:1 this product names no platform (platform.manifest), so its compute selections were not
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders, compute: spark}]

Fails:
    # expect: floe.yaml:3:1 names no platform (platform.ref), so its compute selections were not checked; write 'platform: {ref: ../manifest.yaml}'
    # file: floe.yaml
    name: orders
    version: 1.0.0
    transforms: [{type: dbt, path: models/a/, compute: spark}]

Fails:
    # expect: floe.yaml:2:17 this product's compute selections were not checked: the parent_manifest of domain
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms: [{type: dbt, path: models/a/}]
    # file: manifest.yaml
    scope: domain
    parent_manifest: enterprise/manifest.yaml
    plugins: {compute: {approved: [duckdb]}}

Fails:
    # expect: floe.yaml:2:17 were not checked: domain manifest manifest.yaml (line 1) is a domain that names no
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms: [{type: dbt, path: models/a/, compute: duckdb}]
    # file: manifest.yaml
    scope: domain
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Passes:
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders, compute: duckdb}]
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, Product

ID, NAME, SEVERITY, SUBJECT = "FL307", "platform-not-checked", "warning", "product"
GUARD = "unchecked-platform"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    if not product.transforms:
        return
    level = product.platform
    broken = level.unloaded() if level is not None else None
    if level is not None and broken is not None:
        named = product.platform_node.exists
        if broken.has_parent:
            cause = broken.parent_node
            where = cause.span().start_line
            what = f"the parent_manifest of {broken.label} (line {where}) {_why(broken)}"
            note = "the parent that could not be loaded"
        else:  # a domain naming no parent at all
            cause = broken.scope_node
            where = cause.span().start_line
            what = f"{broken.label} (line {where}) is a domain that names no parent_manifest"
            note = "the domain without a parent"
        yield ctx.finding(
            product.platform_node if named else product.transforms[0].node.parent,
            f"this product's compute selections were not checked: {what}, as reported there",
            at="value" if named else "key",
            related=[ctx.related(cause, note)],
        )
    if not product.unlinked:
        return
    # the key of the product's own dialect: platform.manifest upstream, platform.ref in ADR-0010
    outer, _, inner = product.platform_key.partition(".")
    yield ctx.finding(
        product.transforms[0].node.parent,
        f"this product names no platform ({product.platform_key}), so its compute selections "
        f"were not checked; write '{outer}: {{{inner}: ../manifest.yaml}}' (the platform's "
        "path or oci:// ref), pass 'check --manifest PATH_OR_REF', set 'manifest:' in the "
        "config, or put the platform's manifest.yaml beside it",
        at="key",
    )


def _why(broken: Level) -> str:
    return "leads into a cycle" if broken.parent_status == "cycle" else "could not be loaded"
