"""Every manifest chain must end at a trusted root, when trusted roots are given.

Why: floe-lint's verdict is worth something only if the enterprise policy it checks against
is the organisation's real one. Without a root of trust, a pull request can add its own
permissive "enterprise" manifest and point its product (or a domain) at it, and every check
passes. `check --trusted-root REF` (repeatable) or the config's `trusted-roots` names the
sanctioned enterprise manifests (a path, compared by real path; or an `oci://` ref, best
pinned by digest, compared by digest). A product or domain whose hierarchy ends anywhere
else is reported at the ref that leaves the trusted tree, naming where it really ends. With
trusted roots, a product that names no platform is reported too. This rule cannot be
silenced by a suppression comment, an ignore or a baseline: only the config's `exceptions`.

Fails:
    # expect: floe.yaml:2:17 platform.ref 'own.manifest.yaml' leaves the trusted tree: this hierarchy ends at enterprise manifest own.manifest.yaml (own.manifest.yaml), which is not a trusted root (trusted: enterprise.manifest.yaml)
    # file: .floe-lint.yaml
    trusted-roots: [enterprise.manifest.yaml]
    # file: enterprise.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    # file: own.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb, snowflake], default: snowflake}}
    # file: floe.yaml
    name: orders
    platform: {ref: own.manifest.yaml}
    transforms: [{type: dbt, path: models/a/, compute: snowflake}]

Passes:
    # file: .floe-lint.yaml
    trusted-roots: [enterprise.manifest.yaml]
    # file: enterprise.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    # file: floe.yaml
    name: orders
    platform: {ref: enterprise.manifest.yaml}
    transforms: [{type: dbt, path: models/a/, compute: duckdb}]
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

ID, NAME, SEVERITY, SUBJECT = "FL310", "untrusted-root", "error", "document"
GUARD = "trusted-roots"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    verdict = ctx.trust_verdict(doc)
    if verdict is None or verdict.trusted or verdict.node is None:
        return
    related = []
    if verdict.end is not None:
        related.append(ctx.related(verdict.end.node, "the hierarchy ends here", at="key"))
    yield ctx.finding(verdict.node, verdict.message, related=related)
