"""A compute's `config` checked against its plugin's JSON Schema, as messages for the
compute-config rule. Documents that the compiled quick check proves valid never import
jsonschema (that import alone costs a pre-commit hook ~45 ms), nor do most invalid ones: their
errors come from `floe_lint.load.schema_errors` where it judges them exactly."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from floe_lint.compute.plugin import (
    _builtin_names,
    expected,
    is_credential_schema,
    plugin_named,
    registry,
)
from floe_lint.load.fastschema import compile_schema, proves_valid
from floe_lint.record import Frozen, set_field
from floe_lint.secrets import is_secret_key, is_templated

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    from floe_lint.load.fastschema import Check


class ConfigProblem(Frozen):
    """A problem at `path` (keys and indexes below `config`), reported at its key or value.
    (A record, not a named tuple: defining one costs start-up, issue 17.)"""

    __slots__ = ("at", "message", "path")
    path: tuple[str | int, ...]
    message: str
    at: Literal["key", "value"]

    def __init__(
        self, path: tuple[str | int, ...], message: str, at: Literal["key", "value"] = "value"
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "message", message)
        set_field(self, "at", at)


def config_schema(name: str) -> dict[str, Any] | None:
    """The config schema of the plugin `name` (None: no plugin provides it). While the registry
    is not built, a built-in's comes from the generated table (floe_lint.compute.schema_table),
    without importing its module: built-ins come first in the registry, so no entry point takes
    their names. Once it is built, the registry answers: what `compile` renders with (a plugin
    object changed or replaced in the process, by a program or a test, is judged as it is)."""
    import importlib

    if registry.cache_info().currsize == 0:
        table: dict[str, dict[str, Any]] = importlib.import_module(
            "floe_lint.plugins._schemas"
        ).SCHEMAS
        builtin = _builtin_names()
        if name in builtin and builtin == table.keys():
            return table[name]
    plugin = plugin_named(name)
    return None if plugin is None else plugin.config_schema


@cache
def _quick(name: str) -> Check | None:
    found = config_schema(name)
    if found is None:
        return None
    # Missing required keys are not reported here (see below), so they must not send a config
    # to jsonschema either.
    schema = {k: v for k, v in found.items() if k != "required"}
    return compile_schema(schema, lazy=True)


def problems(
    name: str, config: dict[str, Any], placeholders: bool = False
) -> Iterator[ConfigProblem]:
    """What is wrong with `config` for the plugin `name` (nothing when no plugin provides it);
    with `placeholders` (upstream's dialect), Jinja is looked for once `{product_name}` and
    `{product_slug}` are filled, as floe-core's compile fills them before dbt reads the value.

    Missing required keys are left out: another level may supply them, so `missing` judges
    the merged config instead.
    """
    schema = config_schema(name)
    if schema is None or not config:
        return  # unknown-compute reports the name; a bare name has no config
    yield from _jinja(name, config, placeholders)
    if proves_valid(_quick(name), config):
        return
    from floe_lint.suggest import did_you_mean  # (messages only: a valid config has none)

    allowed = list(schema.get("properties", {}))
    for error in sorted(_errors(schema, config), key=lambda e: [str(p) for p in e.absolute_path]):
        path: tuple[str | int, ...] = tuple(error.absolute_path)
        key = str(path[-1]) if path else "config"
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            for unknown in error.instance:
                if unknown not in allowed:
                    yield ConfigProblem(
                        (*path, str(unknown)),
                        f"compute '{name}' has no config key '{unknown}'"
                        f"{did_you_mean(str(unknown), allowed)} (keys: {', '.join(allowed)})",
                        at="key",
                    )
        elif error.validator == "required":
            continue  # another level may supply it: `missing` judges the merged config
        elif is_secret_key(key):
            continue  # a literal credential is secret-literal's finding, never echoed here
        elif is_templated(error.instance) and not is_credential_schema(error.schema):
            continue  # resolved by dbt at run time: "{{ env_var('PORT') | as_number }}"
        else:  # in words: never the rejected value nor a raw regex
            hint = ""
            if error.validator == "enum":  # an allowed value close to the given one
                hint = did_you_mean(str(error.instance), [str(o) for o in error.validator_value])
            yield ConfigProblem(path, f"compute '{name}' config '{key}' {expected(error)}{hint}")


def _jinja(name: str, config: dict[str, Any], placeholders: bool) -> Iterator[ConfigProblem]:
    """Values dbt would run as Jinja beyond `env_var()` (a credential's are secret-literal's)."""
    from floe_lint.compute import jinja

    for path in jinja.jinja_paths(config, placeholders=placeholders):
        if not any(isinstance(part, str) and is_secret_key(part) for part in path):
            yield ConfigProblem(
                path, f"compute '{name}' config '{jinja.dotted(path)}' {jinja.MESSAGE}"
            )


def _errors(schema: dict[str, Any], config: dict[str, Any]) -> list[Any]:
    """jsonschema's errors of `config` (Draft 2020-12, in its order): found without importing
    it where `schema_errors` can judge them exactly (an unknown key, a wrong type, ...)."""
    from floe_lint.load.schema_errors import Unsupported, errors

    try:
        return errors(schema, config)
    except Unsupported:
        from jsonschema import Draft202012Validator

        return list(Draft202012Validator(schema).iter_errors(config))


def missing(name: str, merged: dict[str, Any]) -> list[str]:
    """Keys the plugin `name` requires that the merged config of a level lacks: what
    `floe-lint compile` would refuse before rendering the profile."""
    schema = config_schema(name)
    required = schema.get("required", []) if schema is not None else []
    return [key for key in required if key not in merged]
