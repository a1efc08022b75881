"""Dialects: each maps a loaded document onto the model (`Manifest`, `Product`).

A document is read in its own dialect: ADR-0010's (`adr0010`) or the one upstream Floe's code
accepts (`floe`); `load.dialect` decides which, per document. The hierarchy, the compiler
and the rules see only the model, so they never branch on dialect. Upstream's reader is
imported when a document in its dialect is first read (a tree in ADR-0010's never needs it).
"""

from __future__ import annotations

from types import ModuleType

from floe_lint.load.document import Document
from floe_lint.model.dialects import adr0010
from floe_lint.model.manifest import Manifest
from floe_lint.model.product import Product


def manifest_of(doc: Document) -> Manifest:
    """The model of a manifest document, read in its dialect (once per document)."""
    key = ("manifest", doc.dialect)
    if key not in doc._models:
        doc._models[key] = _floe().manifest(doc) if doc.dialect == "floe" else adr0010.manifest(doc)
    model: Manifest = doc._models[key]
    return model


def product_of(doc: Document) -> Product:
    """The model of a product document, read in its dialect (once per document; unresolved)."""
    key = ("product", doc.dialect)
    if key not in doc._models:
        doc._models[key] = _floe().product(doc) if doc.dialect == "floe" else adr0010.product(doc)
    model: Product = doc._models[key]
    return model


def _floe() -> ModuleType:
    """Upstream's dialect reader (`floe_lint.model.dialects.floe`), imported when first asked."""
    from floe_lint.model.dialects import floe

    return floe
