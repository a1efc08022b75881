"""How a profile leaves a compute plugin: `render_profile` validates the config against the
plugin's schema, renders the dbt output and refuses a literal credential or Jinja dbt would
run (floe_lint.compute.jinja) in either; `compile` renders every profile through it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from floe_lint.compute import jinja
from floe_lint.compute.plugin import ComputeConfig, ComputePlugin, PluginError, expected
from floe_lint.secrets import literal_credentials


def literal_secrets(profile: Mapping[str, Any]) -> Iterator[str]:
    """Where `profile` holds a credential not deferred to the environment (`a.b[0]` form)."""
    for path in literal_credentials(profile):
        yield "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path).lstrip(".")


def render_profile(plugin: ComputePlugin, config: ComputeConfig) -> dict[str, Any]:
    """A plugin's dbt output, validated against its config schema and free of literal secrets."""
    held = list(literal_secrets(config.properties))
    if held:  # the config is copied into compiled_artifacts.json too: refuse it whole
        raise PluginError(
            f"compute '{config.name}' config holds a literal credential in {', '.join(held)}; "
            "a credential may only be {{ env_var('NAME') }}"
        )
    problems = config_problems(plugin, config.properties)
    if problems:
        raise PluginError(f"compute '{config.name}': {'; '.join(problems)}")
    profile = plugin.generate_dbt_profile(config)
    leaked = list(literal_secrets(profile))
    if leaked:
        raise PluginError(
            f"plugin '{plugin.name}' put a literal credential in {', '.join(leaked)}; "
            "a profile may only carry secrets as {{ env_var('...') }}"
        )
    problem = jinja.profile_problem(plugin.name, profile)  # the config's are refused above
    if problem:
        raise PluginError(problem)
    return profile


def config_problems(plugin: ComputePlugin, properties: Mapping[str, Any]) -> list[str]:
    """Every way `properties` break the plugin's config schema, as short sentences; also each
    value dbt would run as Jinja beyond `{{ env_var() }}` (floe_lint.compute.jinja)."""
    from floe_lint.load.fastschema import compile_schema, proves_valid

    problems = jinja.config_messages(properties)
    if proves_valid(compile_schema(plugin.config_schema), dict(properties)):
        return problems  # the common case, without importing jsonschema
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(plugin.config_schema)
    for error in sorted(validator.iter_errors(dict(properties)), key=lambda e: list(e.path)):
        where = ".".join(str(p) for p in error.absolute_path)
        problems.append(f"config {where + ': ' if where else ''}{expected(error)}")
    return problems
