"""ADR-0010's documents mapped onto the model: where manifest.yaml and floe.yaml keep each
field. The only module that knows these pointers; the hierarchy and the rules read the model.
"""

from __future__ import annotations

from floe_lint.load.document import Document, Node
from floe_lint.model.governance import settings
from floe_lint.model.manifest import ComputeEntry, Manifest
from floe_lint.model.product import Product, Transform, transform_pointers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCOPE = "/scope"
NAME = "/metadata/name"
PARENT = "/parent_manifest"
APPROVED = "/plugins/compute/approved"
DEFAULT = "/plugins/compute/default"
GOVERNANCE = "/governance"
PLATFORM = "/platform/ref"
PRODUCT_NAME = "/name"
TRANSFORMS = "/transforms"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def compute_entries(doc: Document) -> tuple[ComputeEntry, ...]:
    """The approved list of a manifest, tolerating (and skipping) malformed items."""
    approved = doc.get(APPROVED)
    entries: list[ComputeEntry] = []
    if not isinstance(approved, list):
        return ()
    for index, item in enumerate(approved):
        node = doc.node(APPROVED).child(index)
        if isinstance(item, str):
            entries.append(ComputeEntry(item, node, node, {}, None, node.child("config")))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            config = item.get("config")
            secret = item.get("connection_secret_ref")
            entries.append(
                ComputeEntry(
                    item["name"],
                    node,
                    node.child("name"),
                    config if isinstance(config, dict) else {},
                    secret if isinstance(secret, str) else None,
                    node.child("config"),
                )
            )
    return tuple(entries)


def manifest(doc: Document) -> Manifest:
    return Manifest(
        doc=doc,
        node=doc.node(),
        scope=_text(doc.get(SCOPE)),
        scope_node=doc.node(SCOPE),
        name=_text(doc.get(NAME)),
        parent_ref=_text(doc.get(PARENT)),
        has_parent=doc.get(PARENT) is not None,
        parent_node=doc.node(PARENT),
        entries=compute_entries(doc),
        approved_node=doc.node(APPROVED),
        default=doc.get(DEFAULT),
        default_node=doc.node(DEFAULT),
        governance=settings(doc.node(GOVERNANCE)),
    )


def product(doc: Document) -> Product:
    items = doc.get(TRANSFORMS)
    transforms: list[Transform] = []
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                at, path_at, compute_at = transform_pointers(TRANSFORMS, index, "path")
                path = item.get("path")
                transforms.append(
                    Transform(
                        index,
                        item,
                        Node(doc, at),
                        path if isinstance(path, str) else None,
                        Node(doc, path_at),
                        Node(doc, compute_at),
                    )
                )
    return Product(
        doc=doc,
        node=doc.node(),
        name=_text(doc.get(PRODUCT_NAME)),
        platform_ref=_text(doc.get(PLATFORM)),
        platform_node=doc.node(PLATFORM),
        transforms=tuple(transforms),
        name_node=doc.node(PRODUCT_NAME),
        # ADR-0010's own multi-compute example names no platform: like upstream's, it takes
        # --manifest or the manifest.yaml beside it (else platform-not-checked says so)
        platform_optional=isinstance(doc.data, dict) and "platform" not in doc.data,
    )
