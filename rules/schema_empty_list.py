"""A list that must not be empty is empty, such as an approved-compute list.

Why: a platform that approves nothing leaves every transform without a legal compute.

Fails:
    # expect: manifest.yaml:3:15 'plugins.compute.approved' is empty: list at least one item
    # file: manifest.yaml
    plugins:
      compute:
        approved: []

Passes:
    # file: manifest.yaml
    plugins:
      compute:
        approved: [duckdb]
        default: duckdb
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

from . import _schema

ID, NAME, SEVERITY, SUBJECT = "FL105", "schema-empty-list", "error", "document"
GUARD = "schema:empty-list"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    yield from _schema.findings(doc, ctx, "empty-list")
