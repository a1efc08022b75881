"""floe-lint's compiled modules read from one file instead of one `.pyc` each.

A pre-commit check imports about 80 floe-lint modules. Finding and reading each `.pyc` costs
the import system about 12 system calls and 0.1 M instructions of its own Python code, a
sixth of what the hook costs above the parse floor (issue 17). The console script
(`floe_lint.launch`) puts a `Finder` first on `sys.meta_path` that serves floe-lint's modules
from one file, `__pycache__/bundle.<cache tag>.bin` in the package's folder, and after the run
writes into that file the `.pyc` of every floe-lint module the run imported that it did not
serve (with the entries it already held). Reading a module then takes a `stat` of its source
and one read.

Each entry is the module's `.pyc` as Python wrote it, served only while its magic number is
this interpreter's and its source has the modification time and size that `.pyc` records,
which is the check Python itself makes of a `.pyc`; a module whose source changed, or that
the file does not hold, is imported as usual, and the next write takes its fresh `.pyc`. The
code, `__file__`, `__cached__`, `__path__` and loader methods (`get_source`, resources) are
those of a usual import. Nothing is written where Python writes no `.pyc` (`-B`,
`PYTHONDONTWRITEBYTECODE`, `PYTHONPYCACHEPREFIX`), and the file is written only through
`floe_lint.safe_write` (atomically, never through a link). The file is as trusted as the
`.pyc` files beside it: whoever can write one can write the other.
"""

from __future__ import annotations

import marshal
import os
import sys
from importlib._bootstrap_external import MAGIC_NUMBER
from importlib.machinery import ModuleSpec, SourceFileLoader

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import CodeType, ModuleType

    #: module name -> (source, `.pyc` path, `__path__` or None, offset, length), the offset
    #: from the end of the index
    Index = dict[str, tuple[str, str, list[str] | None, int, int]]
    #: what is written for a module: its source, `.pyc` path, `__path__` or None and `.pyc`
    Entry = tuple[str, str, list[str] | None, bytes]
_HEADER = 8  # b"FLB1", then the index's length (4 bytes, little-endian)
_PACKAGE = "floe_lint"


def bundle_path() -> str | None:
    """Where floe-lint's bundle is, or None where Python writes no `.pyc` either."""
    if sys.pycache_prefix is not None or sys.implementation.cache_tag is None:
        return None
    if not hasattr(os, "pread"):  # (Windows)
        return None
    folder = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(folder, "__pycache__", f"bundle{_level()}.bin")


def _level() -> str:
    """The cache tag and optimization level a `.pyc` of this run is named by (`-O` code has
    no asserts, `-OO` code no docstrings: Python keeps each level in its own `.pyc`)."""
    optimize = sys.flags.optimize
    return f".{sys.implementation.cache_tag}" + (f".opt-{optimize}" if optimize else "")


def _stamp(source: str) -> bytes | None:
    """What a timestamp `.pyc` of `source` records of it (bytes 8 to 16), None if it is gone."""
    try:
        info = os.stat(source)
    except OSError:
        return None
    mtime, size = int(info.st_mtime) & 0xFFFFFFFF, info.st_size & 0xFFFFFFFF
    return mtime.to_bytes(4, "little") + size.to_bytes(4, "little")


def _current(pyc: bytes, source: str) -> bool:
    """Whether `pyc` is this interpreter's timestamp `.pyc` of `source` as it is now."""
    return (
        pyc[:4] == MAGIC_NUMBER
        and pyc[4:8] == b"\0\0\0\0"  # not a hash-based .pyc
        and pyc[8:16] == _stamp(source)
    )


class _Loader(SourceFileLoader):
    """A source file's loader whose code comes from the bundle's `.pyc`."""

    pyc = b""

    def get_code(self, fullname: str) -> CodeType | None:
        if fullname != self.name or not self.pyc:  # another module's, or asked again: as usual
            return super().get_code(fullname)
        pyc, self.pyc = self.pyc, b""  # not kept for the life of the module
        try:
            code = marshal.loads(memoryview(pyc)[16:])
        except (EOFError, ValueError, TypeError):  # a damaged entry: the source, as usual
            return super().get_code(fullname)
        if type(code) is not type(self.get_code.__code__):
            return super().get_code(fullname)
        return code  # type: ignore[no-any-return]


class Finder:
    """Serves the modules the bundle holds with a current `.pyc`; None for everything else."""

    def __init__(
        self,
        path: str,
        package: str,
        handle: int = -1,
        index: Index | None = None,
        base: int = 0,
    ) -> None:
        self.path = path
        self.package = package  # whose modules it serves and notes
        self.handle = handle
        self.index: Index = index or {}
        self.base = base  # where the first `.pyc` starts in the file
        #: floe-lint modules asked for that the bundle did not serve: the next write takes them
        self.missed: set[str] = set()
        #: how the `.pyc` of this run's optimization level is named (another level's: not served)
        self.suffix = f"{_level()}.pyc"

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        entry = self.index.get(fullname)
        if entry is None:
            if fullname.startswith(self.package + "."):
                self.missed.add(fullname)
            return None
        source, cached, locations, offset, length = entry
        if not cached.endswith(self.suffix):  # written by a run of another optimization level
            self.missed.add(fullname)
            return None
        try:
            pyc = os.pread(self.handle, length, self.base + offset)
        except OSError:
            pyc = b""
        if len(pyc) != length or not _current(pyc, source):  # (a cut file reads short)
            self.missed.add(fullname)
            return None
        loader = _Loader(fullname, source)
        loader.pyc = pyc
        spec = ModuleSpec(fullname, loader, origin=source, is_package=locations is not None)
        spec.has_location = True
        spec.cached = cached
        if locations is not None:
            spec.submodule_search_locations = list(locations)
        return spec

    def read(self, name: str) -> bytes:
        """The `.pyc` the bundle holds for `name`."""
        _, _, _, offset, length = self.index[name]
        return os.pread(self.handle, length, self.base + offset)


def _well_formed(entry: object) -> bool:
    return (
        type(entry) is tuple
        and len(entry) == 5
        and type(entry[0]) is str
        and type(entry[1]) is str
        and (entry[2] is None or type(entry[2]) is list)
        and type(entry[3]) is int
        and type(entry[4]) is int
    )


def _own_folder(path: str) -> str:
    """The folder that holds the package a bundle serves (`<folder>/<package>/__pycache__/
    bundle...`: site-packages, or the checkout of an editable install, whose `rules/` and
    `plugins/` are floe-lint's subpackages), with a trailing separator. Only modules whose
    source lies in it are served or written, so a bundle copied with its install (`cp -a` of
    a virtualenv, then upgraded there) never serves the original install's modules."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(path)))
    return os.path.join(os.path.dirname(package), "")


def install(path: str | None = None, package: str = _PACKAGE) -> Finder | None:
    """Put the bundle's finder first on `sys.meta_path` (one that serves nothing and notes
    what the run imports, without a readable bundle); None where no bundle is kept. `path`
    and `package`: floe-lint's (another package's, for tests)."""
    path = path or bundle_path()
    if path is None:
        return None
    finder = Finder(path, package)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:  # none yet: written after the run
        handle = -1
    if handle >= 0:
        try:
            header = os.pread(handle, _HEADER, 0)
            if header[:4] != b"FLB1":
                raise ValueError("not a bundle")
            size = int.from_bytes(header[4:8], "little")
            index = marshal.loads(os.pread(handle, size, _HEADER))
            if not isinstance(index, dict) or not all(map(_well_formed, index.values())):
                raise ValueError("not a bundle")
            own = _own_folder(path)  # a copied install's bundle names the original's sources
            index = {name: entry for name, entry in index.items() if entry[0].startswith(own)}
            finder = Finder(path, package, handle, index, _HEADER + size)
        except (OSError, ValueError, EOFError, TypeError):  # unreadable: replaced after the run
            os.close(handle)
    sys.meta_path.insert(0, finder)
    return finder


def finish(finder: Finder | None) -> None:
    """Take the finder off `sys.meta_path`, write the bundle again if the run imported a
    floe-lint module that it did not serve, and close it."""
    if finder is None:
        return
    if finder in sys.meta_path:
        sys.meta_path.remove(finder)
    try:
        if not sys.dont_write_bytecode:
            fresh = {}
            for name in finder.missed:
                module = sys.modules.get(name)
                made = None if module is None else _entry(module)
                if made is not None and made[0].startswith(_own_folder(finder.path)):
                    fresh[name] = made
            if fresh:
                _write(finder, fresh)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # as Python's own .pyc writing: a run never fails for it
    finally:
        if finder.handle >= 0:
            os.close(finder.handle)
            finder.handle = -1


def _write(finder: Finder, fresh: dict[str, Entry]) -> None:
    """The bundle of what `finder` held and the `fresh` entries, written atomically."""
    entries = {name: (*finder.index[name][:3], finder.read(name)) for name in finder.index}
    entries.update(fresh)
    index: Index = {}
    blobs: list[bytes] = []
    offset = 0
    for name in sorted(entries):
        source, cached, locations, pyc = entries[name]
        index[name] = (source, cached, locations, offset, len(pyc))
        blobs.append(pyc)
        offset += len(pyc)
    raw_index = marshal.dumps(index)
    from pathlib import Path

    from floe_lint.safe_write import write_file

    path = Path(finder.path)
    header = b"FLB1" + len(raw_index).to_bytes(4, "little")
    write_file(path, b"".join([header, raw_index, *blobs]), root=path.parent.parent)


def _entry(module: ModuleType) -> Entry | None:
    """A module's entry: its current `.pyc`, if it was imported from a source file."""
    spec = getattr(module, "__spec__", None)
    loader = getattr(spec, "loader", None)
    if type(loader) is not SourceFileLoader or spec is None:  # (served: the bundle has it)
        return None
    source, cached = spec.origin, spec.cached
    if not isinstance(source, str) or not isinstance(cached, str):
        return None
    try:
        with open(cached, "rb") as handle:
            pyc = handle.read()
    except OSError:
        return None
    if not _current(pyc, source):
        return None
    locations = spec.submodule_search_locations
    return source, cached, None if locations is None else list(locations), pyc
