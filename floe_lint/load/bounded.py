"""A bounded read of a regular file: what a scan or a comparison reads from a path it was given.

A FIFO, a device or a file larger than the load limit is refused instead of read, so no input
can block the run or exhaust its memory. It is `reading.read_regular` (the one reader of user
files) for callers that treat an unreadable file as absent.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from floe_lint.load.reading import MAX_BYTES, ReadError, read_regular

_FOLLOWING = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def read_bounded(path: Path | str) -> bytes | None:
    """The bytes of a regular file no larger than the load limit, else None: what
    `read_regular(path)` returns, or None where it raises. A file that is not there (the
    floe.lock most folders lack) costs one failed open, and a plain file four system calls."""
    try:
        fd = os.open(path, _FOLLOWING)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return _read_regular_or_none(path, True)
    return _read_open(fd, path, MAX_BYTES, True)


def _read_open(fd: int, path: Path | str, limit: int, follow: bool) -> bytes | None:
    """The bytes of the regular file open at `fd` (closed here) in one read; anything unusual
    is left to `read_regular`, whose answer it is."""
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and info.st_size <= limit:
            data = os.read(fd, info.st_size + 1)
            if len(data) == info.st_size:
                return data
    except OSError:
        pass
    finally:
        os.close(fd)
    return _read_regular_or_none(path, follow, limit)


def _read_regular_or_none(path: Path | str, follow: bool, limit: int = MAX_BYTES) -> bytes | None:
    try:
        return read_regular(path, limit, follow_symlinks=follow)
    except ReadError:
        return None


_UNLINKED = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
)


def read_unlinked(path: str, limit: int = MAX_BYTES) -> bytes | None:
    """`read_regular(path, limit, follow_symlinks=False)`, or None where it refuses: for a scan
    of names a walk listed as plain files (floe_lint.model.reverse_index), in four system calls.

    The name is opened without following a symbolic link (one put there since the walk is
    refused), checked with fstat on the same descriptor and read once for at most its size + 1
    bytes; anything else (not a regular file, too large, a short read, a size that changed)
    is left to `read_regular`, whose answer it is."""
    try:
        fd = os.open(path, _UNLINKED)
    except (OSError, ValueError):
        return None
    return _read_open(fd, path, limit, False)
