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


def read_bounded(path: Path | str) -> bytes | None:
    """The bytes of a regular file no larger than the load limit, else None."""
    try:
        return read_regular(path, MAX_BYTES)
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
    try:
        return read_regular(path, limit, follow_symlinks=False)
    except ReadError:
        return None
