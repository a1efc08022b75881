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
from floe_lint.lint import cache, links, parsed
from floe_lint.lint.side import SideFiles
from floe_lint.load.bounded import read_bounded
from floe_lint.load.document import ENV_VARIANT, Document, SourceFile
from floe_lint.load.workspace import Workspace
from floe_lint.model.hierarchy import Hierarchy
from floe_lint.model.level import Level
from floe_lint.model.product import Product
from floe_lint.model.refs import OciFetcher, RefError, Resolver, is_oci, parse_oci

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_LOCK_NAME = "floe.lock"
#: what an `oci://` ref of a file's hierarchy stands for in a run: [the digest it resolved to,
#: what its tag points to now when a floe.lock served it (None otherwise)]
OciKey = list[str | None]


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
        #: the files the run found, as discovery named them
        self.found: list[tuple[Path, bool]] = []
        #: whether every input of the run is known: each file it checked was stored, and no
        #: dependents search read other files (floe_lint.lint.whole stores such a run whole)
        self.complete = True
        self._raw: dict[str, bytes | None] = {}
        #: what `note` noted of released files, by key
        self._noted: dict[str, Any] = {}
        self._hash: dict[str, str | None] = {}
        self._valid: dict[str, bool] = {}
        self.explicit: dict[str, bool] = {}
        self.set_hash = ""
        self._all_hash: str | None = None
        self.replayed: set[str] = set()
        #: the replayed files that a strict platform governs (see engine's Control)
        self.strict: list[Path] = []
        self._keys: dict[Path, str] = {}
        #: the parses kept across runs (`floe_lint.lint.parsed`)
        self.parses = parsed.Parses(store, self.hash, self._raw)
        #: the files rules read beside the documents (floe.lock), keyed as they were read
        self.side = SideFiles()

    # -- hashes --------------------------------------------------------------------------

    def key(self, path: Path) -> str:
        text = self._keys.get(path)
        if text is None:
            text = self._keys[path] = str(self.workspace.key(path))
        return text

    def _path_key(self, path: Path) -> str:
        return str(self.workspace.key(path))

    def _leads_there(self, link: object) -> bool:
        return links.leads_there(link, self._path_key, self._links)

    def _overridden(self, text: str) -> bool:
        """Whether the config's `refs` or `--ref` map the `oci://` ref `text` to a local file."""
        return text in self.overrides or _canonical(text) in self.overrides

    def owner(self, subject: Any) -> str:
        """The file a rule's subject comes from (its findings are stored with that file)."""
        doc = getattr(subject, "doc", None)
        path = doc.path if doc is not None else subject.path
        return self.key(path if isinstance(path, Path) else Path(path))

    def raw(self, key: str) -> bytes | None:
        if key not in self._raw:
            self._raw[key] = read_bounded(key)  # None: absent (a floe.lock), or not readable
        return self._raw[key]

    def hash(self, key: str) -> str | None:
        if key not in self._hash:
            if key not in self.store.entries and self.workspace.listed.absent(key) is True:
                self._hash[key] = None  # not in its folder as the run's walk listed it (most
                return None  # floe.lock files): what reading it would say, without a system call
            # the bytes are kept only for a file the store may replay (its LazySourceFile)
            raw = self.raw(key) if key in self.store.entries else read_bounded(key)
            self._hash[key] = None if raw is None else cache.digest(raw)
        return self._hash[key]

    def side_text(self, path: Path) -> str | None:
        """A floe.lock's text as a rule of this run reads it (see `floe_lint.lint.side`)."""
        return self.side.text(self.key(path), self._hash)

    def all_hash(self) -> str:
        """Every found file's content: what a manifest's replay depends on."""
        if self._all_hash is None:
            self._all_hash = cache.digest(
                repr(sorted((k, self.hash(k)) for k in self.explicit)).encode()
            )
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
        """The key of an `oci://` ref that the run's fetcher resolved (see `OciKey`)."""
        try:
            ref = parse_oci(text)
        except RefError:
            return None
        key = str(ref)
        resolved = getattr(self.fetch, "resolved", None)
        used = resolved.get(key) if isinstance(resolved, dict) else None
        if not isinstance(used, str):
            return None
        current = None
        locks = getattr(self.fetch, "locks", {})
        ask = getattr(self.fetch, "current_digest", None)
        if ref.digest is None and key in locks and callable(ask):
            current = ask(ref)  # a lock served the digest; the lock rule compares the tag's
        return [used, current if isinstance(current, str) else None]

    # -- planning ------------------------------------------------------------------------

    def plan(self, found: Sequence[tuple[Path, bool]]) -> None:
        self.store.load()
        self.found = list(found)
        for path, explicit in found:
            self.explicit[self.key(path)] = explicit
        self.set_hash = cache.digest(repr((sorted(self.explicit.items()), self._linked())).encode())

    def _linked(self) -> list[str]:
        """The files found under a path that is not their own (through a symbolic link), each
        with it: a file read from there resolves its relative refs, and lists the files beside
        it, from there, so its findings are those of this set of paths only. Looked for among
        the files named and, when the walk met a link, among those it found."""
        walked = self.workspace.listed.links_met
        return sorted(
            f"{path}\t{key}"
            for path, explicit in self.found
            if (explicit or walked) and os.path.abspath(path) != (key := self.key(path))
        )

    def replayable(self, path: Path) -> bool:
        try:
            key = self.key(path)
        except (OSError, RuntimeError):
            return False
        known = self._valid.get(key)
        valid = known if known is not None else self._is_valid(key, set())
        return valid and self._checked_as(path, key)

    def _checked_as(self, path: Path, key: str) -> bool:
        """Whether a named file's entry was made for it under this path: the per-environment
        files it noted (`ov`) are those beside the path it was checked as, and another path to
        the same file (a symbolic link to it, or the file a link named) has others beside it."""
        noted = self.store.entries[key].get("ov")
        return not (isinstance(noted, list) and noted and noted[0] != str(path))

    def _is_valid(self, key: str, visiting: set[str]) -> bool:
        known = self._valid.get(key)
        if known is not None:
            return known
        if key in visiting:
            return False
        visiting.add(key)
        valid = self._entry_holds(self.store.entries.get(key), key, visiting)
        self._valid[key] = valid
        return valid

    def _entry_holds(self, entry: object, key: str, visiting: set[str]) -> bool:
        """Whether a stored entry still stands for the file `key` (every input the same); asked
        once per file of a run, so written as plain loops."""
        if not isinstance(entry, dict) or entry.get("set") != self.set_hash:
            return False
        h = entry.get("h")
        if h is None or h != self.hash(key) or entry.get("x") != self.explicit.get(key, False):
            return False
        if entry.get("all") is not None and entry.get("all") != self.all_hash():
            return False
        for dep, value in entry.get("deps", {}).items():
            if self.hash(dep) != value:
                return False
        for ref, value in entry.get("oci", {}).items():
            if self.oci_now(ref) != value:
                return False
        for link in entry.get("links", ()):
            if not self._leads_there(link):
                return False
        if "ov" in entry and not links.same_overlays(entry["ov"]):
            return False
        return all(self._is_valid(r, visiting) for r in entry.get("reach", ()))

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
        return bool(self.store.entries[self.key(path)].get("man"))

    def replay(self, path: Path) -> list[Finding]:
        """Put a replayable file (and the files its hierarchy reached) in the workspace;
        return its stored findings."""
        key = self.key(path)
        if key in self.replayed:
            return []
        self.replayed.add(key)
        entry = self.store.entries[key]
        raw = self.raw(key)
        assert raw is not None  # valid: its hash matched
        self.workspace.replay(path, raw, bool(entry.get("rep")), bool(entry.get("exp")))
        self.store.written[key] = entry
        stored = entry.get("f")
        findings = [cache.decode(f) for f in stored] if stored else []
        strict = entry.get("strict")
        if strict:
            self.strict.extend(Path(p) for p in strict)
        for reached in entry.get("reach", ()):
            findings.extend(self.replay(Path(reached)))
        return findings

    # -- parses (floe_lint.lint.parsed) ---------------------------------------------------

    def servable(self, path: Path) -> bool:
        """Whether checking `path` builds it from a kept parse (it need not be parsed)."""
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

    def note(
        self,
        source: SourceFile,
        hierarchy: Hierarchy,
        overlays: Callable[[Document], Iterable[Document]],
    ) -> None:
        """What `record` stores of a file's hierarchy, noted now: the file is about to be
        released (floe_lint.lint.stream), and its products' models with it."""
        key = self.key(source.path)
        if key not in self.replayed:
            overrides = hierarchy.resolver.overrides
            self._noted[key] = self._dependencies(source.documents, hierarchy, overlays, overrides)

    def record(
        self,
        hierarchy: Hierarchy,
        owners: dict[str, list[Finding]],
        overlays: Callable[[Document], Iterable[Document]],
        strict: Sequence[Path],
        overrides: Collection[str] = (),
        local: Mapping[str, dict[str, Any]] | None = None,
    ) -> None:
        """Store an entry for every file of the run that was checked and can be replayed.
        `strict`: the files a strict platform governs (mandatory rules), noted per file;
        `overrides`: every ref the run's resolver maps to a local file; `local`: the raw
        findings of local rules per file (floe_lint.lint.local)."""
        found = set(self.explicit)
        governed: dict[str, list[str]] = {}
        for path in strict:
            governed.setdefault(self.key(path), []).append(str(path))
        fresh = False
        self.parses.start(self.replayed)
        moved = parsed.moved(self.workspace.loaded(), self._raw, self._hash)
        moved |= self.side.moved(self._hash)  # (floe.lock: no parse read it)
        self.complete = self.complete and not moved  # saved again since parsed: not stored
        for key, source in self.workspace.loaded():
            if (
                key in self.replayed
                or key in moved
                or not (key in found or self.workspace.is_reported(source.path))
            ):
                continue
            facts = (
                self._noted.pop(key)
                if key in self._noted
                else self._dependencies(source.documents, hierarchy, overlays, overrides)
            )
            if facts is None:
                self.complete = False
                continue
            deps, reach, run_wide, refs, led = facts
            if not moved.isdisjoint(deps) or not moved.isdisjoint(reach):
                continue
            deps.discard(key)
            fresh = True
            self.store.written[key] = {
                "h": self.hash(key),
                "x": self.explicit.get(key, False),
                "rep": self.workspace.is_reported(source.path),
                "exp": self.workspace.is_expected(source.path),
                "set": self.set_hash,
                "all": self.all_hash() if run_wide else None,
                "deps": {dep: self.hash(dep) for dep in sorted(deps)},
                "reach": sorted(r for r in reach - found - {key} if self.hash(r) is not None),
                "f": [cache.encode(f) for f in owners.get(key, [])],
                "strict": governed.get(key, []),
                "man": any(d.kind == "manifest" for d in source.documents),
                "loc": (local or {}).get(key, {}),
            }
            if refs:
                self.store.written[key]["oci"] = refs
            if led:
                self.store.written[key]["links"] = led
            self.parses.keep(key, self.store.written[key])
            named = self.explicit.get(key) or self.exclusions
            if named and any(d.kind for d in source.documents):
                # not found by a walk (or one that excludes files): a new floe.prod.yaml beside
                # it changes no set of files found, so the names beside it are noted
                self.store.written[key]["ov"] = links.overlays_beside(source.path)
        self.parses.save()
        if fresh or self.store.written.keys() != self.store.entries.keys():
            self.store.save()  # else every entry was replayed: the store stays as it is

    def _dependencies(
        self,
        documents: Iterable[Document],
        hierarchy: Hierarchy,
        overlays: Callable[[Document], Iterable[Document]],
        overrides: Collection[str],
    ) -> tuple[set[str], set[str], bool, dict[str, OciKey], list[links.Link]] | None:
        """(files depended on, files of the hierarchy reached, whether the whole run counts,
        the key of each `oci://` ref of the hierarchy, the local refs that must still lead
        where they led: see `links`); None when the file must always be checked again."""
        deps: set[str] = set()
        reach: set[str] = set()
        run_wide = False
        refs: dict[str, OciKey] = {}
        led: list[links.Link] = []

        def follow(base: Path, text: object, target: Path) -> None:
            """Note where a local ref led, unless its text names its target directly."""
            if text is None:
                text = links.SIBLING
            elif not isinstance(text, str):
                return
            elif is_oci(text.strip()) and not self._overridden(text.strip()):
                return  # the digest it resolved to keys it
            link = links.note(base, text, self.key(target))
            if link is not None and link not in led:
                led.append(link)

        def keyed(text: object) -> bool:
            """Whether the ref `text` is keyed (a path by the content of what it reached)."""
            if not isinstance(text, str) or not is_oci(text.strip()):
                return True
            text = text.strip()
            if text in overrides or _canonical(text) in overrides:
                # a local stand-in: the config's and --ref's are in the run's key; one that the
                # dependents search made for this run only is not
                return text in self.overrides or _canonical(text) in self.overrides
            used = self._used(text)
            if used is not None:
                refs[text] = used
            return used is not None

        problem_docs = {id(p.doc) for p in hierarchy.problems}
        for doc in documents:
            if doc.kind is None:
                continue
            if ENV_VARIANT.match(doc.path.name):
                return None  # an overlay: checked with its base, every time
            deps.add(self.key(doc.path.parent / _LOCK_NAME))
            deps.update(self.key(d.path) for d in overlays(doc))
            chain: list[Level]
            if doc.kind == "floe":
                product = hierarchy.product(doc)
                if product.platform is None or product.unlinked:
                    return None  # a platform that may appear later, or a fallback
                if not keyed(_platform_ref(product, hierarchy)):
                    return None
                follow(doc.path, _platform_ref(product, hierarchy), product.platform.doc.path)
                chain = product.platform.chain()
                docs = [doc, *(level.doc for level in chain)]
            else:
                level = hierarchy.level(doc)
                chain = level.chain()
                docs = [level.doc for level in chain]
                run_wide = True  # its rules may consult which products and levels name it
            if any(id(d) in problem_docs for d in docs):
                return None
            for level in chain:
                if level.parent_status not in ("none", "resolved"):
                    return None
                if not keyed(level.ref_node.value):
                    return None
                if level.parent is not None:
                    follow(level.ref_node.doc.path, level.ref_node.value, level.parent.doc.path)
                reach.add(self.key(level.doc.path))
        deps |= reach
        return deps, reach, run_wide, refs, led


def _canonical(text: str) -> str:
    try:
        return str(parse_oci(text))
    except RefError:
        return text


def _platform_ref(product: Product, hierarchy: Hierarchy) -> object:
    """The ref a product's platform came from: its own, else `--manifest` (the config's)."""
    if product.platform_node.value is None and product.platform_optional:
        return hierarchy.manifest
    return product.platform_ref
