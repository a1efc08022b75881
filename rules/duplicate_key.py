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

from floe_lint.api import Context, Finding, Location, Related, SourceFile

ID, NAME, SEVERITY, SUBJECT = "FL002", "duplicate-key", "error", "file"


def check(source: SourceFile, ctx: Context) -> Iterator[Finding]:
    for problem in source.problems:
        if problem.rule != NAME:
            continue
        related = []
        if problem.related_span is not None:
            first = Location(source.path, problem.related_span, problem.pointer)
            related.append(Related(first, "first occurrence"))
        yield ctx.file_finding(source, problem.span, problem.message, problem.pointer, related)
