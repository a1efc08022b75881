"""How files are named to users: POSIX paths relative to a base, and source lines by path.

Resolving is cached because every finding, filter and reporter names its file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from floe_lint.load.document import SourceFile


def resolved(path: Path) -> Path:
    """`path.resolve()`, cached (a relative path together with the cwd it depends on)."""
    return _resolved(path, "" if path.is_absolute() else os.getcwd())


@cache
def _resolved(path: Path, cwd: str) -> Path:
    return path.resolve()


_FETCHED: dict[Path, str] = {}


def name_fetched(path: Path, ref: str) -> None:
    """Show a fetched file (an OCI artifact in the cache) as the ref that named it."""
    _FETCHED[resolved(path)] = ref


def relative_posix(path: Path, base: Path | None = None) -> str:
    """`path` relative to `base` (default: the working directory), `..` included, POSIX form.

    A file fetched for an `oci://` ref is shown as that ref: its cache path means nothing to users.
    """
    target = resolved(path)
    if _FETCHED and (fetched := _FETCHED.get(target)) is not None:
        return fetched
    return _relative(target, resolved(base if base is not None else Path(os.getcwd())))


@lru_cache(maxsize=4096)  # every finding, filter and reporter names its file
def _relative(target: Path, base: Path) -> str:
    try:
        return shown_name(Path(os.path.relpath(target, base)).as_posix())
    except ValueError:  # another drive on Windows
        return shown_name(target.as_posix())


def shown_name(name: str) -> str:
    r"""A file name as text every output can carry: bytes that are not UTF-8 (which Python
    keeps as lone surrogates, and which no UTF-8 writer accepts) are written `\xff`."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def _read_lines(path: Path) -> list[str]:
    from floe_lint.load.reading import read_regular

    try:
        return read_regular(path).decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def lines_reader(files: Sequence[SourceFile]) -> Callable[[Path], list[str]]:
    """Source lines by path: from the loaded files, else read from disk (a regular file).

    A loaded file is never read again: one that could not be read (a FIFO, /proc/...) has no
    lines, and its content must not reach a report through a second read.
    """
    texts: dict[Path, list[str]] = {resolved(s.path): s.lines for s in files}

    def lines(path: Path) -> list[str]:
        found = texts.get(resolved(path))
        return found if found is not None else _read_lines(path)

    return lines
