"""A value floe-core reads as another type (`"30"` as the integer 30) is named, not refused.

Why: floe-core validates a file with pydantic in lax mode, which reads a numeric string or a
boolean where a number is wanted, a whole float where an integer is, `"yes"`, `"off"`, `"1"`
(and 0 and 1) where a boolean is, and `!!binary` text where a string is; `floe platform
compile` then runs with the value it read. A schema error there would say upstream refuses a
file it accepts; silence would hide that the value is not the one written. The warning names
what floe-core reads (asked of pydantic itself), and the value read is checked in its place:
`data_retention_days: "0"` is still refused by the bound. floe-lint's own ADR-0010 dialect is
read strictly (a type error).

Fails:
    # expect: manifest.yaml:5:35 'governance.data_retention_days': floe-core reads '30' as the integer 30 (pydantic's lax mode); write 30 to say so
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    governance: {data_retention_days: "30"}

Passes:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    governance: {data_retention_days: 30}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

from . import _schema

ID, NAME, SEVERITY, SUBJECT = "FL708", "schema-coerced", "warning", "document"
GUARD = "schema:coerced"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    yield from _schema.findings(doc, ctx, "coerced")
