"""A level's effective default compute must be in its effective approved list.

Why: transforms that name no compute run on the default. A default outside the approved
list, including one inherited from a parent that the child's narrower list excludes, sends
those transforms to an unapproved engine. A default the level itself approves but its parent
does not is one cause with one finding: `approved-not-subset` reports it at the entry.

Fails:
    # expect: manifest.yaml:4:14 default compute 'spark' is not in the effective approved list of platform manifest
    # file: manifest.yaml
    plugins:
      compute:
        approved: [duckdb]
        default: spark

Fails:
    # expect: manifest.yaml:3:21 domain manifest manifest.yaml inherits default compute 'spark' from enterprise manifest
    # file: enterprise.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb, spark], default: spark}}
    # file: manifest.yaml
    scope: domain
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    plugins: {compute: {approved: [duckdb, spark], default: spark}}
    # file: manifest.yaml
    scope: domain
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, did_you_mean, is_templated

ID, NAME, SEVERITY, SUBJECT = "FL203", "default-not-approved", "error", "manifest"
GUARD = "default-unapproved"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    default, origin = level.default, level.default_level
    if not level.entries and not level.inherits:
        return  # an empty or malformed approved list is the schema's finding
    if default is None or origin is None or is_templated(default) or default in level.approved:
        return
    approved = ", ".join(level.approved) or "none"
    if origin is level and _narrowed_away(level, default):
        return  # approved-not-subset reports the root cause at the entry
    if origin is level:
        yield ctx.finding(
            level.default_node,
            f"default compute '{default}' is not in the effective approved list of {level.label} "
            f"({approved}){did_you_mean(default, level.approved)}",
            related=[
                ctx.related(level.approver.approved_node, "effective approved list", at="key")
            ],
        )
    elif level.parent is not None and default in level.parent.approved:
        # Only the level whose narrowing excluded the inherited default is at fault.
        yield ctx.finding(
            level.approved_node,
            f"{level.label} inherits default compute '{default}' from {origin.label}, but its "
            f"approved list ({approved}) excludes it; set {level.default_key}",
            at="key",
            related=[ctx.related(origin.default_node, f"default set by {origin.label}")],
        )


def _narrowed_away(level: Level, default: str) -> bool:
    """Whether the level approves its own default but its parent does not (so it is missing
    from the effective list)."""
    return level.parent is not None and any(e.name == default for e in level.entries)
