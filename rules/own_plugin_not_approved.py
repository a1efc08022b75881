"""An enterprise may only select, in each plugin category, a plugin its own whitelist lists.

Why: in upstream Floe's code dialect an enterprise names in `approved_plugins` the plugins of
each category its platform may use, and selects one in `plugins.<category>.type`. Upstream
checks only domains against the whitelist; an enterprise whose own compute lies outside it
runs its products, and hands that compute to every domain that names none, on an engine its
own policy excludes. Such a domain keeps only what the whitelist allows (it inherits no
compute then, and `default-not-approved` says so at the domain).

Fails:
    # expect: manifest.yaml:5:27 enterprise 'acme' selects compute 'snowflake', which its own approved_plugins.compute
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: snowflake}}
    approved_plugins: {compute: [duckdb]}

Passes:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    approved_plugins: {compute: [duckdb, snowflake]}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, Node, did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL211", "own-plugin-not-approved", "error", "manifest"
DIALECT = "floe"  # only upstream's dialect reads what it checks: ADR-0010 has none of it


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    manifest = level.manifest
    if not manifest.whitelists:
        return
    selected: list[tuple[str, str, Node]] = [
        ("compute", e.name, e.name_node) for e in level.entries
    ]
    selected += [(s.category, s.type, s.type_node) for s in manifest.selections]
    for category, name, node in selected:
        whitelist = manifest.whitelist(category)
        if whitelist is None or name in whitelist.names:
            continue
        names = list(whitelist.names)
        yield ctx.finding(
            node,
            f"{level.label} selects {category} '{name}', which its own approved_plugins."
            f"{category} ({', '.join(names) or 'none'}) does not list; its products, and "
            f"every domain that selects no {category}, would use a plugin its policy "
            f"excludes{did_you_mean(name, names)}",
            related=[ctx.related(whitelist.node, "the whitelist", at="key")],
        )
