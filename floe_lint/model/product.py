"""Read-only views of a floe.yaml document that several rules share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from floe_lint.load import pointer as ptr
from floe_lint.load.document import Document

TRANSFORMS_POINTER = "/transforms"


@dataclass(frozen=True, slots=True)
class Transform:
    index: int
    data: dict[str, Any]

    @property
    def pointer(self) -> str:
        return ptr.join(TRANSFORMS_POINTER, self.index)

    @property
    def path(self) -> str | None:
        path = self.data.get("path")
        return path if isinstance(path, str) else None

    @property
    def label(self) -> str:
        return f"transform '{self.path}'" if self.path else f"transform #{self.index + 1}"

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
                yield Transform(index, item)


def normalized_path(path: str) -> str:
    """`./models/x/` and `models/x` name the same dbt selection."""
    path = path.strip()
    while path.startswith("./"):
        path = path[2:]
    return path.rstrip("/")
