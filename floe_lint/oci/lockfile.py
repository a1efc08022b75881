"""`floe.lock`: the manifest digest every `oci://` ref of a product's hierarchy resolved to.

It sits next to the product's floe.yaml. `floe-lint lock` writes it; `check` resolves a locked
tag to its recorded digest (so a moved tag cannot change the result) and `lock-stale`
reports refs without an entry and tags that now point elsewhere. The file is JSON with
sorted keys, so relocking an unchanged hierarchy rewrites it byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from floe_lint.load.document import Document
from floe_lint.load.reading import json_value, read_text
from floe_lint.model.hierarchy import PARENT_POINTER, PLATFORM_POINTER, Hierarchy
from floe_lint.model.refs import RefError, is_oci, parse_oci
from floe_lint.oci.fetcher import atomic_write

LOCK_NAME = "floe.lock"
VERSION = 1
_DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")


class LockError(Exception):
    """A floe.lock that cannot be read; the message names the file."""


@dataclass(frozen=True, slots=True)
class RefSite:
    """An `oci://` ref as written at `pointer` of `doc`; `key` is its normalized form."""

    doc: Document
    pointer: str
    text: str
    key: str


def lock_path(product: Path) -> Path:
    return product.parent / LOCK_NAME


def read(path: Path) -> dict[str, str] | None:
    """ref -> manifest digest, or None when there is no lock file."""
    try:
        text = read_text(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise LockError(f"{path}: cannot read the lock file: {error}") from error
    try:
        data = json_value(text)
    except ValueError as error:
        raise LockError(f"{path}: not valid JSON ({error}); rerun `floe-lint lock`") from error
    refs = data.get("refs") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(refs, dict):
        raise LockError(
            f"{path}: expected {{'version': {VERSION}, 'refs': {{...}}}}; rerun `floe-lint lock`"
        )
    locked: dict[str, str] = {}
    for ref, entry in refs.items():
        digest = entry.get("digest") if isinstance(entry, dict) else None
        if not isinstance(digest, str) or not _DIGEST.match(digest):
            raise LockError(f"{path}: the entry for '{ref}' has no valid sha256 digest")
        locked[str(ref)] = digest
    return locked


def render(refs: Mapping[str, str]) -> str:
    entries = {ref: {"digest": refs[ref]} for ref in sorted(refs)}
    return json.dumps({"version": VERSION, "refs": entries}, indent=2, sort_keys=True) + "\n"


def write(path: Path, refs: Mapping[str, str]) -> None:
    atomic_write(path, render(refs).encode("utf-8"))


def collect(paths: Iterable[Path]) -> dict[str, str]:
    """Every ref locked by a floe.lock beside the given files or in the given folders.

    The first lock to name a ref wins; `lock-stale` reports products whose own lock disagrees.
    Unreadable lock files are skipped here and reported by `lock-stale`.
    """
    from floe_lint.load.workspace import discover

    folders: dict[Path, None] = {}
    for path, _ in discover(paths):
        folders.setdefault(path.parent.resolve(), None)
    locks: dict[str, str] = {}
    for folder in folders:
        try:
            found = read(folder / LOCK_NAME)
        except LockError:
            continue
        for ref, digest in (found or {}).items():
            locks.setdefault(ref, digest)
    return locks


def hierarchy_refs(hierarchy: Hierarchy, product: Document) -> Iterator[RefSite]:
    """The `oci://` refs along a product's hierarchy: its platform.ref, then each parent."""
    sites = [(product, PLATFORM_POINTER)]
    level = hierarchy.platform(product)
    sites += [(lvl.doc, PARENT_POINTER) for lvl in (level.chain() if level else [])]
    for doc, pointer in sites:
        text = doc.get(pointer)
        if not isinstance(text, str) or not is_oci(text.strip()):
            continue
        try:
            key = str(parse_oci(text.strip()))
        except RefError:
            continue
        yield RefSite(doc, pointer, text.strip(), key)
