"""The file must be valid YAML (and readable UTF-8 of a sane size).

Why: a file that does not parse cannot be checked at all; every other rule is silent on it,
so the parse error itself is reported at the exact position where the parser gave up.

Fails:
    # expect: floe.yaml:4:4 invalid YAML: did not find expected '-' indicator (while parsing a block collection)
    # file: floe.yaml
    name: orders
    transforms:
      - path: models/x/
       compute: duckdb

Passes:
    # file: floe.yaml
    name: orders
    transforms:
      - path: models/x/
        compute: duckdb
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, SourceFile

ID, NAME, SEVERITY, SUBJECT = "FL001", "yaml-syntax", "error", "file"
FROM_LOADER = True  # reports only the problems the loader noted for it


def check(source: SourceFile, ctx: Context) -> Iterator[Finding]:
    for problem in source.problems:
        if problem.rule == NAME:
            yield ctx.file_finding(source, problem.span, problem.message, problem.pointer)
