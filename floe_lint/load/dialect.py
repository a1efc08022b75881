"""Which dialect a document is written in: ADR-0010's, or the one upstream Floe's code accepts.

Each dialect has marker keys that the other never uses (`plugins.compute.approved` against
`plugins.compute.type`, `platform.ref` against `platform.manifest`, a transform's `path` against
its `dependsOn`, ...). The config's `dialect:` pins one for every document; `auto` decides per
document from its markers, and a document showing both is read as one and reported
(`mixed-dialect`), never guessed silently.
"""

from __future__ import annotations

from floe_lint.record import Frozen, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    DialectName = Literal["adr-0010", "floe"]

DIALECTS: tuple[DialectName, ...] = ("adr-0010", "floe")
#: upstream's `apiVersion`, by its alias or by its field name (floe-core validates by both)
_API_VERSION = frozenset({"apiVersion", "api_version"})

# `governance` is read in both dialects (ADR-0010 defines none; floe-lint reads upstream's block).
_MANIFEST_FLOE_KEYS = (
    "approved_plugins",
    "approved_sinks",
    "approved_products",
    "defaults",
    "observability",
    "resource_presets",
    "artifacts",
)
_PRODUCT_FLOE_KEYS = ("schedule", "outputPorts", "output_ports", "destinations")
_TRANSFORM_FLOE_KEYS = ("dependsOn", "depends_on", "tier", "qualityChecks", "quality_checks")
_TRANSFORM_ADR_KEYS = ("path", "type", "workload_size")
#: the same keys as sets: a transform holding none of them is passed over in one test (most
#: transforms of a document show only their own dialect's keys)
_FLOE_SET, _ADR_SET = frozenset(_TRANSFORM_FLOE_KEYS), frozenset(_TRANSFORM_ADR_KEYS)


class Markers(Frozen):
    """The first node that shows each dialect in a document (None: no sign of it). (A record,
    not a named tuple: defining one costs start-up, issue 17.)"""

    __slots__ = ("adr", "floe", "hint")
    adr: str | None
    floe: str | None
    #: a sign of upstream's dialect that ADR-0010 also allows (a non-compute plugin's `type`):
    #: it decides only a document that shows no other marker
    hint: bool

    def __init__(self, adr: str | None, floe: str | None, hint: bool = False) -> None:
        set_field(self, "adr", adr)
        set_field(self, "floe", floe)
        set_field(self, "hint", hint)

    @property
    def mixed(self) -> bool:
        return self.adr is not None and self.floe is not None


def _manifest_markers(data: dict[str, Any]) -> Markers:
    plugins = data.get("plugins")
    compute = plugins.get("compute") if isinstance(plugins, dict) else None

    def adr() -> str | None:
        if isinstance(compute, dict):
            for key in ("approved", "default"):
                if key in compute:
                    return f"/plugins/compute/{key}"
        return None

    def floe() -> str | None:
        if isinstance(compute, dict) and "type" in compute:
            return "/plugins/compute/type"
        for key in _MANIFEST_FLOE_KEYS:
            if key in data:
                return f"/{key}"
        return None

    hint = isinstance(plugins, dict) and any(
        isinstance(selection, dict) and ("type" in selection or "provider" in selection)
        for selection in plugins.values()
    )
    return Markers(adr(), floe(), hint)


def _product_markers(data: dict[str, Any]) -> Markers:
    platform = data.get("platform")
    items = data.get("transforms")
    transforms = [t for t in items if isinstance(t, dict)] if isinstance(items, list) else []

    def adr() -> str | None:
        if isinstance(platform, dict) and "ref" in platform:
            return "/platform/ref"
        for key in ("name", "version"):
            if key in data:
                return f"/{key}"
        for index, item in enumerate(transforms):
            if _ADR_SET.isdisjoint(item):
                continue
            for key in _TRANSFORM_ADR_KEYS:
                if key in item:
                    return f"/transforms/{index}/{key}"
        return None

    def floe() -> str | None:
        if isinstance(platform, dict) and "manifest" in platform:
            return "/platform/manifest"
        for key in _PRODUCT_FLOE_KEYS:
            if key in data:
                return f"/{key}"
        for index, item in enumerate(transforms):
            if _FLOE_SET.isdisjoint(item) and ("name" not in item or not _ADR_SET.isdisjoint(item)):
                continue  # (what the two tests below find nothing in)
            for key in _TRANSFORM_FLOE_KEYS:
                if key in item:
                    return f"/transforms/{index}/{key}"
            if "name" in item and _ADR_SET.isdisjoint(item):
                return f"/transforms/{index}/name"
        return None

    return Markers(adr(), floe())


def markers(data: Any, kind: str) -> Markers:
    if not isinstance(data, dict):
        return Markers(None, None)
    return _manifest_markers(data) if kind == "manifest" else _product_markers(data)


def read(data: Any, kind: str, pinned: str = "auto") -> tuple[DialectName, tuple[str, str] | None]:
    """The dialect a document is read in and, for one that mixes both, the pointers of the
    marker not followed and of the one followed (for `mixed-dialect`).

    The pinned dialect wins. Otherwise a document that shows neither dialect's markers is read
    as ADR-0010 (floe-lint's first dialect, whose schema then names what is missing), unless it
    selects a plugin by `type` or carries the `apiVersion` and `kind` that upstream requires (a
    domain that keeps its parent's compute shows nothing else). One that shows both is read as
    upstream's when it carries that `apiVersion` and `kind`, else as ADR-0010's.
    """
    if pinned in DIALECTS:
        return pinned, None  # type: ignore[return-value]
    found = markers(data, kind)
    upstream = isinstance(data, dict) and "kind" in data and not _API_VERSION.isdisjoint(data)
    if found.adr is None or found.floe is None:
        shows_floe = found.floe is not None or (found.adr is None and (found.hint or upstream))
        return ("floe" if shows_floe else "adr-0010"), None
    if upstream:
        return "floe", (found.adr, found.floe)
    return "adr-0010", (found.floe, found.adr)
