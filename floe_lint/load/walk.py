"""The files `discover` finds under a folder, in its order, from one `scandir` per folder.

It is what `os.walk(top)` (top-down, symbolic links to folders not followed, unreadable folders
skipped) visits with hidden folders and SKIP_DIRS left out and each folder's files and
sub-folders sorted by name, but it knows from each folder's listing which entries are symbolic
links, so no file costs an `lstat`; and it names files as `Path(root) / name` prints, without
building a Path. This module imports nothing of floe-lint: the result cache's whole-run replay
(floe_lint.lint.whole) walks a tree with it before anything else is loaded.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:  # (array and bisect: only a folder of many names needs them, issue 17)
    from array import array

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIX = ".json"
_SUFFIXES = (*YAML_SUFFIXES, JSON_SUFFIX)
#: a discovered JSON file is read only if it names Floe's API version: PyYAML (which Floe reads
#: JSON with) takes it quoted or not (YAML in a .json file), or with an escaped slash
_JSON_MARKERS = (b"floe.dev/v1", b"floe.dev\\/v1")
_JSON_SNIFF_BYTES = 4096
#: the most a discovered JSON file is read in full to find the version past its first bytes
#: or spelt with escapes (the load limit: `reading.MAX_BYTES`)
_JSON_READ_BYTES = 5 * 1024 * 1024
#: what a double-quoted scalar needs to spell `floe.dev/v1` without either marker (PyYAML's
#: escapes): a character of it as `\\xHH`, `\\u00HH` or `\\U000000HH` (f l o e . d v / 1), or an
#: escaped line break inside it (`"floe.dev/\\` newline `v1"`); no other escape yields one of
#: its characters, and an unescaped line break folds into a space
_SPELLING = (
    rb"\\(?:(?:x|u00|U000000)(?:2[eEfF]|31|6[4-6cCfF]|76)|\r|\n|\xc2\x85|\xe2\x80[\xa8\xa9])"
)
SKIP_DIRS = frozenset(
    {"node_modules", "target", "dbt_packages", "__pycache__", "venv", "site-packages"}
)


def yaml_name(name: str) -> bool:
    """Whether `name` ends in `.yaml` or `.yml`, in any case: where names fold case (macOS,
    Windows), Floe opening `floe.yaml` reads `floe.YAML`, and pre-commit hands it over."""
    return name.endswith(YAML_SUFFIXES) or name.lower().endswith(YAML_SUFFIXES)


def json_name(name: str) -> bool:
    """Whether `name` ends in `.json`, in any case (see `yaml_name`)."""
    return name.endswith(JSON_SUFFIX) or name.lower().endswith(JSON_SUFFIX)


def declares_floe(path: str | os.PathLike[str]) -> bool:
    """A regular JSON file that names Floe's API version (most JSON in a repository is not
    ours): in its first bytes, as most do; else past them, or as its decoded top-level
    `apiVersion` when it writes an escape that can spell it (`"floe.dev\\u002fv1"`, or YAML's
    `"floe.dev\\x2fv1"`: `_SPELLING`), which only a read of the whole file (to the load limit)
    finds. Non-blocking, so a FIFO named `x.json` cannot hang discovery."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, _JSON_SNIFF_BYTES)
        if _names_version(head):
            return True
        if len(head) < _JSON_SNIFF_BYTES and not _spells(head):
            return False  # the whole file, read: no version, no escape that could spell it
        data = head + os.read(fd, _JSON_READ_BYTES + 1 - len(head))
        return len(data) <= _JSON_READ_BYTES and (_names_version(data) or _decoded(data))
    except OSError:
        return False
    finally:
        os.close(fd)


def _names_version(data: bytes) -> bool:
    return any(marker in data for marker in _JSON_MARKERS)


def _spells(data: bytes) -> bool:
    """Whether `data` writes an escape that can spell a character of `floe.dev/v1`: JSON whose
    escapes are of other characters (`\\u00e9`, `\\n`) is not decoded (it was, whole, for any
    `\\u`: 0.7 ms per 100 KB file)."""
    if b"\\" not in data:
        return False
    import re  # (only a file with an escape)

    return re.search(_SPELLING, data) is not None


def _decoded(data: bytes) -> bool:
    """Whether a file written with escapes that can spell Floe's API version declares
    `apiVersion: floe.dev/v1` at its top, as Floe reads it: as JSON, or as YAML where it is not
    JSON (`\\x2f`, `\\U0000002f` and escaped line breaks are YAML's alone)."""
    if not _spells(data):
        return False
    import json

    try:
        value = json.loads(data)
    except RecursionError:
        return False
    except ValueError:
        value = _yaml_value(data)
    return isinstance(value, dict) and value.get("apiVersion") == "floe.dev/v1"


def _yaml_value(data: bytes) -> object:
    """The document Floe's loader (`yaml.safe_load` of the UTF-8 text) reads, or None where it
    refuses the file; by libyaml where PyYAML has it."""
    from floe_lint.load.pyyaml import yaml

    try:
        return yaml.load(data.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError, RecursionError):
        return None


#: names of a folder kept as a tuple, at most (looked through in about the time a set takes)
_FEW = 8
#: the tuples of names a listing shares between folders, at most (`Listing._shared`)
_SHARED_TUPLES = 4096


class Listing:
    """What a walk listed: each folder (absolute path) and the names in it."""

    def __init__(self) -> None:
        #: each folder listed -> the names it held (a few as a tuple: most folders of a large
        #: tree hold one file, and a set of one takes four times the memory; more as the sorted
        #: hashes of the names, `_hashed`)
        self.names: dict[str, tuple[str, ...] | array[int]] = {}
        #: each few names a folder held, kept once for every folder that holds the same (most
        #: folders of a large tree hold one file of the same name: `floe.yaml`), so a folder
        #: costs its entry, not a tuple and a name string of its own (issue 17)
        self._tuples: dict[tuple[str, ...], tuple[str, ...]] = {}

    def _shared(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """`names`, or the equal tuple a folder listed before held (see `_tuples`)."""
        known = self._tuples.get(names)
        if known is None:
            known = names
            if len(self._tuples) < _SHARED_TUPLES:
                self._tuples[names] = names
        return known

    def note(self, absolute: str, shown: str, files: list[str], dirs: list[str]) -> None:
        """Record a folder listed (`absolute`, or `shown` as `discover` spells its files'
        folder) and every name in it, files and folders alike."""
        self.names[absolute] = self._kept(files, dirs)

    def _kept(self, files: list[str], dirs: list[str]) -> tuple[str, ...] | array[int]:
        """What `names` keeps of a folder's names (see there)."""
        if len(files) + len(dirs) <= _FEW:
            return self._shared((*files, *dirs))
        return _hashed([*files, *dirs])

    def compact(self) -> None:
        """Let go of the room of the folders forgotten (a table keeps its size as entries
        are taken out: a streamed run's forgotten folders cost it to the end, issue 17)."""
        self.names = dict(self.names)
        self._tuples = dict(self._tuples)

    @property
    def folders(self) -> set[str]:
        return set(self.names)

    def absent(self, path: str) -> bool | None:
        """Whether nothing was at the absolute `path` when its folder was listed; None when its
        folder was not listed (or, in a folder of many names, when one had the hash of its
        name: then the system is asked)."""
        folder, _, name = path.rpartition("/")
        return self._absent(self.names.get(folder), name)

    @staticmethod
    def _absent(names: tuple[str, ...] | array[int] | None, name: str) -> bool | None:
        """`absent` of `name` in a folder that held `names` (None: not listed)."""
        if names is None or not name:
            return None
        if type(names) is tuple:
            return name not in names
        if "\0" in name:
            return True  # (no name holds one)
        from bisect import bisect_left

        known = hash(name)
        at = bisect_left(names, known)
        # a name of its hash was there: it, or another of the same hash (unknown: asked)
        return None if at < len(names) and names[at] == known else True


def _hashed(names: list[str]) -> array[int]:
    """The names of a folder of many (a folder of products: one a product) as the sorted
    hashes of their text, 8 bytes a name, not a set of their strings (about 90, issue 17):
    a name is told absent when no name had its hash, else not known (`absent`: None)."""
    from array import array

    return array("q", sorted(hash(name) for name in names))


class Beside(Listing):
    """What a walk listed, kept for the per-environment files beside each file found
    (floe_lint.lint.context.overlay_files): each folder listed, spelt as `str(Path(file).parent)`
    spells it for a file the walk yields in it (a text names one folder, from the run's working
    directory), with those of its names, files and folders alike, that such a file can have
    (`BASE.*.y*ml`: two dots or more, ending in `ml`), in no order."""

    def __init__(self, every_name: bool = False) -> None:
        super().__init__()
        #: with `every_name`, every name is also kept as a `Listing` keeps it (`absent`)
        self.every_name = every_name
        self.beside: dict[str, tuple[str, ...]] = {}
        #: each walk's first folder, as `discover` spells it: the only folders listed that may
        #: be symbolic links (or hold `..`); every other one is a folder (no link) of the
        #: folder above it (see `up`)
        self.tops: set[str] = set()
        #: whether a walk met a symbolic link (to a file or a folder), when `discover` says
        self.links_met = False
        #: the symbolic links the walks met, as they spell them (when `discover` says)
        self.links: list[str] = []
        #: each walk's first folder: (its absolute path, as `discover` spells it, the prefix
        #: of the folders below it): with `every_name`, `names` keys a folder as `beside` does
        #: (its absolute path was a string of its own, about 100 bytes a folder for the whole
        #: run, issue 17), and `absent` spells a folder so from its absolute path
        self.roots: list[tuple[str, str, str]] = []
        #: folders forgotten since the tables were last made again (`forget`)
        self._forgotten = 0

    def root(self, absolute: str, start: str, prefix: str) -> None:
        """A walk starts at the folder `start` (see `roots`)."""
        if (absolute, start, prefix) not in self.roots:
            self.roots.append((absolute, start, prefix))

    def absent(self, path: str) -> bool | None:
        folder, _, name = path.rpartition("/")
        for absolute, start, prefix in self.roots:
            if folder == absolute:
                shown = start
            elif folder.startswith(absolute) and folder[len(absolute.rstrip("/"))] == "/":
                shown = prefix + folder[len(absolute.rstrip("/")) + 1 :]
            else:
                continue
            if shown in self.names:
                return self._absent(self.names[shown], name)
        return None

    def up(self, folder: str) -> str | None:
        """The folder above `folder` (spelt as `str(path.parent)` spells it), when the walk
        listed `folder` below one of its tops: then `folder/..` is that folder, by name; None
        otherwise (a top may be a symbolic link, whose `..` is its target's parent)."""
        if folder not in self.beside or folder in self.tops:
            return None
        prefix = folder[: folder.rfind("/") + 1]  # "", "a/", or "/" (or "//") at the root
        return "." if not prefix else prefix if not prefix.strip("/") else prefix[:-1]

    def note(self, absolute: str, shown: str, files: list[str], dirs: list[str]) -> None:
        if self.every_name:
            self.names[shown] = self._kept(files, dirs)  # (by the string `beside` keys it by)
        kept = [name for name in files if name.endswith(_ML) and name.count(".") >= 2]
        kept.extend(name for name in dirs if name.endswith(_ML) and name.count(".") >= 2)
        self.beside[shown] = self._shared(tuple(kept)) if kept else _NONE

    def compact(self) -> None:
        super().compact()
        self.beside = dict(self.beside)
        self._forgotten = 0

    def forget(self, folder: str, absolute: str | None = None) -> None:
        """Keep nothing of `folder` (its files were checked and released): `candidates` and
        `up` answer None for it, as for a folder the walk did not list; nor, with `absolute`
        (the folder's absolute path), `absent` of a name in it. Once more folders were
        forgotten than are left, the tables are made again at their size (`compact`): a
        streamed run forgets every folder of the walk, and a table keeps the room of its
        entries taken out (about 30 bytes a folder each, to the end of the run: issue 17)."""
        if self.beside.pop(folder, None) is not None:
            self._forgotten += 1
        if absolute is not None and self.names:
            self.names.pop(folder, None)
        if self._forgotten > _ROOM and self._forgotten > len(self.beside):
            self.compact()

    def candidates(self, folder: str) -> tuple[str, ...] | None:
        """The names in `folder` (spelt as `str(path.parent)`) that could be per-environment
        files, when the walk listed it; None when it did not."""
        return self.beside.get(folder)


_NONE: tuple[str, ...] = ()
#: how a per-environment file's name ends, in any case (`floe.prod.YAML`: `ENV_VARIANT`)
_ML = ("ml", "ML", "mL", "Ml")
#: folders forgotten, at least, before a listing's tables are made again (`Beside.forget`)
_ROOM = 1024


def found_under(
    top: str | os.PathLike[str], links: list[str] | None = None, listing: Listing | None = None
) -> Iterator[str]:
    """Each YAML file, and each JSON file declaring Floe's API version, under the folder `top`,
    as `discover` yields them (a symbolic link whose target lies outside `top` is left out).
    Every symbolic link met in a listed folder (to a file or a folder, followed or not) is
    appended to `links` when given; each folder listed and its entries, to `listing`.
    Given as each folder is listed, by name only: not a list of the whole walk with each
    file's absolute path too (about 240 bytes a file at once, issue 17)."""
    for shown, _, _, names, _ in folder_files(top, links, listing):
        for name in names:
            yield shown + name


def walk(
    top: str | os.PathLike[str], links: list[str] | None = None, listing: Listing | None = None
) -> list[tuple[str, str, bool]]:
    """What `found_under` finds, each file as (its name as `discover` spells it, its absolute
    path as `os.path.abspath` spells it, whether it is a symbolic link): one `scandir` per
    folder, folders visited from a stack (no generator per level), no Path per entry."""
    return list(walking(top, links, listing))


def walking(
    top: str | os.PathLike[str], links: list[str] | None = None, listing: Listing | None = None
) -> Iterator[tuple[str, str, bool]]:
    """`walk`, each folder's files given as soon as it is listed (one generator for the whole
    walk): a reader of each file reads it while the system still holds its folder close."""
    return files_of(folder_files(top, links, listing))


def files_of(folders: Iterable[Folder]) -> Iterator[tuple[str, str, bool]]:
    """The files of `folder_files`' folders, each as `walk` gives it."""
    for shown, absolute, _, names, linked in folders:
        if linked is None:
            for name in names:
                yield shown + name, absolute + name, False
        else:
            for name in names:
                yield shown + name, absolute + name, name in linked


#: what `folder_files` gives for each folder that holds a file found: its files' names are
#: prefixed as `discover` spells them, as `os.path.abspath` spells them and as the folder was
#: opened (each prefix ends with a separator, or is empty for "."); then the names in order,
#: and those of them that are symbolic links (None: none is, and each YAML name was listed as
#: a regular file; an empty set: a YAML name was listed as neither a regular file nor a link)
Folder = tuple[str, str, str, list[str], set[str] | None]


def folder_files(
    top: str | os.PathLike[str], links: list[str] | None = None, listing: Listing | None = None
) -> Iterator[Folder]:
    """`walking` by folder: each folder holding a file found, once listed, with the names of
    those files (a scan of every file, the dependents search's, builds no string or tuple per
    file it only reads). Most entries are told apart by the type the listing gave (a regular
    file or a folder, neither a link: one test each, no system call); a link, or anything
    else, is looked at as `os.walk` would."""
    from pathlib import Path

    inside = os.path.realpath(top)
    start = str(Path(top)) if os.sep == "/" else os.fspath(top)
    every = listing is not None  # (a listing notes every name)
    # (a `Beside` names a folder as it is shown: no absolute path of each, `Beside.roots`)
    absolutes = every and not isinstance(listing, Beside)
    # Each folder to list as prefixes of its names: as `discover` spells them (Path prints
    # them), as os.walk joins them (what is opened, as `DirEntry.path` joins a name to it),
    # as os.path.abspath names them; and the folder as `listing` names it. A top spelt as its
    # absolute path (a workspace's root) has one prefix for all three, below it too.
    top_shown = start if start.endswith("/") else "" if start == "." else start + "/"
    absolute_top = os.path.abspath(top)
    if isinstance(listing, Beside):
        listing.tops.add(start)
        listing.root(absolute_top, start, top_shown)
    opened_top, absolute_prefix = os.path.join(top, ""), os.path.join(absolute_top, "")
    one = top_shown == opened_top == absolute_prefix
    stack = [(top_shown, opened_top, absolute_prefix, absolute_top)]
    while stack:
        shown, opened, absolute, listed = stack.pop()
        names: list[str] = []  # regular files (no link) with a YAML name: found as they are
        files: list[str] = []  # every other file (JSON, a link, anything else; with a
        # listing, every name that is no folder)
        dirs: list[str] = []
        linked: set[str] | None = None  # the names that are symbolic links (rare)
        try:
            with os.scandir(opened) as entries:
                for entry in entries:
                    try:
                        if entry.is_file(follow_symlinks=False):
                            name = entry.name
                            if name.endswith(YAML_SUFFIXES):
                                names.append(name)
                            elif (
                                every
                                or name.endswith(JSON_SUFFIX)
                                or (not name.islower() and name.lower().endswith(_SUFFIXES))
                            ):
                                files.append(name)  # (`floe.YAML` too: tested below)
                            continue
                        if entry.is_dir(follow_symlinks=False):
                            dirs.append(entry.name)
                            continue
                    except OSError:
                        pass
                    # a symbolic link, or neither a regular file nor a folder
                    name = entry.name
                    try:
                        link = entry.is_symlink()
                    except OSError:
                        link = os.path.islink(entry.path)
                    if link:
                        linked = linked or set()
                        linked.add(name)
                    elif linked is None and yaml_name(name):
                        linked = set()  # a FIFO, a device: its folder's files are looked at
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if is_dir:
                        dirs.append(name)
                    else:
                        files.append(name)
        except OSError:
            continue  # as os.walk without onerror: an unreadable folder is skipped
        if listing is not None:
            listing.note(listed, shown[:-1] if shown != top_shown else start, names + files, dirs)
        if files:
            files.sort()
            for name in files:
                link = linked is not None and name in linked
                if link and links is not None:
                    links.append(shown + name)
                if not (yaml_name(name) or (json_name(name) and declares_floe(opened + name))):
                    continue
                if link and not within_folder(os.path.realpath(opened + name), inside):
                    continue  # a link out of the folder: its target is not ours to read
                names.append(name)
        if names:
            if len(names) > 1:
                names.sort()
            yield shown, absolute, opened, names, linked
        if not dirs:
            continue
        if len(dirs) > 1:
            dirs.sort(reverse=True)  # popped from the stack in name order
        for name in dirs:
            if linked is not None and name in linked:
                if links is not None:
                    links.append(shown + name)
                continue  # os.walk does not follow a link to a folder
            if name[0] == "." or name in SKIP_DIRS:
                continue
            below = listed.rstrip("/") + "/" + name if absolutes else ""
            if one:
                prefix = f"{shown}{name}/"
                stack.append((prefix, prefix, prefix, below))
            else:
                stack.append((f"{shown}{name}/", f"{opened}{name}/", f"{absolute}{name}/", below))


def within_folder(target: str, folder: str) -> bool:
    """Whether the real path `target` is the real path `folder` or lies below it."""
    return target == folder or target.startswith(folder.rstrip(os.sep) + os.sep)
