"""A product whose platform is unknown is reported: its computes were not checked.

Why: upstream Floe's `platform.manifest` is optional (its compiler takes `--manifest`), so a
product may name no platform. floe-lint then looks for `check --manifest`, the config's
`manifest:`, or a `manifest.yaml` beside the product; with none of them, nothing governs the
product's compute selections, and a clean run must not suggest otherwise.

Fails:
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders, compute: spark}]

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
    plugins: {compute: {type: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product

ID, NAME, SEVERITY, SUBJECT = "FL307", "platform-not-checked", "warning", "product"


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    if not product.unlinked or not product.transforms:
        return
    yield ctx.finding(
        product.transforms[0].node.parent,
        f"this product names no platform ({product.platform_key}), so its compute selections "
        "were not checked; write 'platform: {manifest: ../manifest.yaml}' (the platform's "
        "path or oci:// ref), pass 'check --manifest PATH_OR_REF', set 'manifest:' in the "
        "config, or put the platform's manifest.yaml beside it",
        at="key",
    )
