"""Every approved compute must be an engine that some installed compute plugin provides.

Why: Floe renders a dbt profile for each approved compute through its plugin; a name no
plugin knows (often a typo such as `duckbd`) cannot be rendered or run.

Fails:
    # expect: manifest.yaml:3:16 no compute plugin provides 'duckbd'; did you mean 'duckdb'? (known: bigquery, databricks
    # file: manifest.yaml
    plugins:
      compute:
        approved: [duckbd]

Passes:
    # file: manifest.yaml
    plugins:
      compute:
        approved: [duckdb]
        default: duckdb
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, did_you_mean, same_name

ID, NAME, SEVERITY, SUBJECT = "FL205", "unknown-compute", "error", "manifest"
GUARD = "unknown-compute"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)
#: unknown names per level that get a "did you mean" (each compares the name with every known
#: compute: a hostile list of 150,000 names must not cost seconds of suggestions)
MAX_SUGGESTIONS = 100
FIXES = {"safe": "write the plugin's name, when the compute differs from it only in case or spaces"}


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    known = ctx.known_computes
    seen: set[str] = set()
    names = {e.name for e in level.entries}
    for entry in level.entries:
        if entry.name in known or entry.name in seen:
            continue
        seen.add(entry.name)
        hint = did_you_mean(entry.name, known) if len(seen) <= MAX_SUGGESTIONS else ""
        same = same_name(entry.name, known)
        if same in names:
            same = None  # writing it would approve it twice
        fix = (
            ctx.fix("safe", f"write '{same}'", ctx.replace_value(entry.name_node, same))
            if same is not None
            else None
        )
        yield ctx.finding(
            entry.name_node,
            f"no compute plugin provides '{entry.name}'{hint} (known: {', '.join(sorted(known))})",
            fix=fix,
        )
