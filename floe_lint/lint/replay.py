"""A run with the result cache (see `floe_lint.lint.cache`): which files are replayed, and what
a checked file's entry records.

The engine asks `replayable` for each file it discovers; a replayed file enters the workspace
as a `LazySourceFile` (its text for suppression comments and reports, parsed only if a report
needs its documents) and contributes its stored findings instead of being checked. For every
file that was checked, `record` stores its subjects' findings with the hash of each file they
depended on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from floe_lint.findings import Finding
from floe_lint.lint import cache
from floe_lint.load.document import ENV_VARIANT, Document
from floe_lint.load.reading import ReadError, read_regular
from floe_lint.load.workspace import Workspace
from floe_lint.model.hierarchy import Hierarchy
from floe_lint.model.level import Level
from floe_lint.model.refs import is_oci

_LOCK_NAME = "floe.lock"


class Replay:
    """One run's use of a cache store."""

    def __init__(self, store: cache.Store, workspace: Workspace):
        self.store = store
        self.workspace = workspace
        self._raw: dict[str, bytes | None] = {}
        self._hash: dict[str, str | None] = {}
        self._valid: dict[str, bool] = {}
        self.explicit: dict[str, bool] = {}
        self.set_hash = ""
        self._all_hash: str | None = None
        self.replayed: set[str] = set()
        #: the replayed files that a strict platform governs (see engine's Control)
        self.strict: list[Path] = []
        self._keys: dict[Path, str] = {}

    # -- hashes --------------------------------------------------------------------------

    def key(self, path: Path) -> str:
        text = self._keys.get(path)
        if text is None:
            text = self._keys[path] = str(self.workspace.key(path))
        return text

    def owner(self, subject: Any) -> str:
        """The file a rule's subject comes from (its findings are stored with that file)."""
        doc = getattr(subject, "doc", None)
        return self.key(Path(doc.path if doc is not None else subject.path))

    def raw(self, key: str) -> bytes | None:
        if key not in self._raw:
            try:
                self._raw[key] = read_regular(key)
            except ReadError:
                self._raw[key] = None
        return self._raw[key]

    def hash(self, key: str) -> str | None:
        if key not in self._hash:
            raw = self.raw(key)
            self._hash[key] = None if raw is None else cache.digest(raw)
        return self._hash[key]

    def all_hash(self) -> str:
        """Every found file's content: what a manifest's replay depends on."""
        if self._all_hash is None:
            self._all_hash = cache.digest(
                repr(sorted((k, self.hash(k)) for k in self.explicit)).encode()
            )
        return self._all_hash

    # -- planning ------------------------------------------------------------------------

    def plan(self, found: Sequence[tuple[Path, bool]]) -> None:
        self.store.load()
        for path, explicit in found:
            self.explicit[self.key(path)] = explicit
        self.set_hash = cache.digest(repr(sorted(self.explicit.items())).encode())

    def replayable(self, path: Path) -> bool:
        try:
            key = self.key(path)
        except (OSError, RuntimeError):
            return False
        known = self._valid.get(key)
        return known if known is not None else self._is_valid(key, set())

    def _is_valid(self, key: str, visiting: set[str]) -> bool:
        known = self._valid.get(key)
        if known is not None:
            return known
        if key in visiting:
            return False
        visiting.add(key)
        entry = self.store.entries.get(key)
        valid = (
            isinstance(entry, dict)
            and entry.get("set") == self.set_hash
            and entry.get("h") is not None
            and entry.get("h") == self.hash(key)
            and entry.get("x") == self.explicit.get(key, False)
            and (entry.get("all") is None or entry.get("all") == self.all_hash())
            and all(self.hash(dep) == value for dep, value in entry.get("deps", {}).items())
            and all(self._is_valid(r, visiting) for r in entry.get("reach", []))
        )
        self._valid[key] = bool(valid)
        return bool(valid)

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
        findings = [cache.decode(f) for f in entry.get("f", [])]
        self.strict.extend(Path(p) for p in entry.get("strict", []))
        for reached in entry.get("reach", []):
            findings.extend(self.replay(Path(reached)))
        return findings

    # -- recording -----------------------------------------------------------------------

    def record(
        self,
        hierarchy: Hierarchy,
        owners: dict[str, list[Finding]],
        overlays: Callable[[Document], Iterable[Document]],
        strict: Sequence[Path],
    ) -> None:
        """Store an entry for every file of the run that was checked and can be replayed.
        `strict`: the files a strict platform governs (mandatory rules), noted per file."""
        found = set(self.explicit)
        governed: dict[str, list[str]] = {}
        for path in strict:
            governed.setdefault(self.key(path), []).append(str(path))
        fresh = False
        for key, source in self.workspace.loaded():
            if key in self.replayed or not (
                key in found or self.workspace.is_reported(source.path)
            ):
                continue
            facts = self._dependencies(source.documents, hierarchy, overlays)
            if facts is None:
                continue
            deps, reach, run_wide = facts
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
            }
        if fresh or self.store.written.keys() != self.store.entries.keys():
            self.store.save()  # else every entry was replayed: the store stays as it is

    def _dependencies(
        self,
        documents: Iterable[Document],
        hierarchy: Hierarchy,
        overlays: Callable[[Document], Iterable[Document]],
    ) -> tuple[set[str], set[str], bool] | None:
        """(files depended on, files of the hierarchy reached, whether the whole run counts);
        None when the file must always be checked again."""
        deps: set[str] = set()
        reach: set[str] = set()
        run_wide = False
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
                if product.platform_ref is not None and is_oci(product.platform_ref):
                    return None
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
                ref = level.ref_node.value
                if isinstance(ref, str) and is_oci(ref.strip()):
                    return None
                reach.add(self.key(level.doc.path))
        deps |= reach
        return deps, reach, run_wide
