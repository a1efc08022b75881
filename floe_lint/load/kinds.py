"""What a YAML document is to floe-lint: a manifest, a product (floe), or not ours."""

from __future__ import annotations

import os
import re
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Literal, Protocol

    class Document(Protocol):
        """What the helpers below read of a `floe_lint.load.document.Document` (not imported:
        document imports this module)."""

        @property
        def kind(self) -> Kind | None: ...

        @property
        def data(self) -> Any: ...

    class SourceFile(Protocol):
        """What they read of a `floe_lint.load.document.SourceFile`."""

        @property
        def documents(self) -> Sequence[Document]: ...

    Kind = Literal["manifest", "floe"]

_MANIFEST_KEYS = frozenset({"plugins", "scope", "parent_manifest"})
_FLOE_KEYS = frozenset({"transforms", "platform"})
_KIND_NAMES: dict[str, Kind] = {"manifest": "manifest", "floespec": "floe", "floe": "floe"}


class _Variant:
    """`ENV_VARIANT.match(name)`: `pattern`'s match of a file name (a per-environment file:
    `floe.prod.yaml`, `manifest.dev.yml`), compiled when first given a name that could match,
    one with two dots; most names (`floe.yaml`, `manifest.yaml`) cannot, and a run that sees
    none compiles nothing (1 ms of the pre-commit hook's start-up, issue 17). From then on,
    `match` is the compiled pattern's own (tests/test_env_variant.py compares both). The
    name is read in any case, as `kind_by_name` and the walk read it: where names fold case,
    reading `floe.prod.yaml` reads `Floe.prod.YAML` (tests/test_suffix_case.py)."""

    pattern = r"^(?P<base>(?i:floe|manifest|.*[-_.]manifest))\.(?P<env>[A-Za-z0-9_-]+)\.(?i:ya?ml)$"

    def match(self, name: str) -> re.Match[str] | None:
        if name.count(".") < 2:  # the pattern's two `\.`
            return None
        self.match = re.compile(self.pattern).match  # type: ignore[method-assign,assignment]
        return self.match(name)


ENV_VARIANT = _Variant()
#: The suffixes of the base file a per-environment file is compared with (`floe.prod.yaml`
#: beside `floe.yaml`, `floe.yml` or the JSON `floe.json`: the rules pair an overlay with any
#: document whose name is its base's, so every lookup of a base must try the same three).
BASE_SUFFIXES = (".yaml", ".yml", ".json")


def overlay_base(path: Path) -> Path | None:
    """The base file of the per-environment file `path` (`floe.yaml`, else `floe.yml`, else
    `floe.json` for `floe.prod.yaml`) when it exists; named in another case (`FLOE.yaml`),
    the first such name of its folder: where names fold case, it is the file Floe reads."""
    match = ENV_VARIANT.match(path.name)
    if match is None:
        return None
    for suffix in BASE_SUFFIXES:
        base = path.with_name(match["base"] + suffix)
        if base.is_file():
            return base
    try:
        names = sorted(os.listdir(path.parent))
    except OSError:
        return None
    for suffix in BASE_SUFFIXES:
        wanted = (match["base"] + suffix).lower()
        for name in names:
            if name.lower() == wanted and (path.parent / name).is_file():
                return path.parent / name
    return None


def same_base(overlay_base_name: str, base_name: str) -> bool:
    """Whether an overlay's base (`Floe` of `Floe.prod.yaml`) names `base_name` (`floe` of
    `floe.yaml`), in any case (see `overlay_base`)."""
    return overlay_base_name.lower() == base_name.lower()


def _misspelt_kind(kind: object) -> bool:
    """`kind: Manifset` is ours, misspelt (the schema says so); `kind: Deployment` is not."""
    from floe_lint.suggest import closest

    return isinstance(kind, str) and closest(kind, ("Manifest", "FloeSpec")) is not None


def classify(data: Any, path: Path) -> Kind | None:
    """A document's kind from `kind:`, else its keys, else its file name when that is a Floe
    name (`kind_by_name`); None means 'not ours'.

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
    return kind_by_name(path.name)


_SUFFIXES = ("yaml", "yml", "json")
_MANIFEST_ENDINGS = ("-manifest", "_manifest", ".manifest")


def kind_by_name(name: str) -> Kind | None:
    """The kind a file's name promises, or None: `floe.yaml` is a product and `manifest.yaml`,
    `sales-manifest.yaml`, `enterprise.manifest.yaml` are manifests, each also with an
    environment (`floe.prod.yaml`, `manifest.dev.yml`) and as `.json`.

    Only these names decide a document whose keys do not: `floe-lint.yaml` (a CI workflow),
    `floe-values.yaml` or `manifests.yaml` are someone else's unless their keys are Floe's.
    These are the names the `floe-lint-compile-check` hook's `files:` pattern lists.
    """
    stem, dot, suffix = name.lower().rpartition(".")
    if not dot or suffix not in _SUFFIXES:
        return None
    bases = [stem]
    base, dot, env = stem.rpartition(".")
    if dot and env and all(c.isascii() and (c.isalnum() or c in "_-") for c in env):
        bases.append(base)  # floe.prod.yaml, sales-manifest.dev.yaml
    for base in bases:
        if base == "floe":
            return "floe"
        if base == "manifest" or base.endswith(_MANIFEST_ENDINGS):
            return "manifest"
    return None


def looks_ours(path: Path) -> bool:
    """Whether a file's name promises a Floe document (`floe.yaml`, `sales-manifest.yaml`)."""
    return kind_by_name(path.name) is not None


#: Names that promise a Floe document: such a file holding none is a finding, not a skip.
FLOE_NAMES = frozenset({"floe.yaml", "floe.yml", "manifest.yaml", "manifest.yml"})


def holds_floe(source: SourceFile) -> bool:
    """Whether a file holds at least one manifest or product document (a loop: `any` over a
    generator stopped early raises and clears a GeneratorExit, once a file checked)."""
    for doc in source.documents:  # noqa: SIM110 - see the docstring
        if doc.kind:
            return True
    return False


def holds_manifest(source: SourceFile) -> bool:
    """Whether a file holds a manifest document (a loop, as `holds_floe`)."""
    for doc in source.documents:  # noqa: SIM110 - see holds_floe
        if doc.kind == "manifest":
            return True
    return False


def holds_ours(source: SourceFile, json: bool) -> bool:
    """Whether a file holds a manifest or product document that, in a JSON file (`json`: one
    a walk found), declares Floe's API version (a loop, as `holds_floe`)."""
    for doc in source.documents:  # noqa: SIM110 - see holds_floe
        if doc.kind and (not json or has_api_version(doc)):
            return True
    return False


def declares_another_kind(source: SourceFile) -> bool:
    """Every document names a `kind:` that is not Floe's (a Kubernetes `manifest.yaml`): the
    file is someone else's, whatever its name promises (a loop, as `holds_floe`)."""
    for doc in source.documents:
        data = doc.data
        if not (doc.kind is None and isinstance(data, dict) and isinstance(data.get("kind"), str)):
            return False
    return bool(source.documents)


def has_api_version(doc: Document) -> bool:
    """Whether a document declares Floe's API version (a discovered JSON file must)."""
    data = doc.data
    return isinstance(data, dict) and "floe.dev/v1" in (
        data.get("apiVersion"),
        data.get("api_version"),
    )
