"""Compile a data product: its floe.yaml and resolved hierarchy -> CompiledArtifacts and
profiles.yml, rendered by the compute plugins.

Lint runs first (see `commands_compute`), so what is left to fail here is what only the
plugins know: a config that is incomplete once merged, or an unknown workload size. Such a
failure is a `CompileError` that names the file, line and column.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from floe_lint import __version__
from floe_lint.compute import artifacts as art
from floe_lint.compute.plugin import (
    DEFAULT_WORKLOAD_SIZE,
    ComputeConfig,
    ComputePlugin,
    PluginError,
    registry,
)
from floe_lint.compute.render import render_profile
from floe_lint.load.document import Document
from floe_lint.model.dialects import product_of
from floe_lint.model.level import Level
from floe_lint.model.product import normalized_path
from floe_lint.reporters import display_path


class CompileError(Exception):
    """Why a product cannot be compiled, at a place in a file."""


@dataclass(frozen=True)
class Compiled:
    #: the seed's contract (ADR-0010 dialect) or upstream's CompiledArtifacts document
    artifacts: art.CompiledArtifacts | dict[str, Any]
    #: file name -> exact text to write
    files: dict[str, str]
    #: `profile.target` -> the plugin that rendered it (source and version)
    rendered_by: dict[str, str] = field(default_factory=dict)


def _at(doc: Document, pointer: str, message: str) -> CompileError:
    span = doc.span(pointer)
    return CompileError(f"{display_path(doc.path)}:{span.start_line}:{span.start_col}: {message}")


def _relative(target: Path, start: Path) -> str:
    """How a product would name the platform it was given (`--manifest`, beside it)."""
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def profile_name(product_name: str) -> str:
    """The dbt profile name for a product: its name with anything but [A-Za-z0-9_] as `_`."""
    return re.sub(r"[^A-Za-z0-9_]", "_", product_name)


def _text(doc: Document, *pointers: str) -> str | None:
    for pointer in pointers:
        value = doc.get(pointer)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
    return None


def no_platform(doc: Document) -> CompileError:
    """The product's platform did not resolve: at its ref, or, where none is written and none
    is required, a hint to pass --manifest (both compilers)."""
    model = product_of(doc)
    return _at(
        doc,
        model.platform_node.pointer,
        "the platform manifest could not be resolved"
        if model.platform_node.value is not None or not model.platform_optional
        else f"the product names no platform ({model.platform_key}); pass --manifest",
    )


def compile_product(doc: Document, level: Level | None) -> Compiled:
    """Artifacts for one product; `level` is the platform its `platform.ref` resolves to."""
    if level is None:
        raise no_platform(doc)
    model = product_of(doc)
    name = _text(doc, "/metadata/name", "/name")
    if name is None:
        raise _at(doc, "", "the product has no name (name: or metadata.name:)")
    plugins = registry()

    configs: dict[str, art.ComputeConfig] = {}
    outputs: dict[str, dict[str, Any]] = {}
    used: dict[str, ComputePlugin] = {}
    for compute, effective in level.approved.items():
        source = effective.level.doc
        plugin = plugins.get(compute)
        if plugin is None:
            raise _at(source, effective.entry.name_pointer, f"no compute plugin for '{compute}'")
        try:
            outputs[compute] = render_profile(
                plugin,
                ComputeConfig(compute, effective.connection_secret_ref, effective.config),
            )
        except PluginError as error:
            raise _at(source, effective.entry.pointer, str(error)) from error
        configs[compute] = art.ComputeConfig(
            name=compute,
            connection_secret_ref=effective.connection_secret_ref,
            properties=effective.config,
            plugin_version=plugin.version,
            is_self_hosted=plugin.is_self_hosted,
            dbt_packages=plugin.get_required_dbt_packages(),
            approved_by=level.label,
        )
    if not configs:
        raise _at(level.doc, level.approved_node.pointer, f"{level.label} approves no compute")
    default = level.default if level.default in configs else None
    if level.default is not None and default is None:
        where = level.default_level or level
        raise _at(
            where.doc, where.default_node.pointer, f"default '{level.default}' is not approved"
        )

    steps: list[art.TransformConfig] = []
    for transform in model.transforms:
        path = transform.path
        if transform.identity is None:
            raise _at(doc, transform.pointer, f"{transform.label} has no {transform.identity_key}")
        # ADR-0010 selects a step's dbt models by path, upstream Floe by model name
        select = f"path:{normalized_path(path)}" if path is not None else transform.identity
        named = transform.compute if isinstance(transform.compute, str) else None
        resolved = named or default
        if resolved is None or resolved not in configs:
            raise _at(
                doc,
                transform.compute_node.pointer if named else transform.pointer,
                f"{transform.label} runs on '{resolved}', which {level.label} does not approve"
                if resolved
                else f"{transform.label} names no compute and {level.label} has no default",
            )
        plugin = plugins.get(resolved)
        assert plugin is not None  # every approved compute has a plugin (checked above)
        size = transform.data.get("workload_size", DEFAULT_WORKLOAD_SIZE)
        try:
            spec = plugin.get_resource_requirements(str(size))
        except PluginError as error:
            raise _at(doc, f"{transform.pointer}/workload_size", str(error)) from error
        used[resolved] = plugin
        tags = transform.data.get("tags")
        steps.append(
            art.TransformConfig(
                type=str(transform.data.get("type", "dbt")),
                path=path,
                name=_text(doc, f"{transform.pointer}/name"),
                compute=named,
                resolved_compute=resolved,
                workload_size=size,
                resources=art.ResourceSpec(
                    cpu_request=spec.cpu_request,
                    cpu_limit=spec.cpu_limit,
                    memory_request=spec.memory_request,
                    memory_limit=spec.memory_limit,
                ),
                tags=[str(t) for t in tags] if isinstance(tags, list) else [],
                dbt_target=resolved,
                dbt_select=select,
            )
        )

    profile = profile_name(name)
    artifacts = art.CompiledArtifacts(
        generator=f"floe-lint {__version__}",
        product=art.Product(
            name=name,
            version=_text(doc, "/metadata/version", "/version"),
            platform_ref=model.platform_ref or _relative(level.doc.path, doc.path.parent),
        ),
        dbt_profile=profile,
        dbt_packages=sorted(
            {p for plugin in used.values() for p in plugin.get_required_dbt_packages()}
        ),
        compute_registry=art.ComputeRegistry(configs=configs, default=default),
        transforms=steps,
    )
    profiles = art.profiles_text(
        art.profiles_document(profile, default or next(iter(configs)), outputs)
    )
    return Compiled(
        artifacts,
        {art.ARTIFACTS_FILE: art.artifacts_text(artifacts), art.PROFILES_FILE: profiles},
        {
            f"{profile}.{name_}": f"{name_} {plugins.plugins[name_].version} from "
            f"{plugins.sources[name_]}"
            for name_ in outputs
        },
    )
