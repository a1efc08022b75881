"""An approved list must name each compute once.

Why: a repeated compute is at best noise and at worst two conflicting configs, of which
only the first is used.

Fails:
    # expect: manifest.yaml:3:31 compute 'duckdb' is approved twice; only the first entry is used
    # file: manifest.yaml
    plugins:
      compute:
        approved: [duckdb, spark, duckdb]
        default: duckdb

Passes:
    # file: manifest.yaml
    plugins:
      compute:
        approved: [duckdb, spark]
        default: duckdb
"""

from collections.abc import Iterator

from floe_lint.api import ComputeEntry, Context, Finding, Level

ID, NAME, SEVERITY, SUBJECT = "FL206", "duplicate-compute", "error", "manifest"
GUARD = "repeated-compute"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)
FIXES = {"safe": "drop an entry written exactly like an earlier one (not one with another config)"}


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    first: dict[str, ComputeEntry] = {}
    for entry in level.entries:
        if entry.name not in first:
            first[entry.name] = entry
            continue
        exact = entry.node.value == first[entry.name].node.value
        yield ctx.finding(
            entry.name_node,
            f"compute '{entry.name}' is approved twice; only the first entry is used",
            related=[ctx.related(first[entry.name].name_node, "first approved here")],
            fix=ctx.fix("safe", "remove the repeated entry", ctx.remove_item(entry.node))
            if exact
            else None,
        )
