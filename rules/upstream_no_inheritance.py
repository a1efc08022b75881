"""A domain should restate the compute and orchestrator it inherits: upstream's compile loads no parent.

Why: floe-lint resolves a domain's plugins down the hierarchy, and so does upstream Floe's
design, but the published `floe platform compile` (floe-core 0.1.0a1) reads only the manifest
it is given. A product whose domain inherits `plugins.compute` or `plugins.orchestrator` from
its enterprise lints clean and is then refused there ("Required plugin 'orchestrator' not found
in platform manifest"). A warning, at the domain, naming what to restate and where it comes from.

Fails:
    # expect: domain.yaml:6:1 floe-core 0.1.0a1's compile loads no parent manifest: given domain 'sales', floe platform compile finds no plugins.orchestrator there and refuses its products (E201); restate the orchestrator it inherits ('dagster', from enterprise 'acme')
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    platform: {manifest: domain.yaml}
    transforms: [{name: stg_orders}]
    # file: domain.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
    scope: domain
    parent_manifest: enterprise.yaml
    plugins: {compute: {type: duckdb}}
    # file: enterprise.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}

Passes:
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    platform: {manifest: domain.yaml}
    transforms: [{name: stg_orders}]
    # file: domain.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
    scope: domain
    parent_manifest: enterprise.yaml
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    # file: enterprise.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID, NAME, SEVERITY, SUBJECT = "FL706", "upstream-no-inheritance", "warning", "product"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this

_REQUIRED = ("compute", "orchestrator")


def _selected(doc: Any, category: str) -> str | None:
    value = doc.get(f"/plugins/{category}")
    kind = value.get("type") if isinstance(value, dict) else None
    return kind if isinstance(kind, str) else None


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    level = product.platform
    if level is None or level.parent is None or level.unloaded() is not None:
        return
    if product.doc.dialect != "floe" or level.doc.dialect != "floe":
        return
    plugins = level.node.child("plugins")
    for category in _REQUIRED:
        if _selected(level.doc, category) is not None:
            continue
        source = next(
            (lvl for lvl in level.chain()[1:] if _selected(lvl.doc, category) is not None), None
        )
        if source is None:
            continue  # no level selects it: required-plugin-missing reports that
        yield ctx.finding(
            plugins if plugins.exists else level.node,
            "floe-core 0.1.0a1's compile loads no parent manifest: given "
            f"{level.label}, floe platform compile finds no plugins.{category} there and "
            f"refuses its products (E201); restate the {category} it inherits "
            f"('{_selected(source.doc, category)}', from {source.label})",
            at="key",
        )
