"""Pinning an `oci://` tag to the digest its product's floe.lock already records.

The ref gains `@sha256:...` after its tag, and the lock entry's key is renamed to the pinned
ref, as `floe-lint lock` would write it: the lock still records the ref, so no finding
appears where one went. Nothing is looked up online: without a recorded digest there is no fix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from floe_lint.findings import Edit
from floe_lint.fix.edits import replace_scalar
from floe_lint.load import pointer as ptr
from floe_lint.load.document import Node, SourceFile
from floe_lint.model.refs import RefError, parse_oci


def pin(
    node: Node, load: Callable[[Path], SourceFile], overlay: Callable[[Path], str | None]
) -> tuple[str, tuple[Edit, ...]] | None:
    """(the pinned ref, the edits) for the ref at `node` of a product, or None. `load` and
    `overlay` read the lock file as the run sees it (unsaved or already fixed text)."""
    from floe_lint.oci import lockfile

    text = node.value
    if not isinstance(text, str) or node.doc.kind != "floe":
        return None
    try:
        ref = parse_oci(text.strip())
        path = lockfile.lock_path(node.doc.path)
        locked = lockfile.read(path, overlay(path))
    except (RefError, lockfile.LockError):
        return None
    key = str(ref)
    digest = (locked or {}).get(key)
    if digest is None or ref.digest is not None:
        return None
    pinned = f"{key}@{digest}"
    ref_edit = replace_scalar(node, pinned)
    if ref_edit is None or locked is None:
        return None
    if pinned in locked:
        return pinned, (ref_edit,)
    lock = load(path)
    if not lock.documents or lock.problems:
        return None
    entry = lock.documents[0].node(ptr.join("/refs", key))
    key_edit = replace_scalar(entry, pinned, at="key")
    if key_edit is None:
        return None
    return pinned, (ref_edit, key_edit)
