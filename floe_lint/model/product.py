"""Read-only views of a floe.yaml document that several rules share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from floe_lint.load import pointer as ptr
from floe_lint.load.document import Document
from floe_lint.model import floe_dialect
from floe_lint.model.floe_dialect import ForbiddenKey

TRANSFORMS_POINTER = "/transforms"


@dataclass(frozen=True, slots=True)
class Transform:
    index: int
    data: dict[str, Any]
    #: what identifies a transform: its dbt `path` (ADR-0010) or dbt model `name` (upstream)
    identity_key: str = "path"

    @property
    def pointer(self) -> str:
        return ptr.join(TRANSFORMS_POINTER, self.index)

    @property
    def path(self) -> str | None:
        path = self.data.get("path")
        return path if isinstance(path, str) else None

    @property
    def identity(self) -> str | None:
        value = self.data.get(self.identity_key)
        return value if isinstance(value, str) else None

    @property
    def identity_pointer(self) -> str:
        return ptr.join(self.pointer, self.identity_key)

    @property
    def label(self) -> str:
        identity = self.identity
        return f"transform '{identity}'" if identity else f"transform #{self.index + 1}"

    @property
    def compute(self) -> Any:
        return self.data.get("compute")

    @property
    def names_compute(self) -> bool:
        return self.data.get("compute") is not None


def transforms(doc: Document) -> Iterator[Transform]:
    items = doc.get(TRANSFORMS_POINTER)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield Transform(index, item, "name" if doc.dialect == "floe" else "path")


def name_of(doc: Document) -> tuple[str | None, str]:
    """A product's name and its node: `metadata.name`, else a top-level `name` (ADR-0010)."""
    for pointer in ("/metadata/name", "/name"):
        value = doc.get(pointer)
        if isinstance(value, str):
            return value, pointer
    return None, "/metadata/name"


def forbidden_keys(doc: Document) -> list[ForbiddenKey]:
    """Connection and credential keys of a product; upstream's dialect forbids them anywhere
    (ADR-0010's closed schema already rejects unknown keys)."""
    return list(floe_dialect.forbidden_keys(doc.data)) if doc.dialect == "floe" else []


def normalized_path(path: str) -> str:
    """`./models/x/` and `models/x` name the same dbt selection."""
    path = path.strip()
    while path.startswith("./"):
        path = path[2:]
    return path.rstrip("/")
