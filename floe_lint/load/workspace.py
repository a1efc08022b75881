"""The set of files a run looks at: discovered from the given paths, or reached through refs.

Every file is read and parsed once, however many products reference it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from floe_lint.load import bulk, document
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.key_order import in_key_order, order_text
from floe_lint.load.kinds import (
    FLOE_NAMES,
    declares_another_kind,
    holds_floe,
    holds_ours,
    looks_ours,
)
from floe_lint.load.lazy import LazySourceFile, Shelved, ShelvedFiles
from floe_lint.load.linked import discover, discover_names, plain
from floe_lint.load.paths import forget_links, isabs, know, known, known_table, order, real
from floe_lint.load.paths import made as made_path
from floe_lint.load.retired import RetiredFiles
from floe_lint.load.walk import JSON_SUFFIX, SKIP_DIRS, YAML_SUFFIXES, Beside

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class Reuse(Protocol):
        """What builds a file from a parse stored by an earlier run (floe_lint.lint.replay)."""

        def serve(self, path: Path, key: Path) -> SourceFile | None: ...

        def fresh_parse(self, path: Path, key: Path, source: SourceFile) -> None: ...

        def side_text(self, path: Path) -> str | None: ...

        def side_absent(self, path: Path) -> bool: ...


__all__ = [
    "FLOE_NAMES",
    "JSON_SUFFIX",
    "SKIP_DIRS",
    "YAML_SUFFIXES",
    "Workspace",
    "discover",
    "discover_names",
    "holds_floe",
    "plain",
]


class Workspace:
    """Loaded files keyed by resolved path, plus which of them the run reports on."""

    def __init__(
        self,
        dialect: str = "auto",
        shared: dict[Path, SourceFile] | None = None,
        positions: bool = False,
        keys: dict[Path, Path] | None = None,
    ):
        self.dialect = dialect
        #: parse with each node's position noted (`document.parse`): for runs that place many
        #: findings in files they hold (`impact`)
        self.positions = positions
        if not shared:  # a new run: the tree may have changed since the last one (a run
            forget_links()  # that shares another's parse, as impact's second, sees its tree)
        self._files: dict[Path, SourceFile] = {}
        #: files parsed by another run over the same tree, by key (see `engine.run`'s `parsed`);
        #: for a run that shares nothing, `_files` itself (one table per file, not two)
        self._shared = shared if shared is not None else self._files
        self.reported: dict[Path, SourceFile] = {}
        #: Files that must hold a Floe document: named on the command line or by their name.
        self.expected: set[Path] = set()
        #: each path's key; `keys`: those of another run over the same tree (`impact`'s)
        self._keys: dict[Path, Path] = {} if keys is None else keys
        #: files replayed from the result cache: reported, but their documents are no subjects
        self.replayed: set[Path] = set()
        #: files whose content was given (`put`), not read from disk
        self._overlaid: set[Path] = set()
        #: the names of the paths given and "", ".", "..": `overlay` asks for each product's
        #: floe.lock whether one is given by its name
        self._overlaid_names = {"", ".", ".."}
        #: files a streamed run checked and released (`retire`), by their key's text, out of the
        #: indexes above (which hold two `Path`s and four entries per file), an int each; and
        #: those of them that are not `expected` (few)
        self._retired = RetiredFiles()
        self._retired_unexpected: set[str] = set()
        #: the sort text (`order_text`) of the last file retired, while each came after the one
        #: before in key order; None once one did not (`files`)
        self._sorted: str | None = ""
        #: what `know_keys` noted (`paths.known_table`): for absolute paths, for relative ones
        self._tables: tuple[dict[str, str], dict[str, str]] | None = None
        self._cwd = ""
        #: the retired files a late reader put back (`_revived`)
        self._put_back: set[str] = set()
        #: replayed files a streamed run is done with (`shelve`), by their key's text, out of
        #: the indexes by `Path` (as `_retired`, but never put back: a late reader parses the
        #: file, as it parses any replayed file); and the sort text of the last one, as `_sorted`
        self._shelved = ShelvedFiles()
        self._shelved_sorted: str | None = ""
        #: what the run's walk listed (`discover(..., listing=workspace.listed)`), so the
        #: per-environment files beside a file found are not looked for by listing its folder
        self.listed = Beside()
        #: the result cache's run (floe_lint.lint.replay), which builds a file from a stored
        #: parse (`serve`) and is told of each file parsed here (`fresh_parse`)
        self.reuse: Reuse | None = None

    def key(self, path: Path) -> Path:
        """`path.resolve()`, once per path (it costs a system call per path component)."""
        key = self._keys.get(path)
        if key is None:  # not through `resolved`'s cache as well: one entry per file is enough
            text = self._known(path)  # (`know_keys`): no symbolic link on its way
            if text is None:
                key = real(path)
            elif text == os.fspath(path):
                key = path
            else:
                key = made_path(text)
            self._keys[path] = key
        return key

    def know_keys(self, paths: Iterable[Path | str]) -> None:
        """Note that no symbolic link lies on the way to any of `paths` (a walk that met none,
        below folders that have none above them): each one's key is its absolute path, noted
        as text (`paths.know`) and made a `Path` when `key` is first asked for it (a streamed
        run holds a group's keys at a time, not one per file of the tree)."""
        cwd = self._cwd = os.getcwd()
        self._tables = known_table(""), known_table(cwd)
        for path in paths:
            text = os.fspath(path)
            normal = os.path.normpath(os.path.join(cwd, text))
            # an absolute path written as its key (what a walk from such a folder gives) is its
            # own key: no second Path
            know(path, text if normal == text else normal, cwd)

    def key_text(self, path: Path | str) -> str:
        """`str(self.key(path))`, no `Path` made for a key `know_keys` noted (as text)."""
        key = self._keys.get(path) if isinstance(path, Path) else None  # (str: a walk's name)
        if key is None:
            text = self._known(path)
            if text is not None:
                return text
            key = self.key(Path(path) if isinstance(path, str) else path)
        return str(key)

    def side_key(self, path: Path | str) -> str:
        """`key_text(path)` of a floe.lock absent from a link-free walk's folder: no `Path`
        (`path`: a `Path`, or its text)."""
        if self._tables is not None:
            text = os.fspath(path)
            absolute = text if isabs(text) else os.path.normpath(os.path.join(self._cwd, text))
            if self.listed.absent(absolute) is True:
                return absolute
        return self.key_text(path)

    def _known(self, path: Path | str) -> str | None:
        """`paths.known(path)`, from the tables `know_keys` filled (no `getcwd` per file)."""
        tables = self._tables
        if tables is None:
            return known(path)
        text = os.fspath(path)
        return tables[0 if isabs(text) else 1].get(text)

    def load(self, path: Path) -> SourceFile:
        return self._load(path, self.key(path))

    def named(self, path: Path) -> Path:
        """`path`, or where it leads when its own name is a symbolic link (relative if `path`
        is): a file's refs, floe.lock and overlays are its real folder's, whichever path the
        walk met first (`platform/m.yaml -> sales/manifest.yaml` is at another depth)."""
        if self._known(path) is not None or not os.path.islink(path):
            return path
        key = self.key(path)
        return key if path.is_absolute() else Path(os.path.relpath(key))

    def _as_named(self, path: Path, source: SourceFile) -> SourceFile:
        """`source`, parsed from `path`, with its documents' path the one `named` gives."""
        name = self.named(path)
        if name is not path:
            source.path = name
            for doc in source.documents:
                doc.path = name
        return source

    def _load(self, path: Path, key: Path) -> SourceFile:
        source = self._files.get(key)
        if source is None:
            source = self._shared.get(key)
            if source is None:
                source = self._revived(key)
            if source is None:
                reuse = self.reuse
                source = reuse.serve(path, key) if reuse is not None else None
                if source is None:
                    source = document.load(path, True) if self.positions else document.load(path)
                    if reuse is not None:
                        reuse.fresh_parse(path, key, source)
                source = self._as_named(path, source)
                self._shared[key] = source
                self._read_dialects(source)
            self._files[key] = source
        return source

    def retire(self, key: Path, source: SourceFile, given: str | None = None) -> bool:
        """Keep a file a streamed run checked and released (floe_lint.lint.stream) by its key's
        text alone, out of the indexes by `Path`, and small (`Retired`). `files` still gives it,
        in its place; a late reader that loads it (`load`, `reach`) puts it back into the
        indexes. False, and nothing changed, for a file not reported, not released, or in a
        run that shares its parse. `given`: the path's text as the walk gave it, if it did (kept
        as it is: one string per file)."""
        name = self.text_of(key, source.path)
        if (
            not RetiredFiles.takes(source)
            or self.reported.get(key) is not source
            or self._shared is not self._files
            or name.startswith("//")  # (`order_text`: a key's text has one leading slash)
        ):
            return False
        del self.reported[key], self._files[key]
        if key in self.expected:
            self.expected.discard(key)
        else:
            self._retired_unexpected.add(name)
        if self._keys.get(source.path) is key:  # (the key `key` gave: another spelling stays)
            del self._keys[source.path]
        text = os.fspath(source.path)
        self._retired.add(name, source, given if given == text else text)
        if self._sorted is not None:
            after = order_text(name)
            self._sorted = after if after > self._sorted else None
        for doc in source.documents:  # (their file and they would hold each other: a cycle,
            doc._owner = None  # which the paused collector never frees)
        return True

    def shelve(self, key: Path, given: str | None = None) -> bool:
        """Keep a replayed file whose group a streamed run checked (floe_lint.lint.stream) by
        its key's text alone, out of the indexes by `Path` (`Shelved`): `files`, `is_reported`
        and `is_expected` still tell it. False, and nothing changed, for a file not replayed,
        loaded in this run, or in a run that shares its parse. `given`: as for `retire`."""
        source = self.reported.get(key)
        if (
            source is None
            or key not in self.replayed
            or key in self._files
            or self._shared is not self._files
        ):
            return False
        name = self.text_of(key, source.path)
        if name.startswith("//"):  # (`order_text`: a key's text has one leading slash)
            return False
        text = os.fspath(source.path)
        shelved = Shelved.of(source, given if given == text else text, key in self.expected)
        if shelved is None:
            return False
        del self.reported[key]
        self.replayed.discard(key)
        self.expected.discard(key)
        if self._keys.get(source.path) is key:
            del self._keys[source.path]
        self._shelved.add(name, shelved)
        if self._shelved_sorted is not None:
            after = order_text(name)
            self._shelved_sorted = after if after > self._shelved_sorted else None
        return True

    def _is_shelved(self, key: Path) -> bool:
        return bool(self._shelved) and str(key) in self._shelved

    def text_of(self, key: Path, path: Path) -> str:
        """`str(key)` for `path`'s key: the string `know` holds when it noted `path` (one string
        per file, not one more for each index that keeps it as text)."""
        name, same = str(key), self._known(path)
        return same if same == name else name

    def _revived(self, key: Path) -> SourceFile | None:
        """A retired file (`retire`) put back into the indexes, or None."""
        if not self._retired:
            return None
        name = str(key)
        source = self._retired.pop(name)
        if source is not None:
            self._put_back.add(name)
            self._shared[key] = self.reported[key] = source
            if name in self._retired_unexpected:
                self._retired_unexpected.discard(name)
            else:
                self.expected.add(key)
        return source

    @property
    def empty(self) -> bool:
        """Whether no file is loaded yet."""
        return not (self._files or self._shared or self._retired or self._shelved)

    def drop_files(self) -> None:
        """Hold no file any more: the run's output is printed, and what follows (the result
        cache's whole-run record, the run's peak at 30,000 products) asks only for keys."""
        self._files, self.reported, self._shelved = {}, {}, ShelvedFiles()
        self._retired = RetiredFiles()
        self._shared = self._files
        self.listed.compact()

    def was_retired(self, text: str) -> bool:
        """Whether `retire` took the file whose key is spelt `text`, put back since or not."""
        return bool(self._retired or self._put_back) and (
            text in self._retired or text in self._put_back
        )

    def _is_retired(self, key: Path) -> bool:
        return bool(self._retired) and str(key) in self._retired

    def _read_dialects(self, source: SourceFile) -> None:
        from floe_lint.load.dialect import read

        for doc in source.documents:
            if doc.kind is not None:
                doc.dialect, doc.mixed = read(doc.data, doc.kind, self.dialect)

    def put(self, path: Path, raw: bytes) -> None:
        """Use `raw` as the content of `path` (say, a manifest as committed), not the disk's."""
        source = self._as_named(path, document.parse(path, raw, self.positions))
        self._read_dialects(source)
        self._files[self.key(path)] = source
        self._overlaid.add(key := self.key(path))
        self._overlaid_names.add(key.name)

    def overlay(self, path: Path, there: bool | None = None) -> str | None:
        """The text given for `path` by `put` (an unsaved edit, a fix not yet written), if any:
        readers of side files (floe.lock) see it instead of the disk's. `there`: whether
        anything is at `path`, when the caller knows (None: asked)."""
        if not self._overlaid:  # the common case: nothing given, no path to resolve
            return None
        # a path to nothing resolves to a file of its own name: none given (`impact` asks for
        # every product's floe.lock with the old manifest given)
        if path.name not in self._overlaid_names and not (
            os.path.lexists(path) if there is None else there
        ):
            return None
        key = self.key(path)
        return self._files[key].text if key in self._overlaid else None

    def side_text(self, path: Path, there: bool | None = None) -> str | None:
        """The text of a file that rules read beside the documents (floe.lock): given by `put`,
        else as the result cache read and keyed it for this run (so what an entry stores is
        what its findings came from); None: read it from disk."""
        text = self.overlay(path, there)
        if text is None and self.reuse is not None:
            text = self.reuse.side_text(path)
        return text

    def side_there(self, path: Path) -> bool:
        """Whether anything is at `path` (`side_text` read None): the result cache's answer."""
        if self.reuse is not None and self.reuse.side_absent(path):
            return False
        return os.path.lexists(path)

    def _parsed(self, key: Path) -> bool:
        return key in self._files or key in self._shared or self._is_retired(key)

    def preload(self, paths: Sequence[Path], jobs: int) -> None:
        """Parse `paths` ahead of `add`, on `jobs` processes when more than one."""
        paths = [
            p for p in paths if self.key(p) not in self._files and self.key(p) not in self._shared
        ]
        if jobs > 1 and len(paths) > 1:
            for path, source in zip(paths, bulk.load_all(paths, jobs, self.positions), strict=True):
                if self.reuse is not None:
                    self.reuse.fresh_parse(path, self.key(path), source)
                self._read_dialects(self._as_named(path, source))
                self._files.setdefault(self.key(path), source)
                self._shared.setdefault(self.key(path), source)

    def is_loaded(self, path: Path) -> bool:
        return self._parsed(self.key(path))

    def adopt(self, paths: Sequence[Path], sources: Sequence[SourceFile]) -> None:
        """Take files parsed elsewhere (`bulk.load_groups`); one parsed already stays."""
        for path, source in zip(paths, sources, strict=True):
            key = self.key(path)
            if key not in self._files and not self._is_retired(key):
                if source.path == path:  # one path object per file, not a second unpickled one
                    source.path = path
                    for doc in source.documents:
                        doc.path = path
                if self.reuse is not None:
                    self.reuse.fresh_parse(path, key, source)
                self._read_dialects(self._as_named(path, source))
                self._files[key] = source
                self._shared.setdefault(key, source)

    def add(self, path: Path, explicit: bool) -> None:
        """Load a discovered file; keep it if it is a Floe document, was named explicitly, is
        called floe.yaml or manifest.yaml (an empty or non-Floe one is then a finding), or is
        otherwise worth reporting (see `_worth_reporting`). A discovered JSON file must also
        declare `apiVersion: floe.dev/v1`, or fail to parse (it names it: `walk.declares_floe`)."""
        source = self.load(path)
        # The name counts where the file's symlinks lead: a `manifest.yaml` link to a private
        # key is not reported (and quoted) as a broken manifest.
        expected = explicit or (
            path.name.lower() in FLOE_NAMES
            and self.key(path).name.lower() in FLOE_NAMES
            and not declares_another_kind(source)
        )
        if expected:
            self.expected.add(self.key(path))
        json = path.suffix == JSON_SUFFIX and not explicit
        ours = holds_ours(source, json)
        if json:  # (it names floe.dev/v1: one that cannot be read is a syntax problem)
            worth = not source.documents and bool(source.problems)
        else:
            worth = self._worth_reporting(path, source, explicit)
        if ours or expected or worth:
            self.reported.setdefault(self.key(path), source)

    def is_expected(self, path: Path) -> bool:
        """Whether `path` was named on the command line or is called floe.yaml/manifest.yaml."""
        key = self.key(path)
        if key in self.expected:
            return True
        if self._shelved and (shelved := self._shelved.get(str(key))) is not None:
            return shelved.expected
        return self._is_retired(key) and str(key) not in self._retired_unexpected

    def reach(self, path: Path) -> SourceFile:
        """Load a file reached through a ref; it is reported on like a discovered file.

        Anything else (YAML that is no Floe document, a broken file without a Floe name) is
        reported at the referencing line only: a ref may name any file, such as a private key
        or /proc/self/environ, and its lines are never quoted in a report.
        """
        return self.reach_as(path, self.reach_key(path))

    def reach_key(self, path: Path) -> Path:
        """The key of a file reached through a ref (`reach`)."""
        # A ref's own spelling (`../../platform/manifest.yaml`, one per product) is resolved,
        # not remembered: the run keeps one key per file, not one per product's ref.
        return self._keys.get(path) or real(path)

    def reach_as(self, path: Path, key: Path) -> SourceFile:
        """`reach(path)` for a path whose key (`reach_key`) is known."""
        source = self._load(path, key)
        if self._worth_reporting(path, source, False) and not self._is_shelved(key):
            self.reported.setdefault(key, source)  # (a shelved file is reported as replayed)
        return source

    def _worth_reporting(self, path: Path, source: SourceFile, explicit: bool) -> bool:
        """A Floe document, a file named on the command line, or a file with a Floe name that
        could not be read or parsed. A parsed file's name is the one its symlinks lead to: a
        `manifest.yaml` link to a private key must not get its lines quoted as YAML errors."""
        if holds_floe(source):
            return True
        if not source.problems:
            return False
        if explicit:
            return True
        return looks_ours(path if not source.text else self.key(path))

    def is_reported(self, path: Path) -> bool:
        key = self.key(path)
        return key in self.reported or self._is_retired(key) or self._is_shelved(key)

    def replay(self, path: Path, digest: str, marks: int, reported: bool, expected: bool) -> None:
        """A file whose stored results stand for it (see floe_lint.lint.replay): its content
        hash and what it mentions (`document.LazySourceFile`)."""
        key = self.key(path)
        self.replayed.add(key)
        if expected:
            self.expected.add(key)
        if reported:
            self.reported.setdefault(key, LazySourceFile(path, digest, marks))

    def loaded(self) -> Iterator[tuple[str, SourceFile]]:
        """Every file parsed in this run, by resolved path."""
        for key, source in self._files.items():
            yield str(key), source

    def documents(self) -> Iterator[Document]:
        """The documents of the files reported on and not replayed (left out before sorting)."""
        for key in sorted([k for k in self.reported if k not in self.replayed], key=order):
            yield from self.reported[key].documents

    def files(self, retired: bool = True) -> Sequence[SourceFile]:
        """The files reported on, by key; with `retired`, those `retire` keeps as text too.

        Files are retired in key order when the walk gives them so (`_sorted`): then the few
        held are put in their places among them, and nothing is made per file but the list;
        otherwise all are sorted by their keys' texts (`key_order`)."""
        if not (retired and (self._retired or self._shelved)):
            return [self.reported[k] for k in sorted(self.reported, key=order)]
        in_order = self._sorted is not None and self._shelved_sorted is not None
        kept = tuple(t for t in (self._retired, self._shelved) if t)
        return in_key_order(self.reported, kept, in_order)
