"""A manifest or floe.yaml holds one YAML document.

Why: upstream Floe reads each file with `yaml.safe_load`, which refuses a stream of several
documents ("expected a single document"). floe-lint checks each document, and a ref takes the
first manifest of its target, so what passed here is not what Floe would run (or it would
not run at all). A `---` before the only document, or a `...` after it, is one document.

Fails:
    # expect: manifest.yaml:3:1 this file holds 2 YAML documents (the second starts here); upstream Floe reads a manifest
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    ---
    plugins: {compute: {approved: [snowflake], default: snowflake}}

Passes:
    # file: manifest.yaml
    ---
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    ...
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, SourceFile

ID, NAME, SEVERITY, SUBJECT = "FL004", "multiple-documents", "error", "file"
FROM_LOADER = True  # reports only the problems the loader noted for it


def check(source: SourceFile, ctx: Context) -> Iterator[Finding]:
    if not any(doc.kind for doc in source.documents):
        return  # not Floe's (a Helm template of several resources, say)
    yield from ctx.load_findings(source, NAME)
