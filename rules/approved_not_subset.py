"""A domain may only approve computes that its parent effectively approves.

Why: governance flows downwards: an enterprise approves a set, each domain narrows it. A
domain that widens the set escapes enterprise policy. The check is transitive (a nested
domain is compared with its parent's effective list) and case-sensitive (`Spark` is not
`spark`).

Fails:
    # file: enterprise.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}
    # file: manifest.yaml
    scope: domain
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb, Spark], default: duckdb}}

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}
    # file: manifest.yaml
    scope: domain
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [spark], default: spark}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL202", "approved-not-subset", "error", "manifest"


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    parent = level.parent
    if parent is None:
        return
    allowed = list(parent.approved)
    reported: set[str] = set()
    for entry in level.entries:
        if entry.name in parent.approved or entry.name in reported:
            continue
        reported.add(entry.name)
        listed = any(e.name == entry.name for e in parent.entries)
        reason = " (it lists it, but its own parent does not approve it)" if listed else ""
        yield ctx.finding(
            entry.name_node,
            f"{level.label} approves '{entry.name}', which its parent {parent.label} does not "
            f"approve{reason}; parent approves: {', '.join(allowed) or 'none'}"
            f"{did_you_mean(entry.name, allowed)}",
            related=[
                ctx.related(parent.approved_node, f"approved list of {parent.label}", at="key")
            ],
        )
