"""A domain may only approve computes that its parent effectively approves.

Why: governance flows downwards: an enterprise approves a set, each domain narrows it. A
domain that widens the set escapes enterprise policy. The check is transitive (a nested
domain is compared with its parent's effective list) and case-sensitive (`Spark` is not
`spark`). In upstream Floe's code dialect the set is the enterprise's
`approved_plugins.compute` (without it, any compute), and a domain's one `plugins.compute`
must be in it.

Fails:
    # expect: manifest.yaml:3:40 domain manifest manifest.yaml approves 'Spark', which its parent enterprise manifest
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

from floe_lint.api import ComputeEntry, Context, Finding, Fix, Level, did_you_mean, same_name

ID, NAME, SEVERITY, SUBJECT = "FL202", "approved-not-subset", "error", "manifest"
GUARD = "unapproved-compute"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)
FIXES = {
    "safe": "write the parent's name, when the compute differs from it only in case or spaces",
    "unsafe": "remove the compute from the domain's approved list",
}


def _fix(ctx: Context, level: Level, entry: ComputeEntry, allowed: frozenset[str]) -> Fix | None:
    same = same_name(entry.name, allowed)
    if same is not None and all(e.name != same for e in level.entries):  # else: a duplicate
        return ctx.fix("safe", f"write '{same}'", ctx.replace_value(entry.name_node, same))
    if entry.name == level.manifest.default or sum(e.name == entry.name for e in level.entries) > 1:
        return None  # the default would go too, or a copy would stay (duplicate-compute's fix)
    if not any(e.name in allowed for e in level.entries):
        return None  # the list would be left empty
    return ctx.fix("unsafe", f"remove '{entry.name}'", ctx.remove_item(entry.node))


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    parent = level.parent
    if parent is None or parent.list_unknown:
        return  # what the parent approves depends on a manifest that could not be loaded
    allowance = parent.children_allowed
    if allowance.names is None:
        return  # upstream's dialect: no approved_plugins.compute above, so any compute
    owner = allowance.level
    listing = allowance.node != owner.approved_node  # a whitelist, not an approved list
    allowed = sorted(allowance.names) if listing else list(parent.approved)
    whose = f"its parent {parent.label}" if owner is parent else f"{owner.label}, above it,"
    reported: set[str] = set()
    for entry in level.entries:
        if entry.name in allowance.names or entry.name in reported:
            continue
        reported.add(entry.name)
        listed = not listing and any(e.name == entry.name for e in owner.entries)
        reason = " (it lists it, but its own parent does not approve it)" if listed else ""
        also = "; it is also its default" if _own_default(level, entry) else ""
        yield ctx.finding(
            entry.name_node,
            f"{level.label} approves '{entry.name}', which {whose} does not "
            f"approve{reason}; {'parent' if owner is parent else owner.label} approves: "
            f"{', '.join(allowed) or 'none'}{did_you_mean(entry.name, allowed)}{also}",
            related=[ctx.related(allowance.node, f"approved list of {owner.label}", at="key")],
            fix=_fix(ctx, level, entry, allowance.names),
        )


def _own_default(level: Level, entry: ComputeEntry) -> bool:
    """Whether the entry is also the level's own default, written elsewhere (default-not-approved
    then stays silent: one cause, one finding)."""
    return (
        level.default_level is level
        and level.default == entry.name
        and level.default_node != entry.name_node
    )
