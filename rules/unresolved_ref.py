"""`platform.ref` (`platform.manifest`) and `parent_manifest` must resolve to a manifest.

Why: a ref that resolves to nothing would silently skip every hierarchy rule; floe-lint
never passes what it could not check, and a blank ref names nothing. Relative paths resolve
from the referencing file; `oci://` refs resolve through `--ref REF=PATH`, the config's
`refs` table, or a registry.

Fails:
    # expect: floe.yaml:2:17 cannot resolve platform.ref '../platform/missing.yaml': '../platform/missing.yaml' points
    # file: floe.yaml
    name: orders
    platform: {ref: ../platform/missing.yaml}
    transforms: [{path: models/x/}]

Fails:
    # expect: floe.yaml:2:17 platform.ref is blank, so it names no manifest and nothing about this product is checked
    # file: floe.yaml
    name: orders
    platform: {ref: "  "}
    transforms: [{path: models/x/}]

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms: [{path: models/x/}]
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

ID, NAME, SEVERITY, SUBJECT = "FL301", "unresolved-ref", "error", "document"
GUARD = "ref-problems"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    for problem in ctx.ref_problems(doc):
        if not problem.cycle and problem.rule == NAME:
            yield ctx.finding(problem.node, problem.message)
