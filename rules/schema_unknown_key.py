"""A key that the schema does not define: usually a typo, reported with "did you mean".

Why: an unknown key is ignored by Floe, so `comptue: spark` silently runs on the default.

Fails:
    # expect: floe.yaml:5:5 unknown key 'comptue' in 'transforms[0]'; did you mean 'compute'? (allowed: name, type
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - path: models/x/
        comptue: duckdb
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - path: models/x/
        compute: duckdb
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

from . import _schema

ID, NAME, SEVERITY, SUBJECT = "FL101", "schema-unknown-key", "error", "document"
GUARD = "schema:unknown-key"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    yield from _schema.findings(doc, ctx, "unknown-key")
