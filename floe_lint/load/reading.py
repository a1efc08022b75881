"""The one way floe-lint reads a file a user controls: regular files only, bounded, never blocking.

Documents, the config, a baseline, a lock file, a ref's target and cached registry blobs are
all hostile input. A symlink to /dev/zero would fill memory, a FIFO would block the hook
forever, and /proc/self/environ would show the environment to whoever reads the report. So a
file is opened without blocking, checked with fstat (what was opened, not what the name
pointed to a moment before), and read for at most `limit + 1` bytes: the limit holds while
reading, not after.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_BYTES = 5 * 1024 * 1024
_CHUNK = 1 << 20
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class ReadError(OSError):
    """A file that was not read; `str()` says why in words and never quotes the file."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class MissingFileError(ReadError, FileNotFoundError):
    """Nothing is there: callers that treat a missing file as 'none yet' catch this one."""


def special_kind(mode: int) -> str | None:
    """'a FIFO (named pipe)'-style name of a file that is not regular, or None if it is."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "a special file")


def read_regular(
    path: Path | str, limit: int = MAX_BYTES, *, follow_symlinks: bool = True
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; otherwise ReadError
    (MissingFileError, also a FileNotFoundError, when there is no file).

    With `follow_symlinks=False` a symlink is refused (for files only floe-lint writes).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except ValueError as error:
        raise ReadError("its name contains a NUL character") from error
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise MissingFileError("it does not exist") from error
        reason = error.strerror or str(error)
        if not follow_symlinks and os.path.islink(path):
            reason = "it is a symbolic link"
        raise ReadError(reason) from error
    try:
        info = os.fstat(fd)
        kind = special_kind(info.st_mode)
        if kind is not None:
            raise ReadError(f"it is {kind}, not a regular file")
        if info.st_size > limit:
            raise ReadError(f"it is {info.st_size} bytes; the limit is {limit}")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except ReadError:
        raise
    except OSError as error:
        raise ReadError(error.strerror or str(error)) from error
    finally:
        os.close(fd)
    if left <= 0:
        raise ReadError(f"it is more than {limit} bytes; the limit is {limit}")
    data = b"".join(chunks)
    if len(data) != info.st_size:
        if info.st_size == 0:
            # /proc, /sys and the like call their files regular, with size 0, and make up the
            # content when read: nothing a user would lint, and possibly the environment.
            raise ReadError("it is a special file (as in /proc), not a regular file")
        raise ReadError("it changed while being read; try again")
    return data


_BOM = b"\xef\xbb\xbf"


def utf8_text(raw: bytes) -> str:
    """`raw.decode("utf-8-sig")`: UTF-8, a leading byte-order mark dropped, and on bytes that
    are not UTF-8 the same UnicodeDecodeError (its object and positions after the mark). The
    codec by that name is a Python module and a Python function per call (issue 17: a check
    imports nothing else for it); this is the C decoder's own."""
    return raw[3:].decode("utf-8") if raw[:3] == _BOM else raw.decode("utf-8")


def read_text(path: Path | str, limit: int = MAX_BYTES) -> str:
    """`read_regular` decoded as UTF-8 (a BOM is dropped); ReadError when it is not UTF-8."""
    data = read_regular(path, limit)
    try:
        return utf8_text(data)
    except UnicodeDecodeError as error:
        body = error.object  # after a byte-order mark, which error.start does not count
        line = body[: error.start].count(b"\n") + 1
        raise ReadError(f"it is not valid UTF-8 (line {line})") from error


def json_value(text: str | bytes) -> Any:
    """`json.loads`, where nesting too deep for the parser is a ValueError like any other."""
    import json

    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("it is nested too deeply") from None
