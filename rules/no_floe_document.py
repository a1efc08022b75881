"""A file named on the command line, or called floe.yaml or manifest.yaml, must hold a manifest
or a product.

Why: floe-lint skips YAML files that are not Floe documents, which is right for a folder
full of dbt and CI files but wrong for a file whose name promises a product or a manifest,
or that someone named explicitly: an empty `floe.yaml`, one holding only comments, a list or
a single value would otherwise pass as "0 files checked", and the pipeline built from it
would have no transforms at all.

Fails:
    # expect: floe.yaml:1:1 floe.yaml holds only comments: expected a manifest (plugins:, scope:) or a product
    # file: floe.yaml
    # name: orders (everything commented out)

Fails:
    # expect: manifest.yaml:1:1 manifest.yaml holds a list, not a mapping: expected a manifest (plugins:, scope:) or a
    # file: manifest.yaml
    - duckdb
    - spark

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms: [{type: dbt, path: models/}]
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, SourceFile, Span

ID, NAME, SEVERITY, SUBJECT = "FL003", "no-floe-document", "error", "file"
GUARD = "untyped-file"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)

_FILE_START = Span(1, 1, 1, 1)
_EXPECTED = "expected a manifest (plugins:, scope:) or a product (name:, platform:, transforms:)"


def check(source: SourceFile, ctx: Context) -> Iterator[Finding]:
    if source.problems or any(d.kind for d in source.documents):
        return  # a file that does not parse is yaml-syntax's finding
    if not ctx.must_hold_floe(source):
        return
    name = source.path.name
    documents = [d for d in source.documents if d.data is not None]
    if not documents:
        yield ctx.file_finding(source, _FILE_START, f"{name} {_nothing(source)}: {_EXPECTED}")
        return
    doc = documents[0]
    if isinstance(doc.data, list):
        what = "holds a list, not a mapping"
    elif isinstance(doc.data, dict):
        what = "holds a mapping with no manifest or product keys (add kind: Manifest or FloeSpec)"
    else:
        what = "holds a single value, not a mapping"
    yield ctx.file_finding(source, doc.span(""), f"{name} {what}: {_EXPECTED}")


def _nothing(source: SourceFile) -> str:
    """How a file without data is empty: blank, comments and document markers, or a null."""
    lines = [line.strip() for line in source.lines]
    if not any(lines):
        return "is empty"
    if all(not line or line.startswith("#") or line in ("---", "...") for line in lines):
        return "holds only comments"
    return "holds only a null value"
