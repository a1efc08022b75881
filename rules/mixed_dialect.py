"""A document must be written in one dialect: ADR-0010's or upstream Floe's code.

Why: floe-lint reads each document in the dialect its keys show (or the config's `dialect:`).
A document that mixes both, such as `plugins.compute` with both `type` and `approved`, or a
product with both `platform.ref` and `platform.manifest`, means different things to different
tools; floe-lint reads it one way and says which, instead of guessing silently.

Fails:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins:
      compute: {type: duckdb, approved: [duckdb, spark]}

Passes:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins:
      compute: {type: duckdb}
"""

from collections.abc import Iterator

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load.dialect import markers
from floe_lint.load.document import Document

ID, NAME, SEVERITY, SUBJECT = "FL108", "mixed-dialect", "error", "document"

_NAMES = {"adr-0010": "ADR-0010's", "floe": "upstream Floe's code"}


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    found = markers(doc.data, str(doc.kind))
    if not found.mixed or found.adr is None or found.floe is None:
        return
    ignored, kept = (found.adr, found.floe) if doc.dialect == "floe" else (found.floe, found.adr)
    other = "adr-0010" if doc.dialect == "floe" else "floe"
    yield ctx.finding(
        doc,
        ignored,
        f"this document mixes two dialects: '{ignored[1:].replace('/', '.')}' is "
        f"{_NAMES[other]} shape, '{kept[1:].replace('/', '.')}' is {_NAMES[doc.dialect]}; it is "
        f"read as {_NAMES[doc.dialect]} dialect. Write it in one, or pin it with 'dialect:' "
        "in the config",
        at="key",
        related=[ctx.related(doc, kept, f"{_NAMES[doc.dialect]} dialect", "key")],
    )
