"""Which files of the workspace depend on a manifest: the reverse of platform and parent refs.

`check` of a changed manifest must also lint every domain and product whose hierarchy passes
through it, and finding them must cost less than linting the tree. So the scan reads each
candidate file's bytes once (bounded, regular files only) and parses only the files that could
name a target:

- a relative ref that resolves to `dir/manifest.yaml` names `dir` (or the file's own name), unless
  it is made of `.`/`..` alone, and then the referencing file lies below `dir`;
- an `oci://` ref (or any `--ref`/config `refs` key) reaches a local file only through that table:
  directly, or through a digest that a floe.lock or a pinned key records for it.

A file that passes this test is parsed (through the run's workspace, so the lint reuses it) and
its refs are resolved exactly; the test only saves parsing. Dependents are followed level by level
(enterprise -> domains -> products), each reported with the changed manifest it depends on.
A ref through a symbolic link the walk met, to a target or its folder, need hold no needle of
the target's: the files are tested again for the names of such links (`_aliases`). A file
holding a backslash (an escape, a quoted scalar's line continuation can spell a ref without its
names) is parsed; so is every file when a target is the manifest of products that name none.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from pathlib import Path

from floe_lint.load import bulk
from floe_lint.load.document import Document
from floe_lint.load.linked import linked_folder_files
from floe_lint.load.paths import real
from floe_lint.load.walk import Beside, Folder, files_of, folder_files, walk
from floe_lint.load.workspace import Workspace, discover
from floe_lint.model.dependents_scan import (
    first_pass,
    holds_ref,
    read_listed,
    too_large_to_search,
)
from floe_lint.model.dialects import manifest_of, product_of
from floe_lint.model.oci_table import OciTable
from floe_lint.model.ref_needles import _MANIFEST_NAMES, _Targets
from floe_lint.model.refs import is_oci
from floe_lint.record import Frozen, set_field


class Dependent(Frozen):
    """A file whose hierarchy passes through a changed manifest.

    `path` references `via` at `pointer` (a changed manifest or another dependent); `cause` is the
    changed manifest at the top of that chain. `ref` is the text as written. `unread`: a file
    too large to read, taken because whether it names `via` cannot be told (it may be a
    dependent; its pointer and ref are empty).
    """

    __slots__ = ("cause", "path", "pointer", "ref", "unread", "via")
    path: Path
    cause: Path
    via: Path
    pointer: str
    ref: str
    unread: bool

    def __init__(
        self, path: Path, cause: Path, via: Path, pointer: str, ref: str, unread: bool = False
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "cause", cause)
        set_field(self, "via", via)
        set_field(self, "pointer", pointer)
        set_field(self, "ref", ref)
        set_field(self, "unread", unread)


def level_refs(doc: Document, fallback: str | None = None) -> Iterator[tuple[str, str]]:
    """(pointer, ref text) of the ref by which `doc` names the level above it, in its dialect.

    A product whose dialect lets it name none takes `fallback` (`--manifest`, the config's
    `manifest`), else the manifest.yaml beside it, as the hierarchy does.
    """
    if doc.kind == "floe":
        product = product_of(doc)
        node = product.ref_node
        if node.value is None and product.platform_optional:
            if fallback is not None:
                yield node.pointer, fallback
                return
            for name in _MANIFEST_NAMES:
                if (doc.path.parent / name).is_file():
                    yield node.pointer, name
                    return
            return
    elif doc.kind == "manifest":
        node = manifest_of(doc).ref_node
    else:
        return
    text = node.value
    if isinstance(text, str) and text.strip():
        yield node.pointer, text.strip()


def _key(path: Path) -> Path:
    """`path.resolve()`, each folder's "is it a symlink?" remembered for the run (`real`)."""
    return real(path)


def _local_target(text: str, base: Path) -> Path | None:
    """The file a relative ref names, as the resolver would find it (a folder: its manifest)."""
    if "://" in text:
        return None
    path = base.parent / text
    try:
        if path.is_dir():
            for name in _MANIFEST_NAMES:
                if (path / name).is_file():
                    return _key(path / name)
            return None
        return _key(path) if path.is_file() else None
    except OSError:
        return None


class ReverseIndex:
    """The files of a workspace that depend, directly or not, on given manifests."""

    def __init__(
        self,
        root: Path,
        workspace: Workspace,
        overrides: Mapping[str, Path],
        *,
        read_lock: Callable[[Path], Mapping[str, str] | None] = lambda _: None,
        selected: Callable[[Path], bool] | None = None,
        selector: Callable[[Sequence[str]], Callable[[Path], bool]] | None = None,
        jobs: int | None = None,
        fallback: str | None = None,
        given: Sequence[Path] = (),
        listing: Beside | None = None,
    ):
        self.fallback = fallback
        #: where the walk notes each folder it lists (`walk`'s `listing`), if anywhere
        self.listing = listing
        self.read_lock = read_lock
        self.root = root
        self.jobs = jobs
        self.workspace = workspace
        self.selected = selected
        #: `selected` made knowing the links the walk met (`filtering.selector`), if given
        self.selector = selector
        self.overrides = overrides
        #: folders and files the run was given: linted already, so not searched again
        self._given = frozenset(os.path.abspath(p) for p in given)
        self._given_folders = tuple(g.rstrip(os.sep) + os.sep for g in self._given)
        #: the files searched, each as discovery names it, as an absolute path and whether it
        #: is a symbolic link (one whose target lies in the workspace: the walk left out others)
        self._paths: list[tuple[str, str, bool]] = []
        #: files that passed a level's test (as absolute paths): parsed, so tested no more
        self._candidate: set[str] = set()
        self._refs: dict[Path, list[tuple[str, str, Path]]] = {}
        #: relative refs resolved (`_target`), by folder and text
        self._targets: dict[tuple[str, str], Path | None] = {}
        self._plain: bool | None = None  # see `_plain_root`
        self._scanned = False
        self._table: OciTable | None = None
        #: the files of the walk's folders searched (`Folder`s, the given files left out),
        #: when the walk was not listed into `_paths`
        self._folders: list[Folder] = []
        #: the rest of a walk that no pass has gone through yet (`_listed`, `first_pass`)
        self._unlisted: Iterator[Folder] | None = None
        #: the walk's top (absolute) when the files searched are its (`_Targets`' `top`)
        self._top: str | None = None
        #: every symbolic link the walk met (to a file or a folder), as discovery names it, and
        #: where each leads (`_aliases`)
        self._links: list[str] = []
        self._link_targets: dict[str, str] = {}

    def _outside_given(self, text: str) -> bool:
        return not (text in self._given or text.startswith(self._given_folders))

    def _scan(self) -> None:
        """List the candidate files of the workspace (names only: each level of the search
        reads them again rather than keeping their bytes); note the lock files on the way."""
        if self._scanned:
            return
        self._scanned = True
        locks: dict[str, str] = {}
        folders: set[Path] = set()
        # A lock file maps a ref to a digest, which only an `oci://` override key can match.
        wants_locks = any(is_oci(key.strip()) for key in self.overrides)
        # Names, not Paths: a Path is built only for a file that passes a level's test.
        if self.selected is None and not wants_locks and self.root.is_dir():
            # listed as the first level reads them (`_listed`): each file is read just after
            # its folder was listed, and the files are walked once
            self._unlisted = chain(
                folder_files(self.root, self._links, self.listing),
                linked_folder_files(self.root, self._links, self.listing),  # (after: links met)
            )
            self._top = os.path.abspath(self.root)
            self._table = OciTable(self.overrides, locks)
            return
        if self.root.is_dir():
            listed = walk(self.root, self._links, self.listing)
            listed += files_of(linked_folder_files(self.root, self._links, self.listing))
            self._top = os.path.abspath(self.root)
        else:
            listed = [(str(path), os.path.abspath(path), True) for path, _ in discover([self.root])]
        selected = self.selected
        if selected is not None and self.selector is not None and self._links:
            selected = self.selector(self._links)  # a file excluded by name, linked from a
            # selected folder, is Floe's through the link
        for item in listed:
            name = item[0]
            if selected is not None and not selected(Path(name)):
                continue
            if wants_locks:
                parent = Path(name).parent
                if parent not in folders:
                    folders.add(parent)
                    for ref, digest in (self.read_lock(parent) or {}).items():
                        locks.setdefault(ref, digest)
            if self._outside_given(item[1]):
                self._paths.append(item)
        self._table = OciTable(self.overrides, locks)

    def _listed(self) -> Iterator[tuple[str, str, bool]]:
        """The files searched (see `_paths`): those listed already, then the rest of a walk
        still under way, noted as they come."""
        yield from self._paths
        for shown, absolute, _, names, linked in self._folders:
            for name in names:
                yield shown + name, absolute + name, linked is not None and name in linked
        if self._unlisted is None:
            return
        given, folders_given = self._given, self._given_folders
        paths = self._paths
        for item in files_of(self._unlisted):
            if not (item[1] in given or item[1].startswith(folders_given)):
                paths.append(item)
                yield item
        self._unlisted = None

    @property
    def table(self) -> OciTable:
        self._scan()
        assert self._table is not None
        return self._table

    def _refs_of(self, path: Path) -> list[tuple[str, str, Path]]:
        """(pointer, text, resolved target) of each level ref in the file, parsed once."""
        refs = self._refs.get(path)
        if refs is None:
            refs = []
            for doc in self.workspace.load(path).documents:
                for pointer, text in level_refs(doc, self.fallback):
                    target = self.table.target(text)
                    resolved = _key(target) if target is not None else self._target(text, path)
                    if resolved is not None:
                        refs.append((pointer, text, resolved))
            self._refs[path] = refs
        return refs

    def _target(self, text: str, path: Path) -> Path | None:
        """`_local_target(text, path)` by (folder, text), leading `../` taken off through folders
        the walk listed (`Beside.up`), as the hierarchy's memo: a domain's products share one."""
        folder, ref = str(path.parent), text
        while self.listing is not None and ref.startswith("../") and ref[3:4] != "/":
            if (above := self.listing.up(folder)) is None:
                break
            folder, ref = above, ref[3:]
        memo = (folder, ref)
        if memo not in self._targets:
            self._targets[memo] = _local_target(text, path)
        return self._targets[memo]

    def _plain_root(self) -> bool:
        """Whether no symbolic link lies on the way to the root (so none to a file found)."""
        if self._plain is None:
            top = os.path.abspath(self.root)
            self._plain = os.sep == "/" and self.root.is_dir() and os.path.realpath(top) == top
        return self._plain

    def _is_manifest(self, path: Path) -> bool:
        return any(d.kind == "manifest" for d in self.workspace.load(path).documents)

    def _candidates(self, frontier: set[Path], causes: Mapping[Path, Path]) -> list[Path]:
        """The files that may reference a file of `frontier`: parsed already, below one's
        folder (a ref of `..` alone), holding an `oci://` or override key that reaches one, or
        holding ref text that resolves to one (also through a symbolic link the walk met:
        `_aliases`). Bytes are read, tested and dropped. Every file is one when the manifest
        of products that name none is of `frontier` (`_fallback_in`)."""
        targets = _Targets(frontier, top=self._top)
        every = self._fallback_in(frontier)
        found = self._tested(frontier, causes, targets, self.table.needles(frontier), every)
        aliases = self._aliases(frontier) - targets.needles
        if aliases:  # (the walk is over: every link it met is known)
            again = _Targets(frontier, aliases, top=self._top)
            found += self._tested(frontier, causes, again, (), False, again=True)
        return found

    def _tested(
        self,
        frontier: set[Path],
        causes: Mapping[Path, Path],
        targets: _Targets,
        oci_needles: Iterable[bytes],
        every: bool,
        again: bool = False,
    ) -> list[Path]:
        """`_candidates` by `targets`' needles; `again`: only the files not taken already.
        Bytes are tested, then dropped; a file without a needle costs its read alone (the
        first pass of a walk not gone through yet: `first_pass`)."""
        needles = tuple(oci_needles)
        folders = tuple(str(t.parent) + os.sep for t in frontier)
        found: list[Path] = []
        candidate = self._candidate
        if self._unlisted is not None and not every and not again:
            given: dict[str, set[str]] = {}
            for text in self._given:
                folder, _, name = text.rpartition(os.sep)
                given.setdefault(folder + os.sep, set()).add(name)
            listed = first_pass(
                self._unlisted,
                self._folders,
                {folder: frozenset(names) for folder, names in given.items()},
                self._given_folders,
                folders,
                needles,
                targets,
            )
            self._unlisted = None
        else:
            listed = ((*item, False) for item in self._listed())
        for name, text, link, passed in listed:
            # a linked file's refs resolve from the folder it leads to, as the hierarchy's do
            where = os.path.realpath(text) if link else text
            if passed:
                pass
            elif text in candidate or where.startswith(folders):
                if again:
                    continue  # taken (or tested and parsed) by the first pass
            elif not every:
                raw = read_listed(name, link)
                if raw is None:
                    if not too_large_to_search(name, os.path.basename(name), link):
                        continue
                elif not holds_ref(raw, where, needles, targets, again):
                    continue
            self._take(name, text, link, causes, found)
        return found

    def _take(
        self, name: str, text: str, link: bool, causes: Mapping[Path, Path], found: list[Path]
    ) -> None:
        """Note a file that passed a level's test (`found`, unless it is a cause already)."""
        if not link and self._plain_root():  # its key: its absolute path
            self.workspace.know_keys((name,))
        try:
            key = self.workspace.key(Path(name))
        except (OSError, RuntimeError):  # a symlink loop, a name the system refuses
            return
        self._candidate.add(text)
        if key not in causes:
            found.append(key)

    def _unreadable(self, path: Path) -> bool:
        """A candidate with no document that is a Floe-named file over the load limit."""
        return not self.workspace.load(path).documents and too_large_to_search(
            str(path), path.name, True
        )

    def _aliases(self, frontier: set[Path]) -> set[str]:
        """The names of the symbolic links the walk met that lead to a file of `frontier` or to
        its folder (for a link named manifest.yaml, its folder's name): a ref through one need
        hold none of the names `_Targets` looks for."""
        wanted: set[str] = set()
        for target in frontier:
            real_target = os.path.realpath(target)
            wanted.update((real_target, os.path.dirname(real_target)))
        names: set[str] = set()
        for link in self._links:
            leads = self._link_targets.get(link)
            if leads is None:
                leads = self._link_targets[link] = os.path.realpath(link)
            if leads in wanted:
                name = os.path.basename(link)
                above = os.path.basename(os.path.dirname(os.path.abspath(link)))
                names.add(above if name in _MANIFEST_NAMES and above else name)
        return names

    def _fallback_in(self, frontier: set[Path]) -> bool:
        """Whether the manifest of products that name none (`fallback`: `--manifest`, the
        config's `manifest`) is one of `frontier`: such a product's text need not name it."""
        if self.fallback is None:
            return False
        target = self.table.target(self.fallback)
        if target is not None:
            return _key(target) in frontier
        return _local_target(self.fallback, Path(os.path.abspath("floe.yaml"))) in frontier

    def dependents(self, changed: Sequence[Path]) -> list[Dependent]:
        """Every file that references a changed manifest, or a file that does, and so on.

        The changed files themselves are never among them; the order is stable (by level, then
        path).
        """
        self._scan()
        causes: dict[Path, Path] = {_key(p): _key(p) for p in changed}
        frontier = set(causes)
        found: list[Dependent] = []
        while frontier:
            candidates = self._candidates(frontier, causes)
            fresh = [path for path in candidates if path not in self._refs]
            self.workspace.preload(fresh, bulk.jobs_for(len(fresh), self.jobs))
            level: list[Dependent] = []
            for path in candidates:
                for pointer, ref, resolved in self._refs_of(path):
                    if resolved in frontier:
                        level.append(Dependent(path, causes[resolved], resolved, pointer, ref))
                        break
                else:
                    if self._unreadable(path):  # (whether it names one cannot be told)
                        first = min(frontier, key=str)
                        level.append(Dependent(path, causes[first], first, "", "", unread=True))
            level.sort(key=lambda d: str(d.path))
            frontier = set()
            for dependent in level:
                if dependent.path not in causes:
                    causes[dependent.path] = dependent.cause
                    found.append(dependent)
                    if self._is_manifest(dependent.path):  # only a manifest has dependents
                        frontier.add(dependent.path)
        return found
