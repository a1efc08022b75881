"""A bounded read of a regular file: what a scan or a comparison reads from a path it was given.

A FIFO, a device or a file larger than the load limit is refused instead of read, so no input
can block the run or exhaust its memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from floe_lint.load.document import MAX_BYTES


def read_bounded(path: Path) -> bytes | None:
    """The bytes of a regular file no larger than the load limit, else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the open
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        try:
            return handle.read(MAX_BYTES + 1)
        except OSError:
            return None
