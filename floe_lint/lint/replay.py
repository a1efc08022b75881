"""A run with the result cache (see `floe_lint.lint.cache`): which files are replayed, and what
a checked file's entry records.

The engine asks `replayable` for each file it discovers; a replayed file enters the workspace
as a `LazySourceFile` (its text for suppression comments and reports, parsed only if a report
needs its documents) and contributes its stored findings instead of being checked. For every
file that was checked, `record` stores its subjects' findings with the hash of each file they
depended on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path

from floe_lint.findings import Finding
from floe_lint.lint import cache, depends, links, parsed, spill
from floe_lint.lint.depends import Facts, OciKey, canonical
from floe_lint.lint.entries import file_entry
from floe_lint.lint.side import SideFiles
from floe_lint.lint.standing import Replayed, Standing
from floe_lint.lint.whole_record import Found
from floe_lint.load import lazy, paths
from floe_lint.load.bounded import read_bounded
from floe_lint.load.digests import digest_listed
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.workspace import Workspace
from floe_lint.model.hierarchy import Hierarchy
from floe_lint.model.refs import OciFetcher, RefError, Resolver, parse_oci

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.model.trust import Trust

_LOCK_NAME = "floe.lock"
_NOT_NOTED = object()


def _compact(found: Sequence[tuple[Path | str, bool]]) -> Found:
    """The files found as a walk names them (text), kept as names and explicit positions."""
    names = [f if type(f) is str else os.fspath(f) for f, _ in found]
    return Found(names, {at for at, (_, explicit) in enumerate(found) if explicit})


class Replay:
    """One run's use of a cache store."""

    def __init__(
        self,
        store: cache.Store,
        workspace: Workspace,
        fetch: OciFetcher | None = None,
        overrides: Collection[str] = (),
        exclusions: bool = False,
    ):
        self.store = store
        self.workspace = workspace
        #: the run's fetcher (oci:// refs are keyed by the digest it resolves them to) and the
        #: refs that the config and --ref map to local files (part of the run's key)
        self.fetch = fetch
        self.overrides = frozenset(overrides)
        self._links = Resolver(dict(overrides) if isinstance(overrides, Mapping) else {})
        self._oci: dict[str, OciKey | None] = {}
        #: whether the config excludes files from walks (so that a walk may not see a new
        #: per-environment file appear beside a product it found)
        self.exclusions = exclusions
        #: the files the run found, as discovery named them (text): their names and which
        #: were named explicitly, not a tuple per file (issue 17)
        self.found: Sequence[tuple[str, bool]] = Found([], set())
        #: whether every input of the run is known: each file it checked was stored, and no
        #: dependents search read other files (floe_lint.lint.whole stores such a run whole)
        self.complete = True
        #: whether the run stores what it checked (not when its trusted roots, `trust`, the
        #: ones its key resolved, resolve otherwise by the time its rules ask: run_key)
        self.stored = True
        self.trust: Trust | None = None
        self._raw: dict[str, bytes | None] = {}
        #: what `note` noted of released files, by key
        self._noted: dict[str, Any] = {}
        self._hash: dict[str, str | None] = {}
        #: what each file's bytes mention (`lazy.marks`: it is replayed without them)
        self._marks: dict[str, int] = {}
        self._valid: dict[str, bool] = {}
        self._as: dict[str, object] = {}  # the path a named file's entry was made under
        self.explicit: dict[str, bool] = {}
        self.set_hash = ""
        self._all_hash: str | None = None
        self.replayed = Replayed(store.written)  # (each: its line written as read)
        #: the replayed files that a strict platform governs (see engine's Control)
        self.strict: list[Path] = []
        #: what the entries found to stand leave for their replay and the whole-run record
        self.standing = Standing()
        #: the parses kept across runs (`floe_lint.lint.parsed`)
        self.parses = parsed.Parses(store, self.hash, self.raw)
        #: the files rules read beside the documents (floe.lock), keyed as they were read
        self.side = SideFiles()
        #: the entries of files a streamed run retired, written out as made (`settle`), and
        #: the keys of such files saved again since they were parsed (not stored)
        self.spill = spill.Spill(store.folder)
        self._moved: set[str] = set()

    # -- hashes --------------------------------------------------------------------------

    def key(self, path: Path | str) -> str:
        return self.workspace.key_text(path)

    def lock_key(self, path: Path) -> str:
        """The key of the floe.lock beside the file at `path` (`Workspace.side_key`: not a
        `Path` per product kept for the whole run, nor made: `paths.beside`)."""
        return self.workspace.side_key(paths.beside(path, _LOCK_NAME))

    def _path_key(self, path: Path) -> str:
        return str(self.workspace.key(path))

    def _leads_there(self, link: object) -> bool:
        return links.leads_there(link, self._path_key, self._links)

    def _overridden(self, text: str) -> bool:
        """Whether the config's `refs` or `--ref` map the `oci://` ref `text` to a local file."""
        return text in self.overrides or canonical(text) in self.overrides

    def owner(self, subject: Any) -> str:
        """The file a rule's subject comes from (its findings are stored with that file; a
        file's and a document's `__getattr__` raise for "doc": `getattr` would clear that)."""
        doc = None if isinstance(subject, (Document, SourceFile)) else getattr(subject, "doc", None)
        path = doc.path if doc is not None else subject.path
        return self.key(path if isinstance(path, Path) else Path(path))

    def raw(self, key: str) -> bytes | None:
        """The bytes the run hashed of `key` (a file checked again), read again: not held from
        hashing on (`all_hash` held every file's, issue 17); None once they changed."""
        if key not in self._raw and self._hash.get(key) is not None:
            raw = read_bounded(key)
            if raw is not None and cache.digest(raw) == self._hash[key]:
                self._raw[key] = raw
        return self._raw.get(key)

    def hash(self, key: str) -> str | None:
        if key not in self._hash:
            if key not in self.store.entries and self.workspace.listed.absent(key) is True:
                # not in its folder as the run's walk listed it (most floe.lock files): what
                # reading it would say, with no system call (not noted: one per product)
                return None
            raw = read_bounded(key)  # (not kept: see `raw`)
            self._hash[key] = None if raw is None else cache.digest(raw)
            if raw is not None and (marks := lazy.marks(raw)):
                self._marks[key] = marks
        return self._hash[key]

    def _nothing_at(self, key: str) -> bool:
        """Nothing at `key`: a dep noted absent (None) is not one now unreadable (a folder
        named floe.lock hashes None too, and a rule reports it)."""
        if self.workspace.listed.absent(key) is True:
            return True
        try:
            os.stat(key)
        except (FileNotFoundError, NotADirectoryError):
            return True
        except (OSError, ValueError):
            return False
        return False

    def side_text(self, path: Path) -> str | None:
        """A floe.lock's text as a rule of this run reads it (see `floe_lint.lint.side`)."""
        key = self.workspace.side_key(path)
        absent = key not in self._hash and key not in self.store.entries  # (as `hash` keys it)
        absent = absent and self.workspace.listed.absent(key) is True
        self.side.unread = path if absent else None
        return self.side.text(key, self._hash, absent)

    def side_absent(self, path: Path) -> bool:
        """Whether `side_text` just read `path` as nothing there, unread (the walk's listing)."""
        return self.side.unread is path

    def all_hash(self) -> str:
        """Every found file's content: what a manifest's replay depends on (the digest of the
        `repr` of the sorted pairs, made a pair at a time: issue 17)."""
        if self._all_hash is None:
            pairs = (repr((k, self.hash(k))) for k in sorted(self.explicit))
            self._all_hash = digest_listed(pairs)
        return self._all_hash

    def oci_now(self, text: str) -> OciKey | None:
        """What `text` resolves to in this run, asked of the run's fetcher as the resolver asks
        it (a tag within its time-to-live from the cache, else the registry; a floe.lock's
        digest; a pinned digest as written); None when it cannot be resolved now."""
        if text not in self._oci:
            self._oci[text] = None
            try:
                ref = parse_oci(text)
                if self.fetch is None:
                    return None
                path = self.fetch(ref)
            except (RefError, OSError):
                return None
            from floe_lint.load.paths import name_fetched

            name_fetched(path, str(ref))  # a replayed finding in it is named as the ref
            self._oci[text] = self._used(text)
        return self._oci[text]

    def _used(self, text: str) -> OciKey | None:
        return depends.oci_used(self.fetch, text)

    # -- planning ------------------------------------------------------------------------

    def plan(self, found: Sequence[tuple[Path | str, bool]]) -> None:
        self.store.load()
        # (no Paths, and no tuple per file: the engine's are dropped as their groups are checked)
        self.found = _compact(found)
        for path, explicit in found:
            self.explicit[self.key(path)] = explicit
        linked = self._linked(found)
        self.set_hash = cache.digest(repr((sorted(self.explicit.items()), linked)).encode())

    def _linked(self, found: Sequence[tuple[Path | str, bool]]) -> list[str]:
        """The files found under a path that is not their own (through a symbolic link), each
        with it: a file read from there resolves its relative refs, and lists the files beside
        it, from there, so its findings are those of this set of paths only. Looked for among
        the files named and, when the walk met a link, among those it found."""
        walked = self.workspace.listed.links_met
        return sorted(
            f"{path}\t{key}"
            for path, explicit in found
            if (explicit or walked) and os.path.abspath(path) != (key := self.key(path))
        )

    def replayable(self, path: Path | str) -> bool:
        try:
            key = self.key(path)
        except (OSError, RuntimeError):
            return False
        known = self._valid.get(key)
        valid = known if known is not None else self._is_valid(key, set())
        return valid and self._checked_as(path, key)

    def _checked_as(self, path: Path | str, key: str) -> bool:
        """Whether a named file's entry was made for it under this path: the per-environment
        files it noted (`ov`) are those beside the path it was checked as, and another path to
        the same file (a symbolic link to it, or the file a link named) has others beside it."""
        noted = self._as.get(key, _NOT_NOTED)
        return noted is _NOT_NOTED or noted == str(path)

    def _is_valid(self, key: str, visiting: set[str]) -> bool:
        known = self._valid.get(key)
        if known is not None:
            return known
        if key in visiting:
            return False
        entry = self.store.entries.get(key)
        if entry is None:
            return False  # (not noted: every file of a first run)
        visiting.add(key)
        valid = self._valid[key] = (found := self._entry_holds(entry, key, visiting)) is not None
        if found is not None:  # replayed: its bytes are read again only if a report needs them
            self._raw.pop(key, None)
            self.standing.note(key, entry, found)  # (its line is not read again)
            noted = entry.get("ov")
            if isinstance(noted, list) and noted:
                self._as[key] = noted[0]  # (`_checked_as`: the entry is not read again)
        else:  # checked again: asked about again when it is (its local findings, its parse)
            self.store.entries.hold(key, entry)
        return valid

    def _entry_holds(self, entry: Any, key: str, visiting: set[str]) -> list[Finding] | None:
        """An entry's findings (`cache.stored_findings`) if it still stands for the file `key`
        (every input the same), else None; asked once per file of a run: plain loops."""
        found = cache.stored_findings(entry)
        if found is None or entry.get("set") != self.set_hash:
            return None
        h = entry.get("h")
        if h is None or h != self.hash(key) or entry.get("x") != self.explicit.get(key, False):
            return None
        if entry.get("all") is not None and entry.get("all") != self.all_hash():
            return None
        for dep, value in entry.get("deps", {}).items():
            if self.hash(dep) != value or (value is None and not self._nothing_at(dep)):
                return None  # (a file unread, None too: a folder or a FIFO where none was)
        for ref, value in entry.get("oci", {}).items():
            if self.oci_now(ref) != value:
                return None
        for link in entry.get("links", ()):
            if not self._leads_there(link):
                return None
        if "ov" in entry and not links.same_overlays(entry["ov"]):
            return None
        return found if all(self._is_valid(r, visiting) for r in entry.get("reach", ())) else None

    def local_findings(self, key: str) -> dict[str, Any] | None:
        """The stored local findings of a file (floe_lint.lint.local), when its content and
        whether it was named are what they were."""
        entry = self.store.entries.get(key)
        if not (isinstance(entry, dict) and isinstance(entry.get("loc"), dict)):
            return None
        h = entry.get("h")
        if h is None or h != self.hash(key) or entry.get("x") != self.explicit.get(key, False):
            return None
        loc: dict[str, Any] = entry["loc"]
        return loc

    def holds_manifest(self, path: Path) -> bool:
        """Whether a replayable file holds a manifest document (it has dependents)."""
        return self.key(path) in self.standing.manifests

    def replay(self, path: Path, reached: bool = False) -> list[Finding]:
        """Put a replayable file (and the files its hierarchy `reached`) in the workspace;
        return its stored findings."""
        key = self.key(path)
        if key in self.replayed:
            return []
        self.replayed.add(key)
        self.standing.outside |= not reached and key not in self.explicit
        ready = self.standing.take(key)
        digest, marks = self._hash[key], self._marks.get(key, 0)
        assert ready is not None and digest is not None  # valid: read, and its hash matched
        self.workspace.replay(path, digest, marks, ready.reported, ready.expected)
        self.parses.replayed(key, ready.parsed)
        findings = list(ready.found)
        self.strict.extend(Path(p) for p in ready.strict)
        for other in ready.reach:
            findings.extend(self.replay(Path(other), True))
        return findings

    # -- parses (floe_lint.lint.parsed) ---------------------------------------------------

    def servable(self, path: Path | str) -> bool:
        """Whether checking `path` (a `Path`, or a walk's name) builds it from a kept parse (it
        need not be parsed)."""
        try:
            return self.parses.stored(path, self.key(path)) is not None
        except (OSError, RuntimeError):
            return False

    def serve(self, path: Path, key: Path) -> SourceFile | None:
        """The file at `path` built from its kept parse, when its content is the same."""
        return self.parses.serve(path, str(key))

    def fresh_parse(self, path: Path, key: Path, source: SourceFile) -> None:
        """`source` was just parsed from disk (`parsed.Parses.fresh`)."""
        self.parses.fresh(path, str(key), source)

    # -- recording -----------------------------------------------------------------------

    def forget_notes(self) -> None:
        """Drop what `note` noted: the run starts its rules over, holding every file."""
        self._noted.clear()

    @property
    def spilled(self) -> spill.Summary | None:
        """What the entries `settle` made depend on (for floe_lint.lint.whole), or None."""
        return self.spill.summary if self.complete else None

    def keep(self, source: SourceFile, facts: Facts | None) -> None:
        """What `record` stores of a file's hierarchy (`facts`), noted: the file was released
        (floe_lint.lint.stream), and its products' models with it."""
        key = self.key(source.path)
        if key not in self.replayed:
            self._noted[key] = facts

    def facts(
        self,
        source: SourceFile,
        hierarchy: Hierarchy,
        overlays: Callable[[Document], Iterable[Document]],
    ) -> Facts | None:
        """What a file's entry records of its hierarchy (see `depends.dependencies`)."""
        overrides = hierarchy.resolver.overrides
        return self._dependencies(source.documents, hierarchy, overlays, overrides)

    def settle(
        self, key: str, source: SourceFile, facts: Facts | None, expected: bool, local: Any
    ) -> None:
        """The entry of a file a streamed run checked, released and retired, made now and
        written out (`spill`), but for its findings, strict platforms and kept parse, which
        `record` puts in (see floe_lint.lint.spill). `facts`: what `facts` said before it was
        released; `expected`: whether it must hold a Floe document; `local`: the run's
        floe_lint.lint.local.Local (its findings of the file's local rules are taken)."""
        loc = local.settle(key) if local is not None else None
        if key in self.replayed:
            return
        if parsed.moved([(key, source)], self._raw, self._hash):
            self._moved.add(key)  # saved again since parsed: not stored
            self.complete = False
            return
        self._raw.pop(key, None)  # (told: the end of the run need not keep its bytes)
        if facts is None:
            self.complete = False
            return
        entry = file_entry(self, key, source, facts, True, expected, loc)
        if not self.side.settled(entry["deps"], self._hash):
            self.complete = False
            return
        self.spill.add(key, cache.entry_line(key, entry))

    def _keep_parse(self, key: str, entry: dict[str, Any]) -> None:
        """Note in `entry` that its file's parse is kept (`parsed.Parses.keep`), in its place."""
        beside = entry.pop("ov", None)
        self.parses.keep(key, entry)
        if beside is not None:
            entry["ov"] = beside

    def record(
        self,
        hierarchy: Hierarchy,
        owners: dict[str, list[Finding]],
        overlays: Callable[[Document], Iterable[Document]],
        strict: Sequence[Path],
        overrides: Collection[str] = (),
        local: Mapping[str, dict[str, Any]] | None = None,
    ) -> None:
        """Store an entry for every file of the run that was checked and can be replayed:
        those held to the end, and those `settle` wrote out. `strict`: the files a strict
        platform governs (mandatory rules), noted per file; `overrides`: every ref the run's
        resolver maps to a local file; `local`: the raw findings of local rules per file
        (floe_lint.lint.local)."""
        if not self.stored:
            return self.spill.close()
        governed: dict[str, list[str]] = {}
        for path in strict:
            governed.setdefault(self.key(path), []).append(str(path))
        fresh = False
        checked = self._checked(hierarchy, overlays, overrides)
        # (after: a file loaded while the facts were gathered is among those loaded)
        moved = parsed.moved(self.workspace.loaded(), self._raw, self._hash) | self._moved
        moved |= self.side.moved(self._hash)  # (floe.lock: no parse read it)
        self.complete = self.complete and not moved  # saved again since parsed: not stored
        for key, source, facts in checked:
            if key in moved:
                continue
            if facts is None:
                self.complete = False
                continue
            if not moved.isdisjoint(facts[0]) or not moved.isdisjoint(facts[1]):
                continue
            fresh = True
            self.store.written[key] = entry = file_entry(
                self,
                key,
                source,
                facts,
                self.workspace.is_reported(source.path),
                self.workspace.is_expected(source.path),
                (local or {}).get(key),
                owners.get(key),
                governed.get(key),
            )
            self._keep_parse(key, entry)
        kept = self.parses.parses
        settled = self.spill.merged(owners, governed, moved, self.complete, kept, self._keep_parse)
        written, entries = self.store.written, self.store.entries
        if (
            fresh
            or self.spill.count
            or len(written) != len(entries)
            or any(key not in entries for key in written)
        ):
            # (else every entry was replayed: the store stays as it is)
            self.store.save(settled if self.spill.count else None)
        self.parses.save()
        self.spill.close()

    def _checked(
        self,
        hierarchy: Hierarchy,
        overlays: Callable[[Document], Iterable[Document]],
        overrides: Collection[str],
    ) -> list[tuple[str, SourceFile, Facts | None]]:
        """Each file the run checked and can store, with its facts (`depends.dependencies`).
        Gathering them may load files (a hierarchy that no rule resolved, or one forgotten by
        a stream that stopped, resolved again): the workspace is listed again until no file is
        new, never changed while it is iterated, and a file loaded meanwhile is stored too."""
        checked: list[tuple[str, SourceFile, Facts | None]] = []
        seen: set[str] = set()
        while fresh := [(k, s) for k, s in self.workspace.loaded() if k not in seen]:
            for key, source in fresh:
                seen.add(key)
                if key in self.replayed or not (
                    key in self.explicit or self.workspace.is_reported(source.path)
                ):
                    continue
                facts = (
                    self._noted.pop(key)
                    if key in self._noted
                    else self._dependencies(source.documents, hierarchy, overlays, overrides)
                )
                checked.append((key, source, facts))
        return checked

    def _dependencies(
        self,
        documents: Iterable[Document],
        hierarchy: Hierarchy,
        overlays: Callable[[Document], Iterable[Document]],
        overrides: Collection[str],
    ) -> Facts | None:
        found = (documents, hierarchy, overlays, overrides, self.key, self.lock_key)
        return depends.dependencies(*found, self._overridden, self._used)
