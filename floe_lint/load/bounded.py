"""A bounded read of a regular file: what a scan or a comparison reads from a path it was given.

A FIFO, a device or a file larger than the load limit is refused instead of read, so no input
can block the run or exhaust its memory. It is `reading.read_regular` (the one reader of user
files) for callers that treat an unreadable file as absent.
"""

from __future__ import annotations

from pathlib import Path

from floe_lint.load.reading import MAX_BYTES, ReadError, read_regular


def read_bounded(path: Path | str) -> bytes | None:
    """The bytes of a regular file no larger than the load limit, else None."""
    try:
        return read_regular(path, MAX_BYTES)
    except ReadError:
        return None
