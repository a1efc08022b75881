"""Compute plugins: the seed ADR's `ComputePlugin` contract and the registry of engines.

Built-in engines live in `plugins/` (package `floe_lint.plugins`), one module per engine, each
exposing `PLUGIN`. Third parties add engines through the entry point group `floe_lint.compute`;
an entry point names a `ComputePlugin` subclass (or instance) and is loaded only when a
command needs plugins, so linting stays fast: `known_compute_names()` reads names only.

A plugin never emits a literal secret: `floe_lint.compute.render.render_profile()` is the one
way a profile leaves a plugin, and it refuses any credential-like key whose value is not
`{{ env_var('…') }}`.
"""

from __future__ import annotations

import importlib
import os
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from functools import cache

from floe_lint.compute.values import ComputeConfig as ComputeConfig
from floe_lint.compute.values import ConnectionResult as ConnectionResult
from floe_lint.compute.values import ResourceSpec as ResourceSpec
from floe_lint.entry_points import installed
from floe_lint.entry_points import source as entry_point_source
from floe_lint.record import Value
from floe_lint.secrets import REFERENCE_PATTERN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint
    from typing import Any, ClassVar

ENTRY_POINT_GROUP = "floe_lint.compute"
#: The seven engines of ADR-0010, each a module of `plugins/` named after it.
BUILTIN_ENGINES = ("bigquery", "databricks", "duckdb", "postgres", "redshift", "snowflake", "spark")
WORKLOAD_SIZES = ("small", "medium", "large")
DEFAULT_WORKLOAD_SIZE = "medium"


class PluginError(Exception):
    """A plugin cannot do what was asked (bad config, unknown size, a literal secret)."""


class ComputePlugin(ABC):
    """An engine that dbt transforms run on (ADR-0010)."""

    name: ClassVar[str]
    version: ClassVar[str]
    is_self_hosted: ClassVar[bool]
    #: JSON Schema (Draft 2020-12) of the `config` mapping of an approved compute.
    config_schema: ClassVar[dict[str, Any]]
    #: JSON Schema of the dbt output this plugin generates (documents the contract; the tests
    #: also validate outputs with the adapter's own credentials class where it is installed).
    profile_schema: ClassVar[dict[str, Any]]
    #: Resource specs by workload size.
    resources: ClassVar[Mapping[str, ResourceSpec]]

    @abstractmethod
    def generate_dbt_profile(self, config: ComputeConfig) -> dict[str, Any]:
        """The dbt output (one target of profiles.yml); secrets only as `env_var()`."""

    @abstractmethod
    def get_required_dbt_packages(self) -> list[str]:
        """pip requirements of the dbt adapter, e.g. `["dbt-duckdb>=1.9"]`."""

    @abstractmethod
    def validate_connection(self, config: ComputeConfig) -> ConnectionResult:
        """Try to reach the engine, or say exactly what is missing to try."""

    def get_resource_requirements(self, workload_size: str) -> ResourceSpec:
        """Pod resources for a workload size; an unknown size is an error, never a default."""
        spec = self.resources.get(workload_size)
        if spec is None:
            raise PluginError(
                f"unknown workload size '{workload_size}' for compute '{self.name}' "
                f"(expected one of: {', '.join(self.resources)})"
            )
        return spec

    #: the dbt output key of a query timeout in seconds, where the adapter has one (upstream
    #: Floe's profiles carry `timeout_seconds` for DuckDB)
    timeout_key: ClassVar[str | None] = None

    def env_prefix(self, config: ComputeConfig) -> str:
        """Prefix of the environment variables that carry this compute's credentials."""
        prefix = config.properties.get("env_prefix")
        return prefix if isinstance(prefix, str) and prefix else self.name.upper() + "_"

    def env(self, config: ComputeConfig, suffix: str, default: str | None = None) -> str:
        """`{{ env_var('PREFIX_SUFFIX') }}`, the only form a credential may take in a profile."""
        return env_var(self.env_prefix(config) + suffix, default)

    def setting(self, config: ComputeConfig, key: str) -> Any:
        """A connection setting the config may leave out (see `from_environment`): its value,
        else `{{ env_var('PREFIX_KEY') }}`, rendered by dbt at run time."""
        value = config.properties.get(key)
        return self.env(config, key.upper()) if value is None or value == "" else value

    def secret(self, config: ComputeConfig, key: str, default: str | None = None) -> str:
        """A credential: the config's own `env_var()` reference, else `PREFIX_KEY`."""
        value = config.properties.get(key)
        if isinstance(value, str) and value:
            return value
        return self.env(config, key.upper(), default)


ENV_VAR_PATTERN = rf"^\s*{REFERENCE_PATTERN}\s*$"
#: A profile or config value that must come from the environment.
SECRET = {
    "type": "string",
    "pattern": ENV_VAR_PATTERN,
    "description": "Only as {{ env_var('NAME') }}, without a default value (pure filters "
    "such as | trim or | as_text allowed); "
    "default: the PREFIX_KEY variable.",
}
_COMMON_PROPERTIES: dict[str, Any] = {
    "threads": {"type": "integer", "description": "dbt threads."},
    "timeout_seconds": {
        "type": "integer",
        "description": "query timeout (upstream Floe's ComputeConfig; default 3600)",
    },
    "env_prefix": {
        "type": "string",
        "pattern": r"^[A-Z][A-Z0-9_]*(?![\s\S])",  # no trailing newline, unlike $
        "description": "upper-case letters, digits and _, starting with a letter: the prefix "
        "of the credential environment variables (default: NAME_)",
    },
}


def from_environment(engine: str, key: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A config property that may be left out: the profile then takes it from the environment
    variable PREFIX_KEY at run time (`SNOWFLAKE_DATABASE`; `env_prefix` changes the prefix), as
    the seed's plugins read optional settings with `.get` and credentials with `env_var()`.
    Its `default` annotation says which variable, for editors and `plugins --schema`."""
    variable = f"{engine.upper()}_{key.upper()}"
    note = f"Absent: the environment variable {variable} (PREFIX_{key.upper()} with env_prefix)."
    text = f"{schema['description']} {note}" if "description" in schema else note
    return {
        **schema,
        "description": text,
        "default": env_var(variable),
    }


def config_schema(
    title: str, properties: dict[str, Any], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A plugin's config schema: its own properties plus `threads` and `env_prefix`."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "properties": {**properties, **_COMMON_PROPERTIES},
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    return schema


def profile_schema(
    adapter: str, properties: dict[str, Any], required: tuple[str, ...]
) -> dict[str, Any]:
    """The documented shape of a generated dbt output (used where an adapter is absent)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"dbt output of type {adapter} generated by floe-lint",
        "type": "object",
        "properties": {
            "type": {"const": adapter},
            "threads": {"type": "integer"},
            **properties,
        },
        "required": ["type", *required],
        "additionalProperties": False,
    }


def sized(
    small: ResourceSpec, medium: ResourceSpec, large: ResourceSpec
) -> dict[str, ResourceSpec]:
    return {"small": small, "medium": medium, "large": large}


#: Pods of remote engines only drive dbt; the work happens elsewhere.
REMOTE_RESOURCES = sized(
    ResourceSpec("250m", "500m", "256Mi", "512Mi"),
    ResourceSpec("250m", "1000m", "512Mi", "1Gi"),
    ResourceSpec("500m", "1000m", "1Gi", "2Gi"),
)


def env_var(name: str, default: str | None = None) -> str:
    if default is None:
        return f"{{{{ env_var('{name}') }}}}"
    return f"{{{{ env_var('{name}', '{default}') }}}}"


_ENV_VAR = (  # compiled when first used, through `re`'s cache (a check uses it for messages)
    r"\{\{\s*env_var\(\s*'([^']+)'\s*(?:,\s*'([^']*)'\s*)?\)\s*"
    r"((?:\|\s*(?:[a-z_]+|default\s*\(\s*(?:''|\"\")\s*\))\s*)*)\}\}"
)
#: what dbt's pure filters (secrets.PURE_FILTERS) make of a variable's text; the conversions
#: (`as_number`, `int`, ...) hand a connection the same text
_FILTERED: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "trim": str.strip,
    "title": str.title,
    "capitalize": str.capitalize,
}


def resolve_env(value: Any, environ: Mapping[str, str]) -> Any:
    """Substitute `{{ env_var('X') }}` the way dbt would, for connection checks, through the
    pure filters a credential may pass (`| trim`, `| lower`, `| as_text`, `| default('')`).

    Raises PluginError naming the variable when it is unset and has no default.
    """
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in environ:
            text = environ[name]
        elif default is not None:
            text = default
        elif "default" in match.group(3):
            text = ""  # `| default('')`: an unset variable is the empty text
        else:
            raise PluginError(f"environment variable {name} is not set")
        for written in match.group(3).split("|")[1:]:
            text = _FILTERED.get(written.strip(), str)(text)
        return text

    return re.sub(_ENV_VAR, substitute, value)


def shown(value: Any, key: str) -> str:
    """A config value as a message shows it: `$NAME` for an `env_var('NAME')` reference (its
    value may be a secret), and `(no KEY configured)` when it is absent."""
    if value is None or value == "":
        return f"(no {key} configured)"
    text = str(value)
    return re.sub(_ENV_VAR, lambda match: "$" + match.group(1), text)


def missing_env(profile: Mapping[str, Any], environ: Mapping[str, str]) -> list[str]:
    """Environment variables a profile needs (without a default) that are not set."""
    missing: list[str] = []
    for value in profile.values():
        if isinstance(value, str):
            for match in re.finditer(_ENV_VAR, value):
                unset = match.group(1) not in environ
                if unset and match.group(2) is None and "default" not in match.group(3):
                    missing.append(match.group(1))
    return sorted(set(missing))


def driver_available(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def not_checked(
    plugin: ComputePlugin,
    config: ComputeConfig,
    where: str,
    driver: str,
    package: str,
    also_missing: tuple[str, ...] = (),
) -> ConnectionResult:
    """A check that floe-lint does not attempt for a remote engine: say what it needs."""
    missing = [*missing_env(plugin.generate_dbt_profile(config), os.environ), *also_missing]
    needs = [] if driver_available(driver) else [f"driver {driver} (pip install {package})"]
    if missing:
        needs.append("environment variables " + ", ".join(missing))
    if needs:
        message = f"not checked: {plugin.name} at {where} needs " + " and ".join(needs)
    else:
        message = (
            f"not checked: {plugin.name} at {where} has its driver and credentials; "
            f"'dbt debug --target {plugin.name}' connects for real"
        )
    return ConnectionResult(False, message, checked=False)


def copied(properties: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """The config keys that pass into the dbt output unchanged, where present."""
    return {key: properties[key] for key in keys if key in properties}


def timed(check: Callable[[], str]) -> ConnectionResult:
    """Run a real connection check; its message on success, the error on failure."""
    start = time.perf_counter()
    try:
        message = check()
    except Exception as error:  # a driver's error of any kind is the check's result
        elapsed = (time.perf_counter() - start) * 1000
        text = " ".join(str(error).split()) or type(error).__name__
        return ConnectionResult(False, f"{type(error).__name__}: {text}", round(elapsed, 1))
    return ConnectionResult(True, message, round((time.perf_counter() - start) * 1000, 1))


def is_credential_schema(schema: object) -> bool:
    """True for a config property that only takes `{{ env_var('NAME') }}` (see SECRET)."""
    return isinstance(schema, dict) and schema.get("pattern") == ENV_VAR_PATTERN


def expected(error: Any) -> str:
    """What a plugin's config schema expects where `error` (a jsonschema ValidationError)
    failed, in words. Never the rejected value (it may be a credential) nor a raw regex."""
    from floe_lint.load.validation import TYPE_WORDS  # one wording for types in every message

    keyword, wanted, schema = error.validator, error.validator_value, error.schema
    described = schema.get("description") if isinstance(schema, dict) else None
    if is_credential_schema(schema):
        return "must be {{ env_var('NAME') }} without a default value (a credential)"
    if keyword == "type":
        kinds = [wanted] if isinstance(wanted, str) else list(wanted)
        return "must be " + " or ".join(TYPE_WORDS.get(str(k), str(k)) for k in kinds)
    if keyword == "enum":
        return "must be one of " + ", ".join(str(v) for v in wanted)
    if keyword == "const":
        return f"must be {wanted}"
    if keyword == "required" and isinstance(error.instance, dict):
        missing = [str(k) for k in wanted if k not in error.instance]
        return "missing required key " + ", ".join(f"'{k}'" for k in missing)
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(schema.get("properties", {})) if isinstance(schema, dict) else []
        unknown = [str(k) for k in error.instance if k not in allowed]
        return f"unknown key {', '.join(map(repr, unknown))} (keys: {', '.join(allowed)})"
    if keyword in ("minLength", "minItems", "minProperties") and wanted == 1:
        return "must not be empty"
    if keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        return f"must be {_BOUNDS[keyword]} {wanted}"
    if keyword == "pattern" and described:
        return f"does not have the expected form ({described})"
    return "is not valid here" + (f" ({described})" if described else "")


_BOUNDS = {
    "minimum": "at least",
    "exclusiveMinimum": "more than",
    "maximum": "at most",
    "exclusiveMaximum": "less than",
}


class Registry(Value):
    """Every compute plugin found, by name, with the entry points that failed to load."""

    __slots__ = ("errors", "plugins", "sources")

    def __init__(
        self,
        plugins: dict[str, ComputePlugin] | None = None,
        sources: dict[str, str] | None = None,
        errors: list[str] | None = None,
    ) -> None:
        self.plugins = {} if plugins is None else plugins
        self.sources = {} if sources is None else sources
        self.errors = [] if errors is None else errors

    def get(self, name: str) -> ComputePlugin | None:
        return self.plugins.get(name)

    def add(self, plugin: ComputePlugin, source: str) -> None:
        if plugin.name in self.plugins:
            self.errors.append(
                f"{source}: compute '{plugin.name}' is already provided by "
                f"{self.sources[plugin.name]}; ignored"
            )
            return
        self.plugins[plugin.name] = plugin
        self.sources[plugin.name] = source


def _builtin_modules() -> list[str]:
    """The modules of `floe_lint.plugins`, as `pkgutil.iter_modules` lists them (which
    imports `inspect`: 4 ms of every check's start-up)."""
    from importlib.machinery import all_suffixes

    package = importlib.import_module("floe_lint.plugins")
    suffixes = sorted(all_suffixes(), key=len, reverse=True)
    names = set()
    for folder in package.__path__:
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            if os.path.isfile(os.path.join(folder, entry, "__init__.py")):
                names.add(entry)  # a package
                continue
            suffix = next((s for s in suffixes if entry.endswith(s)), None)
            if suffix is not None:
                names.add(entry[: -len(suffix)])
    return sorted(n for n in names if n.isidentifier() and not n.startswith("_"))


@cache
def _builtin_names() -> frozenset[str]:
    return frozenset(_builtin_modules())


def _entry_points() -> list[EntryPoint]:
    return installed(ENTRY_POINT_GROUP)


def _as_plugin(obj: object) -> ComputePlugin:
    if isinstance(obj, type) and issubclass(obj, ComputePlugin):
        obj = obj()
    if not isinstance(obj, ComputePlugin):
        raise PluginError(f"{obj!r} is not a ComputePlugin subclass or instance")
    for attribute in ("name", "version", "is_self_hosted", "config_schema", "resources"):
        if not hasattr(obj, attribute):
            raise PluginError(f"{type(obj).__name__} lacks '{attribute}'")
    return obj


@cache
def _builtin(module_name: str) -> ComputePlugin:
    """The plugin of one built-in module (one instance, whoever asks first)."""
    module = importlib.import_module(f"floe_lint.plugins.{module_name}")
    return _as_plugin(module.PLUGIN)


@cache
def registry() -> Registry:
    """Built-in plugins, then entry point plugins; a broken entry point becomes an error line."""
    found = Registry()
    for module_name in _builtin_modules():
        found.add(_builtin(module_name), "built-in")
    for entry in _entry_points():
        source = entry_point_source(entry)
        try:
            plugin = _as_plugin(entry.load())
        except Exception as error:  # a third party's import error must not stop the run
            found.errors.append(f"entry point '{entry.name}' = {source}: {error}")
            continue
        if plugin.name != entry.name:
            found.errors.append(
                f"entry point '{entry.name}' = {source} provides '{plugin.name}'; "
                "the entry point name must be the compute name"
            )
            continue
        found.add(plugin, source)
    return found


def plugin_named(name: str) -> ComputePlugin | None:
    """`registry().get(name)`; while the registry is not built, a built-in plugin imported
    alone (built-ins come first in it, so no entry point takes their names; each is named
    after its module: tests/test_plugins_registry.py). A check imports the plugins it names."""
    if registry.cache_info().currsize == 0 and name in _builtin_names():
        plugin = _builtin(name)
        if plugin.name == name:
            return plugin
    return registry().get(name)


@cache
def known_compute_names() -> frozenset[str]:
    """Names of every compute engine a plugin is installed for, without importing plugins.

    Built-in modules are named after their engine; entry points after the compute they provide.
    """
    return frozenset(BUILTIN_ENGINES) | {entry.name for entry in _entry_points()}
