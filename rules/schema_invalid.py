"""Any other schema violation: an empty string, a malformed compute name, and so on.

Why: the schemas in `schemas/` are the contract Floe reads; anything they reject breaks later.

Fails:
    # expect: manifest.yaml:1:18 'metadata.name' must not be empty
    # file: manifest.yaml
    metadata: {name: ""}
    plugins:
      compute:
        approved: [duckdb]
        default: duckdb

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

ID, NAME, SEVERITY, SUBJECT = "FL106", "schema-invalid", "error", "document"
GUARD = "schema:invalid"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    yield from _schema.findings(doc, ctx, "invalid")
