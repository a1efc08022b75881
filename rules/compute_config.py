"""An approved compute's `config` must match what its plugin accepts: known keys, right types.

Why: Floe hands `config` to the compute plugin that renders the dbt profile. A misspelt key
(`memory_limt`) is silently ignored, so the engine runs with its default; a value of the
wrong type (`threads: eight`) only fails at run time, in every pipeline of the platform.
Connection details a config leaves out are not errors: the profile takes them from the
environment at run time, as the seed's plugins do (snowflake's `database` becomes
`{{ env_var('SNOWFLAKE_DATABASE') }}`; `floe-lint plugins --schema NAME` names each variable).
Only a third-party plugin that declares `required` keys is judged on the merged config of each
level products may be compiled on, since `floe-lint compile` refuses it there. Each plugin
publishes a JSON Schema of its config: `floe-lint plugins --schema NAME` prints it.
dbt renders profiles.yml as a Jinja template, so a config value holding Jinja other than
`{{ env_var('NAME') }}` (a default, `~` joins with literals and pure filters such as
`| as_number`, `| lower` or `| default('dev')` allowed) is run when dbt reads the
profile (`{{ log(env_var('SNOWFLAKE_PASSWORD'), info=true) }}` prints a credential): reported at
the value, and `compile` refuses it.

Fails:
    # expect: manifest.yaml:5:30 compute 'duckdb' has no config key 'memory_limt'; did you mean 'memory_limit'? (keys:
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: duckdb
            config: {threads: 8, memory_limt: 4GB}
        default: duckdb

Fails:
    # expect: manifest.yaml:5:29 compute 'snowflake' config 'warehouse' must be a string
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: snowflake
            config: {warehouse: [WH]}
        default: snowflake

Fails:
    # expect: manifest.yaml:5:24 compute 'duckdb' config 'path' holds Jinja that dbt would run
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: duckdb
            config: {path: "{{ log(env_var('DUCKDB_TOKEN'), info=true) }}.db"}
        default: duckdb

Passes:
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: duckdb
            config: {threads: 8, memory_limit: 4GB}
          - name: snowflake
            config: {warehouse: COMPUTE_WH, database: "{{ env_var('SF_DB', 'ANALYTICS') }}"}
          - bigquery
        default: duckdb
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

ID, NAME, SEVERITY, SUBJECT = "FL208", "compute-config", "error", "manifest"


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    yield from _incomplete(level, ctx)
    for entry in level.entries:
        # upstream's compile fills {product_name} and {product_slug} before dbt reads a value
        upstream = entry.config_node.doc.dialect == "floe"
        for problem in ctx.compute_config_problems(entry.name, entry.config, upstream):
            yield ctx.finding(
                entry.config_node.child(*problem.path), problem.message, at=problem.at
            )


def _incomplete(level: Level, ctx: Context) -> Iterator[Finding]:
    """Required keys missing from the merged config of a level products may be compiled on:
    the same check `floe-lint compile` makes before rendering a profile, reported here first."""
    if not ctx.may_be_compiled_on(level) or level.unloaded() is not None:
        return  # a parent that could not be loaded may supply the keys
    for name, effective in level.approved.items():
        missing = ctx.missing_compute_config(name, effective.config)
        if not missing:
            continue
        entry = effective.entry
        keys = ", ".join(f"'{key}'" for key in missing)
        message = (
            f"compute '{name}' lacks required config {keys}, even merged with its parents'; "
            f"'floe-lint compile' refuses products on {level.label} without it "
            f"(see 'floe-lint plugins --schema {name}')"
        )
        if entry.config_node.exists:
            yield ctx.finding(entry.config_node, message, at="key")
        else:
            yield ctx.finding(entry.name_node, message)
