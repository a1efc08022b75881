"""A transform must run on the same compute in every environment.

Why: ADR-0010's environment parity: what you test is what you deploy. This fires on
anything that makes compute vary by environment: `compute` written as a mapping of
environments, `environments:` / `env_overrides:` / `overrides:` blocks that change a
transform's compute or a manifest's default or approved list, templated compute
(`{{ env_var(...) }}`, `${...}`), and per-environment files (`floe.prod.yaml`,
`manifest.dev.yaml`) whose compute differs from the base file. `env_var()` inside a
compute's connection `config` is how credentials should vary, and is fine. A mapping that
describes one compute (`compute: {type: duckdb}`) is not per environment: it is the wrong type,
reported by `schema-type` at the value.

Fails:
    # expect: floe.yaml:5:14 transform 'models/x/' selects compute per environment (dev, prod); a transform must run
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - path: models/x/
        compute: {dev: duckdb, prod: spark}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Fails:
    # expect: floe.yaml:4:32 transform 'models/x/' takes its compute from a template; a transform must run on the same
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {path: models/x/, compute: "{{ env_var('COMPUTE') }}"}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Fails:
    # expect: floe.prod.yaml:2:32 a per-environment file changes the compute; a transform must run on the same compute in
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
from typing import Any

from floe_lint.api import (
    Context,
    Document,
    Finding,
    Manifest,
    Node,
    Product,
    is_templated,
    normalized_path,
)

ID, NAME, SEVERITY, SUBJECT = "FL401", "environment-override", "error", "document"

PARITY = "a transform must run on the same compute in every environment (ADR-0010)"
#: Keys of a mapping that describes one compute (a plugin selection written where a name goes):
#: a type error, not a compute chosen per environment.
COMPUTE_FIELDS = frozenset({"type", "name", "config", "version", "connection_secret_ref"})


def _per_environment(value: Any) -> bool:
    return isinstance(value, dict) and not COMPUTE_FIELDS.intersection(map(str, value))


def _inline(model: Product | Manifest, ctx: Context) -> Iterator[Finding]:
    if isinstance(model, Product):
        for t in model.transforms:
            if _per_environment(t.compute):
                envs = ", ".join(str(k) for k in t.compute)
                yield ctx.finding(
                    t.compute_node, f"{t.label} selects compute per environment ({envs}); {PARITY}"
                )
            elif is_templated(t.compute):
                yield ctx.finding(
                    t.compute_node, f"{t.label} takes its compute from a template; {PARITY}"
                )
    else:
        if _per_environment(model.default) or is_templated(model.default):
            yield ctx.finding(
                model.default_node, f"the default compute varies by environment; {PARITY}"
            )
        for entry in model.entries:
            if is_templated(entry.name):
                yield ctx.finding(
                    entry.name_node, f"an approved compute name is templated; {PARITY}"
                )


def _walk(value: Any, node: Node, parent_key: str) -> Iterator[tuple[Node, str, Any, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            child_node = node.child(str(key))
            yield child_node, str(key), child, parent_key
            yield from _walk(child, child_node, str(key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, node.child(index), parent_key)


def _overlay(overlay: Document, base: Document, root: Node, ctx: Context) -> Iterator[Finding]:
    """Findings for an overlay (a block, or a per-environment file) compared with its base."""
    where = "a per-environment file" if overlay is not base else f"'{root.key}'"
    model = ctx.model_of(base)
    if isinstance(model, Product):
        base_paths = {
            normalized_path(t.identity): t.compute for t in model.transforms if t.identity
        }
        base_names: list[str] = []
        base_default = None
    else:
        base_paths, base_names = {}, [e.name for e in model.entries]
        base_default = model.default
    for node, key, value, parent_key in _walk(root.value, root, ""):
        if key == "compute" and (
            isinstance(value, str) or (isinstance(value, dict) and parent_key != "plugins")
        ):
            item = node.parent.value
            path = item.get("path") if isinstance(item, dict) else None
            if isinstance(path, str) and base_paths.get(normalized_path(path)) == value:
                continue
            yield ctx.finding(node, f"{where} changes the compute; {PARITY}")
        elif key == "default" and parent_key == "compute" and value != base_default:
            yield ctx.finding(node, f"{where} changes the default compute; {PARITY}")
        elif key == "approved" and parent_key == "compute" and isinstance(value, list):
            names = [
                v if isinstance(v, str) else v.get("name")
                for v in value
                if isinstance(v, str | dict)
            ]
            if names != base_names:
                yield ctx.finding(node, f"{where} changes the approved computes; {PARITY}")


def _blocks(doc: Document, names: tuple[str, ...]) -> Iterator[Node]:
    for block in names:
        node = doc.node().child(block)
        if isinstance(node.value, dict):
            yield node


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    model = ctx.model_of(doc)
    names = model.environment_blocks  # none where the dialect forbids them outright
    yield from _inline(model, ctx)
    for block in _blocks(doc, names):
        yield from _overlay(doc, doc, block, ctx)
    for variant in ctx.environment_overlays(doc):
        yield from _inline(ctx.model_of(variant), ctx)
        yield from _overlay(variant, doc, variant.node(), ctx)
        for block in _blocks(variant, names):
            yield from _overlay(variant, doc, block, ctx)
