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
from functools import cache
from typing import Any

from floe_lint.compute.plugin import registry
from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load import pointer as ptr
from floe_lint.load.fastschema import Check, compile_schema, proves_valid
from floe_lint.load.validation import TYPE_WORDS  # one wording for types in every message
from floe_lint.model.hierarchy import Level
from floe_lint.secrets import is_secret_key, is_templated
from floe_lint.suggest import did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL208", "compute-config", "error", "manifest"


def _shown(key: str, value: Any) -> str:
    if is_secret_key(key) or not isinstance(value, str | int | float | bool):
        return ""
    return f" ({value!r})" if len(str(value)) <= 40 else ""


@cache
def _quick(name: str) -> Check | None:
    plugin = registry().get(name)
    if plugin is None:
        return None
    # Missing required keys are not reported here (see below), so they must not send a config
    # to jsonschema either: that import alone costs a pre-commit hook ~45 ms.
    schema = {k: v for k, v in plugin.config_schema.items() if k != "required"}
    return compile_schema(schema)


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    plugins = registry()
    for entry in level.entries:
        plugin = plugins.get(entry.name)
        if plugin is None or not entry.config or proves_valid(_quick(entry.name), entry.config):
            continue  # unknown-compute reports the name; a bare name has no config
        from jsonschema import Draft202012Validator

        schema = plugin.config_schema
        allowed = list(schema.get("properties", {}))
        base = ptr.join(entry.pointer, "config")
        errors = Draft202012Validator(schema).iter_errors(entry.config)
        for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
            where = ptr.join(base, *error.absolute_path)
            key = ptr.last(where)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                for unknown in error.instance:
                    if unknown not in allowed:
                        yield ctx.finding(
                            level.doc,
                            ptr.join(where, str(unknown)),
                            f"compute '{entry.name}' has no config key '{unknown}'"
                            f"{did_you_mean(str(unknown), allowed)} (keys: {', '.join(allowed)})",
                            at="key",
                        )
            elif error.validator == "required":
                continue  # may be supplied by a parent or child level; compile checks the merge
            elif is_templated(error.instance) or is_secret_key(key):
                # templated: resolved by dbt at run time, e.g. "{{ env_var('PORT') | as_number }}";
                # a literal credential is secret-literal's finding, never echoed here
                continue
            elif error.validator == "type":
                wanted = error.validator_value
                words = " or ".join(
                    TYPE_WORDS.get(t, t) for t in ([wanted] if isinstance(wanted, str) else wanted)
                )
                yield ctx.finding(
                    level.doc,
                    where,
                    f"compute '{entry.name}' config '{key}' must be {words}"
                    f"{_shown(key, error.instance)}",
                )
            elif error.validator == "enum":
                options = [str(o) for o in error.validator_value]
                yield ctx.finding(
                    level.doc,
                    where,
                    f"compute '{entry.name}' config '{key}' must be one of {', '.join(options)}"
                    f"{_shown(key, error.instance)}"
                    f"{did_you_mean(str(error.instance), options)}",
                )
            else:
                detail = error.message if not is_secret_key(key) else "invalid value"
                yield ctx.finding(
                    level.doc, where, f"compute '{entry.name}' config '{key}': {detail}"
                )
