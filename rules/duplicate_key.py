"""A mapping must not repeat a key.

Why: YAML loaders silently keep the last value, so the first one (often the compute a
reviewer saw) is discarded without a word. floe-lint reads the node tree to catch it.

Fails:
    # expect: manifest.yaml:5:5 duplicate key 'default': YAML keeps only the last value, silently discarding the one at
    # file: manifest.yaml
    plugins:
      compute:
        approved: [duckdb]
        default: duckdb
        default: spark

Passes:
    # file: manifest.yaml
    plugins:
      compute:
        approved: [duckdb]
        default: duckdb
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, SourceFile

ID, NAME, SEVERITY, SUBJECT = "FL002", "duplicate-key", "error", "file"
FROM_LOADER = True  # reports only the problems the loader noted for it


def check(source: SourceFile, ctx: Context) -> Iterator[Finding]:
    return ctx.load_findings(source, NAME, related="first occurrence")
