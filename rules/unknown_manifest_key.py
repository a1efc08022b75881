"""A manifest key that upstream Floe does not define is ignored by it: usually a typo.

Why: upstream Floe's manifest model allows unknown top-level keys for forward compatibility
and only warns that it ignores them; a misspelt `governanse:` therefore silently drops the
whole section. floe-lint warns the same way, with the closest known key.

Fails:
    # expect: manifest.yaml:5:1 unknown top-level key 'governanse': upstream Floe ignores it; did you mean 'governance'?
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}}
    governanse: {audit_logging: enabled}

Passes:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}}
    governance: {audit_logging: enabled}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL107", "unknown-manifest-key", "warning", "manifest"
DIALECT = "floe"  # only upstream's dialect reads what it checks: ADR-0010 has none of it


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    known = level.manifest.known_keys
    for node in level.manifest.unknown_nodes:
        yield ctx.finding(
            node,
            f"unknown top-level key '{node.key}': upstream Floe ignores it"
            f"{did_you_mean(node.key, known)}",
            at="key",
        )
