"""A transform must run on the same compute in every environment.

Why: ADR-0010's environment parity: what you test is what you deploy. This fires on
anything that makes compute vary by environment: `compute` written as a mapping of
environments, `environments:` / `env_overrides:` / `overrides:` blocks that change a
transform's compute or a manifest's default or approved list, templated compute
(`{{ env_var(...) }}`, `${...}`), and per-environment files (`floe.prod.yaml`,
`manifest.dev.yaml`) whose compute differs from the base file. `env_var()` inside a
compute's connection `config` is how credentials should vary, and is fine.

Fails:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - path: models/x/
        compute: {dev: duckdb, prod: spark}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Fails:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {path: models/x/, compute: "{{ env_var('COMPUTE') }}"}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Fails:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {path: models/x/, compute: duckdb}
    # file: floe.prod.yaml
    transforms:
      - {path: models/x/, compute: spark}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {path: models/x/, compute: duckdb}
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: duckdb
            config: {path: "{{ env_var('DUCKDB_PATH') }}"}
        default: duckdb
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load import pointer as ptr
from floe_lint.load.document import ENV_VARIANT, Document
from floe_lint.model.hierarchy import DEFAULT_POINTER, compute_entries, overlay_blocks, own_default
from floe_lint.model.product import normalized_path, transforms
from floe_lint.secrets import is_templated

ID, NAME, SEVERITY, SUBJECT = "FL401", "environment-override", "error", "document"

PARITY = "a transform must run on the same compute in every environment (ADR-0010)"


def _base_computes(doc: Document) -> dict[str, Any]:
    return {normalized_path(t.path): t.compute for t in transforms(doc) if t.path}


def _inline(doc: Document, ctx: Context) -> Iterator[Finding]:
    if doc.kind == "floe":
        for t in transforms(doc):
            where = f"{t.pointer}/compute"
            if isinstance(t.compute, dict):
                envs = ", ".join(str(k) for k in t.compute)
                yield ctx.finding(
                    doc, where, f"{t.label} selects compute per environment ({envs}); {PARITY}"
                )
            elif is_templated(t.compute):
                yield ctx.finding(
                    doc, where, f"{t.label} takes its compute from a template; {PARITY}"
                )
    else:
        default, where = own_default(doc)
        if isinstance(default, dict) or is_templated(default):
            yield ctx.finding(doc, where, f"the default compute varies by environment; {PARITY}")
        for entry in compute_entries(doc):
            if is_templated(entry.name):
                yield ctx.finding(
                    doc, entry.name_pointer, f"an approved compute name is templated; {PARITY}"
                )


def _walk(value: Any, pointer: str, parent_key: str) -> Iterator[tuple[str, str, Any, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            child_pointer = ptr.join(pointer, str(key))
            yield child_pointer, str(key), child, parent_key
            yield from _walk(child, child_pointer, str(key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, ptr.join(pointer, index), parent_key)


def _overlay(overlay: Document, base: Document, root: str, ctx: Context) -> Iterator[Finding]:
    """Findings for an overlay (a block, or a per-environment file) compared with its base."""
    where = "a per-environment file" if overlay is not base else f"'{root.lstrip('/')}'"
    base_paths = _base_computes(base)
    base_names = [e.name for e in compute_entries(base)]
    for pointer, key, value, parent_key in _walk(overlay.get(root), root, ""):
        if key == "compute" and (
            isinstance(value, str) or (isinstance(value, dict) and parent_key != "plugins")
        ):
            item = overlay.get(ptr.parent(pointer))
            path = item.get("path") if isinstance(item, dict) else None
            if isinstance(path, str) and base_paths.get(normalized_path(path)) == value:
                continue
            yield ctx.finding(overlay, pointer, f"{where} changes the compute; {PARITY}")
        elif key == "default" and parent_key == "compute" and value != base.get(DEFAULT_POINTER):
            yield ctx.finding(overlay, pointer, f"{where} changes the default compute; {PARITY}")
        elif key == "approved" and parent_key == "compute" and isinstance(value, list):
            names = [
                v if isinstance(v, str) else v.get("name")
                for v in value
                if isinstance(v, str | dict)
            ]
            if names != base_names:
                yield ctx.finding(
                    overlay, pointer, f"{where} changes the approved computes; {PARITY}"
                )


def _variants(doc: Document, ctx: Context) -> Iterator[Document]:
    base_name = doc.path.name.rsplit(".", 1)[0]
    for sibling in sorted(doc.path.parent.glob(f"{base_name}.*.y*ml")):
        match = ENV_VARIANT.match(sibling.name)
        if match and match["base"] == base_name and sibling != doc.path:
            yield from (d for d in ctx.load(Path(sibling)).documents if isinstance(d.data, dict))


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    yield from _inline(doc, ctx)
    blocks = overlay_blocks(doc)
    for block in blocks:
        if isinstance(doc.get(f"/{block}"), dict):
            yield from _overlay(doc, doc, f"/{block}", ctx)
    for variant in _variants(doc, ctx):
        yield from _inline(variant, ctx)
        yield from _overlay(variant, doc, "", ctx)
        for block in blocks:
            if isinstance(variant.get(f"/{block}"), dict):
                yield from _overlay(variant, doc, f"/{block}", ctx)
