"""A value of the wrong type (a list where a name is expected, a number where text is).

Why: Floe reads these values by type; `version: 1.0` is the number 1 and loses its text.

Fails:
    # expect: floe.yaml:2:10 'version' must be a string, not a number (1.0); quote it: "1.0"
    # file: floe.yaml
    name: orders
    version: 1.0
    platform: {ref: manifest.yaml}
    transforms: [{path: models/x/}]
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Passes:
    # file: floe.yaml
    name: orders
    version: "1.0"
    platform: {ref: manifest.yaml}
    transforms: [{path: models/x/}]
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

from . import _schema

ID, NAME, SEVERITY, SUBJECT = "FL102", "schema-type", "error", "document"
GUARD = "schema:type"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    yield from _schema.findings(doc, ctx, "type")
