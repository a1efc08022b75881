"""A manifest must not carry environment-specific keys: the runtime picks the environment.

Why: upstream Floe's manifests are environment-agnostic; the runtime selects the environment
with `FLOE_ENV`, and its manifest model rejects `env_overrides`, `environments`,
`environment`, `env`, `dev`, `staging`, `prod`, `production`, `target_env` and `floe_env`.
Such a key means the same manifest behaves differently per environment, or not at all.

Fails:
    # expect: manifest.yaml:5:1 'prod' makes this manifest environment-specific; manifests are environment-agnostic and
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}}
    prod:
      plugins: {compute: {type: snowflake}}

Passes:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

ID, NAME, SEVERITY, SUBJECT = "FL402", "environment-key", "error", "manifest"
DIALECT = "floe"  # only upstream's dialect reads what it checks: ADR-0010 has none of it


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    for node in level.manifest.environment_nodes:
        yield ctx.finding(
            node,
            f"'{node.key}' makes this manifest environment-specific; manifests are "
            "environment-agnostic and the runtime selects the environment with FLOE_ENV",
            at="key",
        )
