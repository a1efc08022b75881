"""An `oci://` manifest whose bytes do not match their digest is refused, never linted.

Why: a digest names exact content. A registry blob that was tampered with or corrupted, or a
cached copy that changed on disk, would otherwise be checked as if it were the manifest the
platform team published. floe-lint hashes every manifest and layer it pulls or reads from
its cache and reports a mismatch at the ref that led to it. (A cached blob answers only the
repositories listed in its `.repositories` file: those it was pulled from or pushed to.)

Fails:
    # expect: floe.yaml:2:17 the cached copy of sha256:f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777 is corrupted
    # file: .floe-lint.yaml
    oci: {cache-dir: ., offline: true}
    # file: floe.yaml
    name: orders
    platform: {ref: "oci://registry.example.com/platform@sha256:5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee"}
    transforms: [{path: models/x/, compute: spark}]
    # file: sha256-5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee.json
    {"artifactType":"application/vnd.floe.manifest.v1+yaml","config":{"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":"application/vnd.oci.empty.v1+json","size":2},"layers":[{"annotations":{"org.opencontainers.image.title":"manifest.yaml"},"digest":"sha256:f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777","mediaType":"application/vnd.floe.manifest.v1+yaml","size":83}],"mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2}
    # file: sha256-5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee.json.repositories
    registry.example.com/platform
    # file: sha256-f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777.manifest.yaml.repositories
    registry.example.com/platform
    # file: sha256-f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb, spark, snowflake], default: duckdb}}

Passes:
    # file: .floe-lint.yaml
    oci: {cache-dir: ., offline: true}
    # file: floe.yaml
    name: orders
    platform: {ref: "oci://registry.example.com/platform@sha256:5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee"}
    transforms: [{path: models/x/, compute: spark}]
    # file: sha256-5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee.json
    {"artifactType":"application/vnd.floe.manifest.v1+yaml","config":{"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":"application/vnd.oci.empty.v1+json","size":2},"layers":[{"annotations":{"org.opencontainers.image.title":"manifest.yaml"},"digest":"sha256:f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777","mediaType":"application/vnd.floe.manifest.v1+yaml","size":83}],"mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2}
    # file: sha256-5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee.json.repositories
    registry.example.com/platform
    # file: sha256-f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777.manifest.yaml.repositories
    registry.example.com/platform
    # file: sha256-f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

ID, NAME, SEVERITY, SUBJECT = "FL305", "ref-integrity", "error", "document"
GUARD = "ref-problems"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    for problem in ctx.ref_problems(doc):
        if problem.rule == NAME:
            yield ctx.finding(problem.node, problem.message)
