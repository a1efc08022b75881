"""Where a file's local refs led, for the result cache: a ref is replayed only while it still
leads to the same file.

The cache keys a local ref by the content of the file it reached (`floe_lint.lint.replay`), but
what a ref reaches can change while every file's content stays the same: a symbolic link on its
way re-pointed (`platform -> v2`), a `manifest.yaml` created in the folder where a folder ref
found only `manifest.yml`, the same beside a product that names no platform. So a ref whose
target is not simply its own text joined to its file's folder is noted with where it led, and
a later run replays the file only when resolving the ref again leads to the same file. A ref
that needs no note (no link on its way, a file named directly) costs the later run nothing.
The same holds for a ref that the config's `refs` or `--ref` maps to a local file: the run's key
holds the path it maps to, not where a link on that path leads. And for a file named on the
command line, not found by a walk, the per-environment files beside it: a new `floe.prod.yaml`
changes no set of files found, so their names are noted too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from floe_lint.model.refs import RefError, Resolver

#: the text noted for a product that names no platform and took the manifest beside it
SIBLING = ""
_SIBLINGS = ("manifest.yaml", "manifest.yml")  # in the order floe_lint.model.hierarchy tries them

Link = list[str]


def note(base: Path, text: str, target: str) -> Link | None:
    """[the referring file, the ref's text, the file it led to] when resolving `text` from
    `base` again could lead elsewhere; None when the text names its target directly (no
    symbolic link on the way, no folder looked into), so that only the target's content counts."""
    if text != SIBLING:
        # (the folder's text, not `base.parent`: a new `Path` prints by catching an exception)
        folder = os.path.dirname(os.fspath(base))
        joined = os.path.normpath(os.path.join(os.getcwd(), folder, text.strip()))
        if joined == target:
            return None
    return [str(base), text, target]


def leads_there(link: object, key: Callable[[Path], str], resolver: Resolver) -> bool:
    """Whether the noted ref resolves, in this run, to the file it led to when it was noted
    (`key`: a path's resolved form, as the cache keys files; `resolver`: the run's refs that
    the config and `--ref` map to local files)."""
    if not (isinstance(link, list) and len(link) == 3 and all(isinstance(v, str) for v in link)):
        return False
    base, text, target = (str(v) for v in link)
    try:
        if text == SIBLING:
            for name in _SIBLINGS:
                sibling = Path(base).parent / name
                if sibling.is_file():
                    return key(sibling) == target
            return False
        return key(resolver.resolve(text, Path(base))) == target
    except (RefError, OSError, RuntimeError, ValueError):
        return False


def overlays_beside(path: Path) -> list[object]:
    """[the file, the names of the per-environment files beside it]."""
    from floe_lint.lint.context import overlay_files

    return [str(path), [sibling.name for sibling in overlay_files(path)]]


def same_overlays(noted: object) -> bool:
    """Whether the per-environment files beside a file are those `overlays_beside` noted."""
    from floe_lint.lint.context import overlay_files

    if not (isinstance(noted, list) and len(noted) == 2 and isinstance(noted[0], str)):
        return False
    names: object = [sibling.name for sibling in overlay_files(Path(noted[0]))]
    return bool(names == noted[1])
