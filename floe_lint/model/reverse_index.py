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
A symlinked folder that a ref names by its link's name is not seen (the needle is the target's).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from floe_lint.load import bulk
from floe_lint.load.bounded import read_bounded, read_unlinked
from floe_lint.load.document import Document
from floe_lint.load.paths import real
from floe_lint.load.walk import Beside, walk, walking
from floe_lint.load.workspace import Workspace, discover
from floe_lint.model.dialects import manifest_of, product_of
from floe_lint.model.refs import RefError, is_oci, parse_oci
from floe_lint.record import Frozen, set_field

_MANIFEST_NAMES = ("manifest.yaml", "manifest.yml")


class Dependent(Frozen):
    """A file whose hierarchy passes through a changed manifest.

    `path` references `via` at `pointer` (a changed manifest or another dependent); `cause` is the
    changed manifest at the top of that chain. `ref` is the text as written.
    """

    __slots__ = ("cause", "path", "pointer", "ref", "via")
    path: Path
    cause: Path
    via: Path
    pointer: str
    ref: str

    def __init__(self, path: Path, cause: Path, via: Path, pointer: str, ref: str) -> None:
        set_field(self, "path", path)
        set_field(self, "cause", cause)
        set_field(self, "via", via)
        set_field(self, "pointer", pointer)
        set_field(self, "ref", ref)


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


class OciTable:
    """Maps `oci://` refs (and other override keys) to local files, as `check` resolves them.

    A ref reaches a local file when it is an override key, or when its digest (pinned in the ref,
    or recorded for it by a floe.lock) is the digest of an override key (pinned in the key, or
    recorded for the key by a floe.lock).
    """

    def __init__(self, overrides: Mapping[str, Path], locks: Mapping[str, str]):
        self.overrides = {key.strip(): path for key, path in overrides.items()}
        self.locks = dict(locks)
        self.by_digest: dict[str, Path] = {}
        for key, path in self.overrides.items():
            digest = self._digest(key)
            if digest is not None:
                self.by_digest.setdefault(digest, path)

    def _digest(self, key: str) -> str | None:
        if not is_oci(key):
            return None
        try:
            ref = parse_oci(key)
        except RefError:
            return None
        return ref.digest or self.locks.get(str(ref))

    def target(self, text: str) -> Path | None:
        if text in self.overrides:
            return self.overrides[text]
        if not is_oci(text):
            return None
        try:
            normal = str(parse_oci(text))
        except RefError:
            return None
        if normal in self.overrides:
            return self.overrides[normal]
        digest = self._digest(normal)
        return self.by_digest.get(digest) if digest is not None else None

    def needles(self, targets: Iterable[Path]) -> set[bytes]:
        """Text that any ref reaching one of `targets` through this table must contain."""
        wanted = set(targets)
        found: set[bytes] = set()
        for key, path in self.overrides.items():
            if _key(path) not in wanted:
                continue
            if is_oci(key):
                try:
                    ref = parse_oci(key)
                except RefError:
                    continue
                found.add(f"{ref.host}/{ref.repository}".encode())
            else:
                found.add(key.encode())
        return found


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


#: what ends a ref's text on its line: quotes, flow punctuation, a comment, spaces, and the
#: line breaks YAML has besides LF (CR, NEL, LS, PS: a file may end its lines with any of them)
_STOPS = frozenset(" \t\"',[]{}#\r\x85\u2028\u2029")


def _ref_texts(text: str, needle: str) -> Iterator[str]:
    """The ref-like strings of `text` around each occurrence of `needle`: the run of characters
    on its line between stops (quotes, spaces, flow punctuation). A ref with a space inside (a
    rare folder name) is also tried as the line's value after `key:` or `- `."""
    if _STOPS.isdisjoint(needle) and "\n" not in needle:
        yield from _line_texts(text, needle)
        return
    start = text.find(needle)
    while start >= 0:
        left = start
        while left > 0 and text[left - 1] not in _STOPS and text[left - 1] != "\n":
            left -= 1
        right = start + len(needle)
        while right < len(text) and text[right] not in _STOPS and text[right] != "\n":
            right += 1
        yield text[left:right]
        yield _line_value(text, start)
        start = text.find(needle, right)


#: every stop as a line break: a line (which holds none) split at them gives its runs
_TO_BREAK = str.maketrans(dict.fromkeys(_STOPS, "\n"))


def _line_texts(text: str, needle: str) -> Iterator[str]:
    """`_ref_texts` for a needle without a stop or a line break in it (so each occurrence lies
    in one run): each line holding it is split at its stops once, in C, and gives the runs that
    hold the needle and its value; the same strings, each distinct line's once (a tag or a
    label repeats the needle on many lines alike)."""
    seen: set[str] = set()
    start = text.find(needle)
    while start >= 0:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        if line_end < 0:
            line_end = len(text)
        line = text[line_start:line_end]
        start = text.find(needle, line_end)
        if line in seen:
            continue
        seen.add(line)
        for run in line.translate(_TO_BREAK).split("\n"):
            if needle in run:
                yield run
        yield _value(line)


def _line_value(text: str, start: int) -> str:
    """The value of the line holding `start`: after `- ` or `key: `, unquoted, comment cut."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return _value(text[line_start : line_end if line_end >= 0 else len(text)])


def _value(line: str) -> str:
    value = line.split("#", 1)[0].strip().removeprefix("- ").split(": ", 1)[-1]
    return value.strip().strip("\"'")


class _Targets:
    """The frontier of a dependents search as paths a relative ref's text can resolve to:
    each changed manifest, and its folder when its name is generic (a ref may name the folder).
    Folder resolutions are cached: the refs of a tree name the same few folders again and again."""

    def __init__(self, targets: Iterable[Path]):
        self.paths: set[str] = set()
        self.needles: set[str] = set()
        for target in targets:
            for form in {target, target.resolve()}:
                self.paths.add(str(form))
                if form.name in _MANIFEST_NAMES:
                    self.paths.add(str(form.parent))
                else:
                    self.needles.add(form.name)
                if form.parent.name:
                    self.needles.add(form.parent.name)
        self._real: dict[str, str] = {}
        #: the needles as UTF-8, which a file's bytes hold wherever its text (decoded with
        #: replacements) holds the needle: each character decoded comes from its own bytes.
        #: None (decode and look) for a needle with a replacement character or a lone
        #: surrogate (an undecodable file name), which may come from other bytes.
        self.byte_needles: tuple[bytes, ...] | None = None
        if not any("\ufffd" in n for n in self.needles):
            with contextlib.suppress(UnicodeEncodeError):
                self.byte_needles = tuple(n.encode() for n in self.needles)

    def _resolves(self, folder: str, ref: str) -> bool:
        joined = os.path.normpath(os.path.join(folder, ref))
        if joined in self.paths:
            return True
        real = self._real.get(joined)
        if real is None:  # through a symlink: one stat for most texts, which name nothing
            real = self._real[joined] = os.path.realpath(joined) if os.path.exists(joined) else ""
        return real in self.paths

    def may_name(self, raw: bytes) -> bool:
        """Whether the bytes hold a needle (so `named_by` may find one in their text)."""
        return self.byte_needles is None or any(needle in raw for needle in self.byte_needles)

    def named_by(self, path: Path | str, text: str) -> bool:
        """Whether a ref in `text` (the file at `path`) can resolve to one of the targets."""
        folder = ""
        tried: set[str] = set()  # a tag or a label repeats the needle on many lines
        for needle in self.needles:
            if needle not in text:
                continue
            for ref in _ref_texts(text, needle):
                if ref in tried or "://" in ref or needle not in ref.split("/"):
                    continue  # the needle must be a whole folder or file name of the ref
                tried.add(ref)
                folder = folder or os.path.dirname(os.path.abspath(path))
                if self._resolves(folder, ref):
                    return True
        return False


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
        #: the rest of a walk that `_listed` has not given yet
        self._unlisted: Iterator[tuple[str, str, bool]] | None = None

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
            self._unlisted = walking(self.root, listing=self.listing)
            self._table = OciTable(self.overrides, locks)
            return
        listed = (
            walk(self.root, listing=self.listing)
            if self.root.is_dir()
            else [(str(path), os.path.abspath(path), True) for path, _ in discover([self.root])]
        )
        for item in listed:
            name = item[0]
            if self.selected is not None and not self.selected(Path(name)):
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
        if self._unlisted is None:
            return
        given, folders_given = self._given, self._given_folders
        paths = self._paths
        for item in self._unlisted:
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
        """`_local_target(text, path)`, remembered by (folder, text), each leading `../` taken
        off while the folder is one the walk listed below its top (`Beside.up`: no symbolic
        link, so its `..` is the folder above it by name), as the hierarchy's memo does: the
        products of a domain name its manifest alike."""
        folder, ref = str(path.parent), text
        while self.listing is not None and ref.startswith("../") and ref[3:4] != "/":
            above = self.listing.up(folder)
            if above is None:
                break
            folder, ref = above, ref[3:]
        memo = (folder, ref)
        if memo not in self._targets:
            self._targets[memo] = _local_target(text, path)
        return self._targets[memo]

    def _plain_root(self) -> bool:
        """Whether no symbolic link lies on the way to the root folder, so none lies on the way
        to a file the walk found that is not one itself (it follows no link to a folder)."""
        if self._plain is None:
            top = os.path.abspath(self.root)
            self._plain = os.sep == "/" and self.root.is_dir() and os.path.realpath(top) == top
        return self._plain

    def _is_manifest(self, path: Path) -> bool:
        return any(d.kind == "manifest" for d in self.workspace.load(path).documents)

    def _candidates(self, frontier: set[Path], causes: Mapping[Path, Path]) -> list[Path]:
        """The files that may reference a file of `frontier`: parsed already, below one's
        folder (a ref of `..` alone), holding an `oci://` or override key that reaches one, or
        holding ref text that resolves to one. Bytes are read, tested and dropped."""
        needles = tuple(self.table.needles(frontier))
        targets = _Targets(frontier)
        names = targets.byte_needles
        folders = tuple(str(t.parent) + os.sep for t in frontier)
        found: list[Path] = []
        candidate = self._candidate
        for name, text, link in self._listed():
            if not (text in candidate or text.startswith(folders)):
                # Bytes are tested, then dropped; a file without a needle costs its read alone.
                raw = read_bounded(name) if link else read_unlinked(name)
                if raw is None:
                    continue
                for needle in needles:
                    if needle in raw:
                        break
                else:
                    if names is not None:
                        for needle in names:
                            if needle in raw:
                                break
                        else:
                            continue
                    if not targets.named_by(text, raw.decode("utf-8", errors="replace")):
                        continue
            if not link and self._plain_root():  # its key: its absolute path
                self.workspace.know_keys((name,))
            path = Path(name)
            try:
                key = self.workspace.key(path)
            except (OSError, RuntimeError):  # a symlink loop, a name the system refuses
                continue
            self._candidate.add(text)
            if key not in causes:
                found.append(key)
        return found

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
            level.sort(key=lambda d: str(d.path))
            frontier = set()
            for dependent in level:
                if dependent.path not in causes:
                    causes[dependent.path] = dependent.cause
                    found.append(dependent)
                    if self._is_manifest(dependent.path):  # only a manifest has dependents
                        frontier.add(dependent.path)
        return found
