"""A required key is missing; reported at the mapping that should hold it.

Why: without `platform.ref` a product has no governance; without `path` a transform selects
nothing. Missing keys make every downstream check meaningless.

Fails:
    # expect: floe.yaml:4:5 missing required key 'path' in 'transforms[0]'
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - type: dbt
        compute: duckdb
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - type: dbt
        path: models/x/
        compute: duckdb
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

from . import _schema

ID, NAME, SEVERITY, SUBJECT = "FL103", "schema-required", "error", "document"
GUARD = "schema:required"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    yield from _schema.findings(doc, ctx, "required")
