"""The one way floe-lint writes a file: atomically, never through a symbolic link.

Reports (`--output`, `--sarif-file`), compiled artifacts, profiles.yml, baselines, lock files
and cache entries all go through `write_file` (or `write_chunks`, for a store written as it is
made). A reader sees the old file or the new one,
never half of one; a link planted where output goes (`target/floe -> ~/.dbt`) is refused by
name instead of followed; the file gets the usual mode for the user's umask.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path


class SymlinkRefused(OSError):
    """A path that floe-lint would write through is a symbolic link."""


def _refuse(link: Path) -> SymlinkRefused:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    return SymlinkRefused(
        errno.ELOOP, f"{link} is a symbolic link (to {target}); floe-lint never writes through one"
    )


def check_no_symlink(path: Path, root: Path | None = None) -> None:
    """Raise SymlinkRefused when `path`, its folder, or any folder between `root` (default: the
    working directory) and it is a symbolic link. Folders above `root` are the user's own.

    Told by the paths' parts, each folder asked by its text: pathlib's `base in folder.parents`
    reads the parents until an IndexError, and each `Path` it gives catches an AttributeError
    when first printed (about 30 exceptions a file; the summary of every `check` that found a
    fixable finding asks it of each, issue 17)."""
    absolute = os.path.abspath(path)
    base = Path(os.path.abspath(root or os.getcwd())).parts
    if _is_link(absolute):
        raise _refuse(Path(absolute))
    folder = os.path.dirname(absolute)  # (`Path(absolute).parent`, as text)
    if _is_link(folder):
        raise _refuse(Path(folder))
    parts = Path(folder).parts
    if parts[: len(base)] == base:  # `folder` is `root` or below it
        for depth in range(len(base), len(parts)):  # from `root` down to `folder`'s parent
            parent = os.path.join(*parts[:depth])
            if _is_link(parent):
                raise _refuse(Path(parent))


#: what `Path.is_symlink` reads as no link (pathlib's `_IGNORED_ERRNOS`)
_NOT_THERE = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def _is_link(path: str) -> bool:
    """`Path(path).is_symlink()`, asked of the text (no `Path` made)."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError as error:
        if error.errno not in _NOT_THERE:
            raise
        return False
    except ValueError:
        return False


def write_file(path: Path, data: bytes | str, root: Path | None = None) -> bool:
    """Write `data` to `path` atomically (a temporary file in the same folder, then a rename).

    False when the file already holds exactly `data` (nothing is written). Raises OSError,
    SymlinkRefused included, with a message fit for the user.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = _checked_folder(path, root)
    try:
        with open(path, "rb", opener=_no_follow) as current:
            if current.read(len(payload) + 1) == payload:
                return False
    except OSError:
        pass
    _replace(path, folder, (payload,))
    return True


def write_chunks(path: Path, chunks: Iterable[str | bytes], root: Path | None = None) -> None:
    """`write_file` of the text the chunks make (text encoded as UTF-8, bytes as they are),
    written as they come: a large file (the result cache's store) is never held whole as text
    and again as bytes. Always written: unlike `write_file`, the file's current content is not
    compared first."""
    encoded = (chunk if isinstance(chunk, bytes) else chunk.encode("utf-8") for chunk in chunks)
    _replace(path, _checked_folder(path, root), encoded)


def _checked_folder(path: Path, root: Path | None) -> Path:
    """The folder `path` is written in, made if missing, with no link on the way."""
    check_no_symlink(path, root)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    check_no_symlink(path, root)  # mkdir may have raced with a link; look again
    return folder


def _replace(path: Path, folder: Path, payloads: Iterable[bytes]) -> None:
    """Write the payloads to a new temporary file in `folder`, then rename it to `path`."""
    temporary = folder / f".{path.name}.{os.urandom(6).hex()}.tmp"
    # O_EXCL | O_NOFOLLOW: a name someone else created (or linked) is never opened; mode 0o666
    # lets the umask decide, as for any file the user creates.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(temporary, flags | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            for payload in payloads:
                stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)  # replaces a link planted meanwhile, never follows it
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _no_follow(name: str, flags: int) -> int:
    """Open without following a link, and without blocking on a FIFO put in the file's place."""
    return os.open(name, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
