"""The dependents search's reading of files (`floe_lint.model.reverse_index`): which files can
name the search's frontier, told from their bytes.

Most files of a workspace name no changed manifest, and a tree beside the one changed (a twin
of it, another team's) doubles them: each such file should cost its folder's listing and its
read, no more. So the first pass of a search walks and reads in one loop (`first_pass`): each
folder's plain files are opened as the walk listed them (no name, tuple or Path built per
file), each read once, bounded and regular files only, and tested as bytes with C-speed
`in` tests; only a file holding a needle is decoded and its ref text resolved
(`floe_lint.model.ref_needles`). Anything unusual (a symbolic link, a file below a target's
folder) is handed back to the caller's per-file test, as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from stat import S_ISREG

from floe_lint.load.bounded import read_bounded, read_unlinked
from floe_lint.load.kinds import kind_by_name
from floe_lint.load.reading import MAX_BYTES
from floe_lint.load.walk import Folder
from floe_lint.model.ref_needles import _Targets

_UNLINKED = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
)


def holds_ref(raw: bytes, text: str, oci: Iterable[bytes], targets: _Targets, again: bool) -> bool:
    """Whether a file (`text`, its absolute path) whose bytes are `raw` may reference a target:
    it holds an `oci://` or override needle, or a backslash (an escape, a quoted scalar's line
    continuation, can spell a ref without the names it holds; not on the `again` pass), or
    ref text that resolves to a target."""
    for needle in oci:
        if needle in raw:
            return True
    if not again and b"\\" in raw:
        return True
    names = targets.byte_needles
    if names is not None:
        for needle in names:
            if needle in raw:
                break
        else:
            return False
    return targets.named_in(os.path.dirname(text), raw)


def read_listed(name: str, link: bool) -> bytes | None:
    """The bytes of a file the walk listed: through a link the walk met (`read_bounded`),
    otherwise never through one (`read_unlinked`); None where either refuses."""
    return read_bounded(name) if link else read_unlinked(name)


#: a backslash, as `bytes` hold it: `92 in raw` is one `memchr`, where `b"\\" in raw` first
#: fails to read its operand as an int (an exception raised and cleared: 0.3 us a file);
#: likewise `raw.find(needle)` answers for a longer needle without that detour
_BACKSLASH = ord("\\")

#: what one read asks for: a file of the usual size (a product, a manifest) is read whole, and a
#: shorter answer is its end (`first_pass`)
CHUNK = 1 << 16


def first_pass(
    folders: Iterable[Folder],
    kept: list[Folder],
    given: Mapping[str, frozenset[str]],
    given_folders: tuple[str, ...],
    below: tuple[str, ...],
    oci: tuple[bytes, ...],
    targets: _Targets,
) -> Iterator[tuple[str, str, bool, bool]]:
    """The first pass of a search over a walk's `folders` (`floe_lint.load.walk.folder_files`).

    Each folder is noted in `kept` without its files named in `given` (by folder, as absolute
    paths) and is left out whole below one of `given_folders` (the run lints them already).
    Yields (name, absolute path, is a link, passed) for each file that passed the test
    (`holds_ref`, passed True) or that the caller tests itself (passed False): a symbolic link
    and any file of a folder that holds one or a YAML name listed as neither a file nor a link,
    and a file below one of `below` (the folders of targets: a ref of `..` alone names them).

    Every other file was listed as a regular file (the type its folder's listing gave) and
    costs three system calls: one open that follows no link and cannot block, one read of at
    most CHUNK bytes, one close. A shorter answer is the whole file, and most files hold no
    needle: they are dropped there, whatever the file had become since it was listed (what
    `read_unlinked` answers for a file that is not regular, None, drops it too). A file whose
    bytes hold a needle or a backslash, or that filled the read, is checked with fstat on the
    same descriptor before anything more is done with it: a regular file, within the load
    limit, of the size read (the rest read once); anything unusual is left to
    `read_unlinked`, whose answer it is, as for every other file of the search."""
    names_in = targets.byte_needles
    lone = names_in[0] if names_in is not None and len(names_in) == 1 else None
    any_oci = bool(oci)
    opening, reading, closing = os.open, os.read, os.close
    for folder in folders:
        shown, absolute, opened, names, linked = folder
        if given_folders and absolute.startswith(given_folders):
            continue
        skip = given.get(absolute) if given else None
        if skip is not None:
            names = [name for name in names if name not in skip]
            folder = (shown, absolute, opened, names, linked)
        kept.append(folder)
        if linked is not None or absolute.startswith(below):
            for name in names:
                yield shown + name, absolute + name, linked is not None and name in linked, False
            continue
        for name in names:
            try:
                fd = opening(opened + name, _UNLINKED)
            except (OSError, ValueError):
                continue  # (what `read_unlinked` answers: None)
            raw: bytes | None
            try:
                raw = reading(fd, CHUNK)
                # (the tests of `holds_ref`, inline and first without the names'
                # resolution: most files hold no needle)
                if (
                    len(raw) < CHUNK
                    and _BACKSLASH not in raw
                    and not (any_oci and any(needle in raw for needle in oci))
                ):
                    if lone is not None:
                        if raw.find(lone) < 0:
                            continue  # (closed below)
                    elif names_in is not None and not any(n in raw for n in names_in):
                        continue
                raw = _checked(fd, raw)
            except OSError:
                raw = None
            finally:
                closing(fd)
            if raw is None:  # anything unusual: `read_unlinked` answers, as it always did
                raw = read_unlinked(shown + name)
                if raw is None:
                    if too_large_to_search(shown + name, name, False):
                        yield shown + name, absolute + name, False, True
                    continue
            if any_oci and any(needle in raw for needle in oci):
                yield shown + name, absolute + name, False, True
                continue
            if b"\\" not in raw:
                if names_in is not None:
                    for needle in names_in:
                        if needle in raw:
                            break
                    else:
                        continue
                if not targets.named_in(absolute[:-1] or os.sep, raw):
                    continue
            yield shown + name, absolute + name, False, True


def too_large_to_search(path: str, name: str, link: bool) -> bool:
    """Whether `path` is a file named as a Floe document (`kind_by_name`) that is over the load
    limit: its bytes are not read, so whether it names a changed manifest cannot be told, and
    the search takes it (its check then reports why it cannot be read) rather than pass it by.
    Asked only of a file whose read was refused."""
    if kind_by_name(name) is None:
        return False
    try:
        info = os.stat(path) if link else os.lstat(path)
    except (OSError, ValueError):
        return False
    return S_ISREG(info.st_mode) and info.st_size > MAX_BYTES


def _checked(fd: int, raw: bytes) -> bytes | None:
    """The bytes of the file open at `fd`, of which `raw` was read first, when it is a regular
    file within the load limit of the size read (the rest read once, when `raw` filled its
    read); None otherwise."""
    info = os.fstat(fd)
    if not S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        return None
    if len(raw) >= CHUNK and info.st_size >= CHUNK:
        raw += os.read(fd, info.st_size + 1 - len(raw))
    return raw if len(raw) == info.st_size else None
