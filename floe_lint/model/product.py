"""A data product as the model sees it, whatever dialect it was written in: its platform
ref and its transforms, each naming the node it came from."""

from __future__ import annotations

from floe_lint.load import pointer as ptr
from floe_lint.load.document import Document, Node
from floe_lint.record import Frozen, NamedTuple, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.model.level import Level


class Transform(Frozen):
    """One transform. `identity` is what makes two transforms the same step (ADR-0010: the
    dbt path); `compute` is the value as written (a name, or something rules explain)."""

    __slots__ = (
        "compute_node",
        "data",
        "identity",
        "identity_key",
        "identity_node",
        "index",
        "node",
    )
    index: int
    data: dict[str, Any]
    node: Node
    identity: str | None
    identity_node: Node
    compute_node: Node
    #: what `identity` is, for messages: `path` (ADR-0010) or the dbt model `name` (upstream)
    identity_key: str

    def __init__(
        self,
        index: int,
        data: dict[str, Any],
        node: Node,
        identity: str | None,
        identity_node: Node,
        compute_node: Node,
        identity_key: str = "path",
    ) -> None:
        set_field(self, "index", index)
        set_field(self, "data", data)
        set_field(self, "node", node)
        set_field(self, "identity", identity)
        set_field(self, "identity_node", identity_node)
        set_field(self, "compute_node", compute_node)
        set_field(self, "identity_key", identity_key)

    @property
    def pointer(self) -> str:
        return self.node.pointer

    @property
    def path(self) -> str | None:
        path = self.data.get("path")
        return path if isinstance(path, str) else None

    @property
    def label(self) -> str:
        return f"transform '{self.identity}'" if self.identity else f"transform #{self.index + 1}"

    @property
    def compute(self) -> Any:
        """The compute as written: `compute_node.value`. Both dialects point `compute_node` at
        the `compute` key of `data` (the mapping at `node`): then it is read there, not by
        walking the document from its root on every use (rules ask for it often)."""
        node, compute = self.node, self.compute_node
        if compute.doc is node.doc and compute.pointer == node.pointer + "/compute":
            return self.data.get("compute")
        return compute.value

    @property
    def names_compute(self) -> bool:
        return self.compute is not None


class Product(NamedTuple):
    """A floe.yaml product: its platform ref and transforms; `platform` is the level its ref
    resolves to (None when it does not resolve, or when the product was read on its own)."""

    doc: Document
    node: Node
    name: str | None
    platform_ref: str | None
    platform_node: Node
    transforms: tuple[Transform, ...]
    platform: Level | None = None
    #: the node of `name` (a missing one points at the document)
    name_node: Node | None = None
    #: how the platform ref is written, for messages (`platform.ref`, `platform.manifest`)
    platform_key: str = "platform.ref"
    #: the dialect lets a product name no platform (`--manifest`, the config, a sibling)
    platform_optional: bool = False
    #: the product names no platform and none was given or found (its computes are unchecked)
    unlinked: bool = False
    #: (node, key) of each connection or credential key the dialect forbids in a product
    forbidden: tuple[tuple[Node, str], ...] = ()
    #: (sink type, node) of each reverse-ETL destination (upstream: `destinations[].sink_type`)
    sinks: tuple[tuple[str, Node], ...] = ()
    #: per-environment blocks compared with the base by environment-override
    environment_blocks: tuple[str, ...] = ("environments", "env_overrides", "overrides")

    @property
    def path(self) -> Any:
        return self.doc.path

    @property
    def kind(self) -> str | None:
        return self.doc.kind

    @property
    def ref_node(self) -> Node:
        """The node naming the level above (for a product: its platform ref)."""
        return self.platform_node

    def get(self, pointer: str, default: Any = None) -> Any:
        """Raw access to the document by JSON pointer, for rules written for one dialect."""
        return self.doc.get(pointer, default)


_REMEMBERED = 256
_POINTERS: dict[tuple[str, int, str], tuple[str, str, str]] = {}


def transform_pointers(items: str, index: int, identity: str) -> tuple[str, str, str]:
    """The pointers of transform `index` under `items` (an unescaped pointer such as
    `/transforms`), of its `identity` key and of its `compute`: `ptr.join`'s, remembered (the
    same few recur in every product of a tree)."""
    key = (items, index, identity)
    found = _POINTERS.get(key)
    if found is None:
        at = ptr.join(items, index)
        found = (at, ptr.join(at, identity), ptr.join(at, "compute"))
        if index < _REMEMBERED:  # bounded: a hostile file may list a million transforms
            _POINTERS[key] = found
    return found


#: normalized paths by path as written (the same few recur in every product); bounded
_NORMALIZED: dict[str, str] = {}


def normalized_path(path: str) -> str:
    """`./models/x/` and `models/x` name the same dbt selection."""
    found = _NORMALIZED.get(path)
    if found is None:
        found = _normalized(path)
        if len(_NORMALIZED) >= 65_536:
            _NORMALIZED.clear()
        _NORMALIZED[path] = found
    return found


def _normalized(path: str) -> str:
    path = path.strip()
    while path.startswith("./"):
        path = path[2:]
    return path.rstrip("/")
