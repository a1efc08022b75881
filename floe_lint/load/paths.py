"""How files are named to users: POSIX paths relative to a base, and source lines by path.

Resolving is cached because every finding, filter and reporter names its file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from floe_lint.load.document import SourceFile


def resolved(path: Path) -> Path:
    """`path.resolve()`, cached for absolute paths (a relative one depends on the cwd)."""
    return _resolved_absolute(path) if path.is_absolute() else path.resolve()


@cache
def _resolved_absolute(path: Path) -> Path:
    return path.resolve()


_FETCHED: dict[Path, str] = {}


def name_fetched(path: Path, ref: str) -> None:
    """Show a fetched file (an OCI artifact in the cache) as the ref that named it."""
    _FETCHED[resolved(path)] = ref


def relative_posix(path: Path, base: Path | None = None) -> str:
    """`path` relative to `base` (default: the working directory), `..` included, POSIX form.

    A file fetched for an `oci://` ref is shown as that ref: its cache path means nothing to users.
    """
    if _FETCHED and (fetched := _FETCHED.get(resolved(path))) is not None:
        return fetched
    try:
        return Path(os.path.relpath(resolved(path), resolved(base or Path.cwd()))).as_posix()
    except ValueError:  # another drive on Windows
        return resolved(path).as_posix()


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def lines_reader(files: Sequence[SourceFile]) -> Callable[[Path], list[str]]:
    """Source lines by path: from the loaded files, else read from disk."""
    texts: dict[Path, list[str]] = {resolved(s.path): s.lines for s in files}
    return lambda path: texts.get(resolved(path)) or _read_lines(path)
