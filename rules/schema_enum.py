"""A value outside the allowed set, reported with the closest allowed value.

Why: `scope: enterprize` is not a scope; the manifest would be treated as a central platform.

Fails:
    # expect: manifest.yaml:1:8 'scope' must be one of enterprise, domain, not 'enterprize'; did you mean 'enterprise'?
    # file: manifest.yaml
    scope: enterprize
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Passes:
    # file: manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

from . import _schema

ID, NAME, SEVERITY, SUBJECT = "FL104", "schema-enum", "error", "document"
GUARD = "schema:enum"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    yield from _schema.findings(doc, ctx, "enum")
