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

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load.document import Document
from floe_lint.model.product import TRANSFORMS_POINTER

ID, NAME, SEVERITY, SUBJECT = "FL307", "platform-not-checked", "warning", "product"


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    if doc.get(TRANSFORMS_POINTER) is None or not ctx.hierarchy.unlinked(doc):
        return
    yield ctx.finding(
        doc,
        TRANSFORMS_POINTER,
        "this product names no platform (platform.manifest), so its compute selections were "
        "not checked; pass 'check --manifest PATH_OR_REF', set 'manifest:' in the config, or "
        "put the platform's manifest.yaml beside it",
        at="key",
    )
