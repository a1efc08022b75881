"""A document must be written in one dialect: ADR-0010's or upstream Floe's code.

Why: floe-lint reads each document in the dialect its keys show (or the config's `dialect:`).
A document that mixes both, such as `plugins.compute` with both `type` and `approved`, or a
product with both `platform.ref` and `platform.manifest`, means different things to different
tools; floe-lint reads it one way and says which, instead of guessing silently.

Fails:
    # expect: manifest.yaml:5:27 this document mixes two dialects: 'plugins.compute.approved' is ADR-0010's shape
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

from floe_lint.api import Context, Document, Finding

ID, NAME, SEVERITY, SUBJECT = "FL108", "mixed-dialect", "error", "document"
GUARD = "mixed-dialect"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)

_NAMES = {"adr-0010": "ADR-0010's", "floe": "upstream Floe's code"}


def _dotted(pointer: str) -> str:
    return pointer[1:].replace("/", ".")


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    mixed = ctx.mixed_dialect(doc)
    if mixed is None:
        return
    ignored, kept = mixed
    read_as = _NAMES.get(doc.dialect, doc.dialect)
    other = _NAMES["adr-0010" if doc.dialect == "floe" else "floe"]
    yield ctx.finding(
        ignored,
        f"this document mixes two dialects: '{_dotted(ignored.pointer)}' is {other} shape, "
        f"'{_dotted(kept.pointer)}' is {read_as}; it is read as {read_as} dialect. Write it in "
        "one, or pin it with 'dialect:' in the config",
        at="key",
        related=[ctx.related(kept, f"{read_as} dialect", at="key")],
    )
