"""The size and time of each source, data and extension file of an installed package: part of
the result cache's run key (`cache.run_key`), since a development checkout or an editable
install changes them without a new version. Listed on every cached run, so it is listed as
`os.walk` would, without what `os.walk` adds (issue 17)."""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:  # (typing is not imported by a cached run: ~8M instructions)
    from typing import Any

#: the files noted: Python sources, schemas and other JSON data, compiled extensions
_NOTED = (".py", ".json", ".so", ".pyd")
#: folders passed over (compiled files, and tests, which the installed code does not run)
_SKIPPED = ("__pycache__", "tests")


def stat_files(root: Path | str, seen: list[Any]) -> None:
    """Note `[path, size, mtime_ns]` of each file under `root` (or of `root`, a file) in
    `seen`. The order is `os.walk`'s with its folders sorted: a folder's files by name, then
    its folders by name, a folder linked to not entered. Each entry's own `stat` and path
    serve: no `islink` per folder nor a path joined twice per file (30% of its CPU)."""
    if isinstance(root, Path) and root.is_file():
        info = root.stat()
        seen.append([str(root), info.st_size, info.st_mtime_ns])
        return
    try:
        with os.scandir(root) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return  # (as os.walk: a folder it cannot list is passed over)
    folders = []
    for entry in entries:
        if _is_dir(entry):
            folders.append(entry)
        elif entry.name.endswith(_NOTED):
            try:
                info = entry.stat()  # (follows a link, as `os.stat` of its path)
            except OSError:  # a link to nothing, or a file removed since listed (a checkout
                seen.append([entry.path, None, None])  # or an editor saving): no crash
                continue
            seen.append([entry.path, info.st_size, info.st_mtime_ns])
    for entry in folders:
        if entry.name not in _SKIPPED and not entry.is_symlink():
            stat_files(entry.path, seen)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False  # (as os.walk: a file, then)
