"""What a YAML document is to floe-lint: a manifest, a product (floe), or not ours."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

Kind = Literal["manifest", "floe"]
_MANIFEST_KEYS = frozenset({"plugins", "scope", "parent_manifest"})
_FLOE_KEYS = frozenset({"transforms", "platform"})
_KIND_NAMES: dict[str, Kind] = {"manifest": "manifest", "floespec": "floe", "floe": "floe"}
ENV_VARIANT = re.compile(
    r"^(?P<base>floe|manifest|.*[-_.]manifest)\.(?P<env>[A-Za-z0-9_-]+)\.ya?ml$"
)


def _misspelt_kind(kind: object) -> bool:
    """`kind: Manifset` is ours, misspelt (the schema says so); `kind: Deployment` is not."""
    from floe_lint.suggest import closest

    return isinstance(kind, str) and closest(kind, ("Manifest", "FloeSpec")) is not None


def classify(data: Any, path: Path) -> Kind | None:
    """A document's kind from `kind:`, else its keys, else its file name; None means 'not ours'.

    A document with a `kind:` of its own (`PlatformEnvironmentContract`, a Kubernetes resource)
    is not ours, unless the kind is a misspelling of ours. A sniffed `platform` key counts only
    in its Floe shape (holding `ref` or `manifest`): a Helm `values.yaml` with a `platform:`
    block is not a product.
    """
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    if isinstance(kind, str) and kind.lower() in _KIND_NAMES:
        return _KIND_NAMES[kind.lower()]
    if kind is not None and not _misspelt_kind(kind):
        return None
    keys = {k for k in data if k != "platform"}
    platform = data.get("platform")
    if isinstance(platform, dict) and ("ref" in platform or "manifest" in platform):
        keys.add("platform")
    if keys & _MANIFEST_KEYS and not keys & _FLOE_KEYS:
        return "manifest"
    if keys & _FLOE_KEYS and not keys & _MANIFEST_KEYS:
        return "floe"
    name = path.name.lower()
    if name.startswith("floe"):
        return "floe"
    if "manifest" in name:
        return "manifest"
    return None
