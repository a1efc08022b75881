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
from pathlib import Path

from floe_lint.load.document import Document, Node
from floe_lint.load.reading import json_value, read_text
from floe_lint.model.dialects import product_of
from floe_lint.model.hierarchy import Hierarchy
from floe_lint.model.refs import RefError, is_oci, parse_oci
from floe_lint.oci import LOCK_NAME as LOCK_NAME
from floe_lint.record import Frozen, NamedTuple, set_field
from floe_lint.safe_write import write_file

VERSION = 1
_DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")


class LockError(Exception):
    """A floe.lock that cannot be read; the message names the file."""


class RefSite(Frozen):
    """An `oci://` ref as written at `pointer` of `doc`; `key` is its normalized form."""

    __slots__ = ("doc", "key", "pointer", "text")
    doc: Document
    pointer: str
    text: str
    key: str

    def __init__(self, doc: Document, pointer: str, text: str, key: str) -> None:
        set_field(self, "doc", doc)
        set_field(self, "pointer", pointer)
        set_field(self, "text", text)
        set_field(self, "key", key)

    @property
    def node(self) -> Node:
        return self.doc.node(self.pointer)


def lock_path(product: Path) -> Path:
    return product.parent / LOCK_NAME


def _shown(path: Path) -> str:
    """The lock's path as findings show paths (relative to the working directory, resolved), so
    that a message replayed from the result cache reads as a cold run's, however the run spelt
    the product's path (`products/p1/..`, an absolute root)."""
    from floe_lint.load.paths import relative_posix

    return relative_posix(path)


def read(path: Path, text: str | None = None) -> dict[str, str] | None:
    """ref -> manifest digest, or None when there is no lock file (`text`: its content as
    given, not as on disk)."""
    if text is None:
        try:
            text = read_text(path)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise LockError(f"{_shown(path)}: cannot read the lock file: {error}") from error
    try:
        data = json_value(text)
    except ValueError as error:
        raise LockError(
            f"{_shown(path)}: not valid JSON ({error}); rerun `floe-lint lock`"
        ) from error
    refs = data.get("refs") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(refs, dict):
        raise LockError(
            f"{_shown(path)}: expected {{'version': {VERSION}, 'refs': {{...}}}}; "
            "rerun `floe-lint lock`"
        )
    locked: dict[str, str] = {}
    for ref, entry in refs.items():
        digest = entry.get("digest") if isinstance(entry, dict) else None
        if not isinstance(digest, str) or not _DIGEST.match(digest):
            raise LockError(f"{_shown(path)}: the entry for '{ref}' has no valid sha256 digest")
        locked[str(ref)] = digest
    return locked


def render(refs: Mapping[str, str]) -> str:
    entries = {ref: {"digest": refs[ref]} for ref in sorted(refs)}
    return json.dumps({"version": VERSION, "refs": entries}, indent=2, sort_keys=True) + "\n"


def write(path: Path, refs: Mapping[str, str]) -> None:
    write_file(path, render(refs))


def collect(paths: Iterable[Path], within: Path | None = None) -> dict[str, str]:
    """Every ref locked by a floe.lock beside the given files or in the given folders (walked
    as `check` walks them: a link out of one is followed into `within`, the workspace).

    The first lock to name a ref wins; `lock-stale` reports products whose own lock disagrees.
    Unreadable lock files are skipped here and reported by `lock-stale`.
    """
    from floe_lint.load.workspace import discover

    folders: dict[Path, None] = {}
    for path, _ in discover(paths, within=within):
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
    sites = [product_of(product).platform_node]
    level = hierarchy.platform(product)
    sites += [lvl.parent_node for lvl in (level.chain() if level else [])]
    for node in sites:
        text = node.value
        if not isinstance(text, str) or not is_oci(text.strip()):
            continue
        try:
            key = str(parse_oci(text.strip()))
        except RefError:
            continue
        yield RefSite(node.doc, node.pointer, text.strip(), key)


class StaleLock(NamedTuple):
    """Why a product's floe.lock disagrees with its refs; `site` is the ref, when it has one."""

    message: str
    site: RefSite | None = None


def stale(hierarchy: Hierarchy, product: Document, text: str | None = None) -> Iterator[StaleLock]:
    """Each ref of the product's hierarchy that its floe.lock does not record as used (`text`:
    the lock's content as the run read it, else it is read here)."""
    name = LOCK_NAME
    try:
        path = lock_path(product.path)
        locked = read(path, text if text is not None else hierarchy.workspace.overlay(path))
    except LockError as error:
        yield StaleLock(str(error))
        return
    if locked is None:
        return
    from floe_lint.oci.pull import Fetcher  # a product with a lock file resolves through it

    resolver = hierarchy.resolver
    fetch = resolver.fetch
    made = getattr(fetch, "fetcher", None)
    if callable(made):  # `check`'s, made on first use (floe_lint.commands.fetching.Deferred)
        fetch = made()
    fetch = fetch if isinstance(fetch, Fetcher) else None
    for site in hierarchy_refs(hierarchy, product):
        if site.text in resolver.overrides or site.key in resolver.overrides:
            continue  # a local stand-in, not a registry artifact
        digest = locked.get(site.key)
        pinned = site.key.partition("@")[2]
        used = fetch.resolved.get(site.key) if fetch else None
        if digest is None:
            message = f"'{site.text}' has no entry in {name}; run `floe-lint lock` to record it"
        elif pinned and pinned != digest:
            message = f"'{site.text}' is pinned to {pinned} but {name} records {digest}"
        elif used and used != digest:
            message = f"'{site.text}' resolved to {used} (another lock file), not {digest}"
        elif fetch and used and not pinned:
            current = fetch.current_digest(parse_oci(site.text))
            if current is None or current == digest:
                continue
            message = (
                f"tag '{site.text}' now points to {current}, but {name} records {digest}; "
                "review the change and run `floe-lint lock` to accept it"
            )
        else:
            continue
        yield StaleLock(message, site)
