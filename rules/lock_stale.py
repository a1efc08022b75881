"""A product's `floe.lock` must record every `oci://` ref of its hierarchy, at its current digest.

Why: the lock is what makes a product's checks reproducible: `check` resolves a locked tag
to the recorded digest, so a ref missing from it still floats, and a tag that moved since
`floe-lint lock` means the platform's policy changed under the product unnoticed. Run
`floe-lint lock` to record the new digests (and review what changed). A product without a
floe.lock is not checked; whether a tag moved is only known online.

Fails:
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

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load.document import Document
from floe_lint.model.hierarchy import platform_pointer
from floe_lint.model.refs import parse_oci
from floe_lint.oci import lockfile
from floe_lint.oci.pull import Fetcher

ID, NAME, SEVERITY, SUBJECT = "FL306", "lock-stale", "error", "product"


def check(product: Document, ctx: Context) -> Iterator[Finding]:
    name = lockfile.LOCK_NAME
    try:
        locked = lockfile.read(lockfile.lock_path(product.path))
    except lockfile.LockError as error:
        yield ctx.finding(product, platform_pointer(product), str(error))
        return
    if locked is None:
        return
    resolver = ctx.hierarchy.resolver
    fetch = resolver.fetch if isinstance(resolver.fetch, Fetcher) else None
    for site in lockfile.hierarchy_refs(ctx.hierarchy, product):
        if site.text in resolver.overrides or site.key in resolver.overrides:
            continue  # a local stand-in, not a registry artifact
        related = [] if site.doc is product else [ctx.related(site.doc, site.pointer, "ref")]
        digest = locked.get(site.key)
        pinned = site.key.partition("@")[2]
        used = fetch.resolved.get(site.key) if fetch else None
        if digest is None:
            message = f"'{site.text}' has no entry in {name}; run `floe-lint lock` to record it"
        elif pinned and pinned != digest:
            message = f"'{site.text}' is pinned to {pinned} but {name} records {digest}"
        elif used and used != digest:
            message = f"'{site.text}' resolved to {used} (another lock file), not {digest}"
        elif fetch and used and not pinned:
            current = fetch.current_digest(parse_oci(site.text))
            if current is None or current == digest:
                continue
            message = (
                f"tag '{site.text}' now points to {current}, but {name} records {digest}; "
                "review the change and run `floe-lint lock` to accept it"
            )
        else:
            continue
        yield ctx.finding(product, platform_pointer(product), message, related=related)
