"""An approved compute's `config` must match what its plugin accepts: known keys, right types.

Why: Floe hands `config` to the compute plugin that renders the dbt profile. A misspelt key
(`memory_limt`) is silently ignored, so the engine runs with its default; a value of the
wrong type (`threads: eight`) only fails at run time, in every pipeline of the platform.
Each plugin publishes a JSON Schema of its config; `floe-lint plugins` lists the plugins.

Fails:
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: duckdb
            config: {threads: 8, memory_limt: 4GB}
        default: duckdb

Passes:
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: duckdb
            config: {threads: 8, memory_limit: 4GB}
        default: duckdb
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

ID, NAME, SEVERITY, SUBJECT = "FL208", "compute-config", "error", "manifest"


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    for entry in level.entries:
        for problem in ctx.compute_config_problems(entry.name, entry.config):
            yield ctx.finding(
                entry.config_node.child(*problem.path), problem.message, at=problem.at
            )
