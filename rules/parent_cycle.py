"""Following `parent_manifest` must never return to a manifest already visited.

Why: a cycle (including a manifest naming itself) has no root, so no level's effective
approved list or default can be computed.

Fails:
    # expect: b.manifest.yaml:2:18 parent_manifest 'a.manifest.yaml' leads back to a.manifest.yaml, which is already in this
    # file: a.manifest.yaml
    scope: domain
    parent_manifest: b.manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    # file: b.manifest.yaml
    scope: domain
    parent_manifest: a.manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Passes:
    # file: a.manifest.yaml
    scope: domain
    parent_manifest: b.manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    # file: b.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

ID, NAME, SEVERITY, SUBJECT = "FL302", "parent-cycle", "error", "manifest"
GUARD = "ref-problems"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    for problem in ctx.ref_problems(level.doc):
        if problem.cycle:
            yield ctx.finding(problem.node, problem.message)
