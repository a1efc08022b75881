"""A product's `floe.lock` must record every `oci://` ref of its hierarchy, at its current digest.

Why: the lock is what makes a product's checks reproducible: `check` resolves a locked tag
to the recorded digest, so a ref missing from it still floats, and a tag that moved since
`floe-lint lock` means the platform's policy changed under the product unnoticed. Run
`floe-lint lock` to record the new digests (and review what changed). A product without a
floe.lock is not checked; whether a tag moved is only known online.

Fails:
    # expect: floe.yaml:2:17 'oci://registry.example.com/platform@sha256:5432c40c8130036cd0e441ccb187b3839d34a68b9f754
    # file: .floe-lint.yaml
    oci: {cache-dir: ., offline: true}
    # file: floe.yaml
    name: orders
    platform: {ref: "oci://registry.example.com/platform@sha256:5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee"}
    transforms: [{path: models/x/, compute: spark}]
    # file: floe.lock
    {"version": 1, "refs": {}}
    # file: sha256-5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee.json
    {"artifactType":"application/vnd.floe.manifest.v1+yaml","config":{"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":"application/vnd.oci.empty.v1+json","size":2},"layers":[{"annotations":{"org.opencontainers.image.title":"manifest.yaml"},"digest":"sha256:f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777","mediaType":"application/vnd.floe.manifest.v1+yaml","size":83}],"mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2}
    # file: sha256-f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Passes:
    # file: .floe-lint.yaml
    oci: {cache-dir: ., offline: true}
    # file: floe.yaml
    name: orders
    platform: {ref: "oci://registry.example.com/platform@sha256:5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee"}
    transforms: [{path: models/x/, compute: spark}]
    # file: floe.lock
    {"version": 1, "refs": {"oci://registry.example.com/platform@sha256:5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee": {"digest": "sha256:5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee"}}}
    # file: sha256-5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee.json
    {"artifactType":"application/vnd.floe.manifest.v1+yaml","config":{"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":"application/vnd.oci.empty.v1+json","size":2},"layers":[{"annotations":{"org.opencontainers.image.title":"manifest.yaml"},"digest":"sha256:f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777","mediaType":"application/vnd.floe.manifest.v1+yaml","size":83}],"mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2}
    # file: sha256-f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product

ID, NAME, SEVERITY, SUBJECT = "FL306", "lock-stale", "error", "product"


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    for stale in ctx.stale_locks(product):
        site = stale.site
        related = [] if site is None or site.doc is product.doc else [ctx.related(site.node, "ref")]
        yield ctx.finding(product.platform_node, stale.message, related=related)
