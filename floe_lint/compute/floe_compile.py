"""Compile a product written in upstream Floe's code dialect into upstream's contract:
compiled_artifacts.json as floe-core's `CompiledArtifacts` defines it (see `floe_contract`) and
the profiles.yml dbt reads, both from the same `dbt_profiles`.

As upstream's compile does, the profile has one output per environment (`dev`), named after
it, rendered for the platform's one compute with `{product_slug}` and `{product_name}`
expanded in its config, `threads` (default 4) and `timeout_seconds` (default 3600). The
compute's plugin is upstream's own when one is installed (entry point group `floe.computes`),
else floe-lint's built-in one of the same name; `Compiled.rendered_by` says which.
"""

from __future__ import annotations

from typing import Any

from floe_lint.compute import artifacts as art
from floe_lint.compute import floe_contract as contract
from floe_lint.compute import floe_deployment
from floe_lint.compute import floe_storage as storage_of
from floe_lint.compute.compiler import Compiled, CompileError, _at, _relative, no_platform
from floe_lint.compute.plugin import ComputeConfig, PluginError
from floe_lint.compute.render import render_profile
from floe_lint.compute.upstream_plugins import preferring_upstream
from floe_lint.load.document import Document
from floe_lint.model.dialects import product_of
from floe_lint.model.level import Level
from floe_lint.reporters import json_text

#: the categories upstream's compile cannot do without
REQUIRED = ("compute", "orchestrator")


def _platform_of(doc: Document, level: Level | None) -> Level:
    if level is None:
        raise no_platform(doc)
    for category in REQUIRED:
        if contract.selection(level, category) is None:
            raise _at(
                level.doc,
                "/plugins",
                f"{level.label} selects no {category} plugin (plugins.{category}), which "
                "upstream's CompiledArtifacts requires; floe platform compile refuses it too",
            )
    return level


def render(level: Level, product: str) -> tuple[dict[str, Any], str]:
    """The dbt output of the platform's compute for one environment, and who rendered it."""
    selected = contract.selection(level, "compute") or {}
    compute = str(selected.get("type"))
    threads, timeout, connection = contract.compute_config(selected, product)
    found = preferring_upstream()
    plugin = found.get(compute)
    secret_ref = selected.get("connection_secret_ref")
    where = next(
        (c.doc for c in contract.chain(level) if c.doc.get("/plugins/compute") is selected),
        level.doc,
    )
    if plugin is None:
        raise _at(where, "/plugins/compute/type", f"no compute plugin for '{compute}'")
    properties = {**connection, "threads": threads}
    if plugin.timeout_key is not None or plugin.config_schema.get("properties") is None:
        properties["timeout_seconds"] = timeout  # upstream's ComputeConfig field
    try:
        output = render_profile(
            plugin,
            ComputeConfig(compute, secret_ref if isinstance(secret_ref, str) else None, properties),
        )
    except PluginError as error:
        raise _at(where, "/plugins/compute", str(error)) from error
    if plugin.timeout_key is not None:
        output.setdefault(plugin.timeout_key, timeout)
    return output, f"{compute} {plugin.version} from {found.sources[compute]}"


def _selected_at(level: Level, category: str) -> tuple[dict[str, Any], Document] | None:
    selected = contract.selection(level, category)
    if selected is None:
        return None
    where = next(
        (c.doc for c in contract.chain(level) if c.doc.get(f"/plugins/{category}") is selected),
        level.doc,
    )
    return selected, where


class Refused(ValueError):
    """Where in which document a storage or catalog selection is refused, and why."""

    def __init__(self, doc: Document, pointer: str, message: str) -> None:
        super().__init__(message)
        self.doc, self.pointer, self.message = doc, pointer, message

    def error(self) -> CompileError:
        return _at(self.doc, self.pointer, self.message)


def _refusal(where: Document, category: str, kind: str, error: ValueError) -> Refused:
    message = str(error)
    pointer = f"/plugins/{category}"
    if message.startswith("config "):
        key = message[len("config ") :].split(":", 1)[0]
        parts = [part.replace("~", "~0").replace("/", "~1") for part in key.split(".")]
        pointer = "/".join([pointer, "config", *parts])
    elif kind:
        pointer += "/type"  # a composition floe-lint does not translate: the selection's type
    if isinstance(error, storage_of.ConfigInvalid):
        message = f"{category} plugin '{kind}' configuration is invalid: {message}"
    return Refused(where, pointer, message)


def deployment(level: Level) -> tuple[storage_of.Storage, storage_of.Catalog | None] | None:
    """The storage and catalog settings upstream's compile merges into each dbt output, or None
    when the platform selects no storage floe-lint translates (see `floe_storage`); `Refused`
    where the plugin (or floe-lint) refuses the selection."""
    found = _selected_at(level, "storage")
    if found is None:
        return None
    selected, where = found
    kind = str(selected.get("type"))
    build = storage_of.STORAGES.get(kind)
    if build is None:
        return None  # upstream refuses it unless a package registers it (README)
    try:
        storage = build(selected.get("config"))
    except ValueError as error:
        raise _refusal(where, "storage", kind, error) from error
    found = _selected_at(level, "catalog")
    if found is None:
        return storage, None
    selected, where = found
    kind = str(selected.get("type"))
    translate = storage_of.CATALOGS.get(kind)
    if translate is None:
        raise Refused(
            where,
            "/plugins/catalog/type",
            f"floe-lint does not translate catalog '{kind}' into the dbt profile (it does "
            f"{', '.join(storage_of.CATALOGS)}); upstream's compile needs that catalog's "
            "plugin package",
        )
    try:
        return storage, translate(selected.get("config"), storage)
    except ValueError as error:
        raise _refusal(where, "catalog", kind, error) from error


def storage_problem(level: Level) -> Refused | None:
    """Why `compile` refuses `level`'s storage or catalog selection, if it does (for check)."""
    try:
        deployment(level)
    except Refused as refused:
        return refused
    return None


def compile_floe_product(doc: Document, level: Level | None) -> Compiled:
    platform = _platform_of(doc, level)
    name = doc.get("/metadata/name")
    if not isinstance(name, str):
        raise _at(doc, "/metadata", "the product has no metadata.name")
    model = product_of(doc)
    default = contract.default_compute(platform)
    for transform in model.transforms:
        compute = transform.compute if isinstance(transform.compute, str) else default
        if compute not in platform.approved:
            raise _at(
                doc,
                transform.compute_node.pointer if transform.names_compute else transform.pointer,
                f"{transform.label} runs on '{compute}', which {platform.label} does not "
                "select; upstream renders a dbt profile for plugins.compute only",
            )
    outputs: dict[str, Any] = {}
    rendered_by: dict[str, str] = {}
    try:
        bindings = deployment(platform)
    except Refused as refused:
        raise refused.error() from None
    for environment in contract.ENVIRONMENTS:
        output, rendered_by[f"{name}.{environment}"] = render(platform, name)
        if bindings is not None:
            try:
                output = storage_of.merge(output, *bindings)
            except storage_of.Unsupported as error:
                found = _selected_at(platform, "compute")
                where = found[1] if found else platform.doc
                raise _refusal(where, "compute", "", error).error() from error
        outputs[environment] = output
    dbt_profiles = {name: {"target": contract.ENVIRONMENTS[0], "outputs": outputs}}
    product_ref = model.platform_ref or _relative(platform.doc.path, doc.path.parent)
    bound = None
    if bindings is not None:
        storage, catalog = bindings
        bound = floe_deployment.deployment(storage.binding, catalog.binding if catalog else None)
    document = contract.artifacts(doc, platform, product_ref, dbt_profiles, bound)
    return Compiled(
        document,
        {
            art.ARTIFACTS_FILE: json_text(document, indent=2) + "\n",
            art.PROFILES_FILE: art.profiles_text(dbt_profiles, art.PER_ENVIRONMENT),
        },
        rendered_by,
    )


__all__ = ["CompileError", "compile_floe_product", "render"]
