"""Checking a tree group by group, so that memory does not grow with it (issue 17).

A run that holds every file's documents until its report needs about 20 KB per file. Here the
files are parsed a group at a time (in worker processes for large trees, a few chunks ahead:
`bulk.load_groups`); each group's products are resolved, the rules that read one file, one
document or one product run on them, and then each file is released (`SourceFile.release`):
its text, data and spans are dropped, and only what later stages read stays (the documents'
kinds and dialects, the loader's problems, the platform of each product, whether it holds a
suppression comment). What reads a released file later (an excerpt of a report, a fix) gets it
parsed again, the same, from disk.

Files holding a manifest are not released: manifests are few, the products of every group
read them, and their own rules run last (whether a product names a level is a question about
the whole run). The engine then runs, as before, every rule on what the groups left
(`Stream.done` says which files they checked). The output is the same as a run that holds
everything: each rule's findings on each subject do not depend on when it ran, the engine
sorts them all in one order, and the mandatory controls, which need the whole run's strict
platforms, are applied to the held findings at the end.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path

from floe_lint.findings import Finding
from floe_lint.lint.applicable import Applicable
from floe_lint.load import bulk
from floe_lint.load.kinds import ENV_VARIANT, holds_manifest
from floe_lint.load.paths import made as made_path
from floe_lint.load.paths import order
from floe_lint.model.enforcement import is_strict

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.lint.context import Context
    from floe_lint.lint.local import Local
    from floe_lint.lint.registry import Rule, Subject
    from floe_lint.lint.replay import Replay
    from floe_lint.load.document import SourceFile
    from floe_lint.load.workspace import Workspace
    from floe_lint.model.hierarchy import Hierarchy

    Check = Callable[[Rule, Any], Iterable[Finding]]
    Stamp = Callable[[Rule, Iterator[Finding]], Iterable[Finding]]

#: files of one group, at least: the group then runs to the end of its folder, so a file's
#: per-environment overlays (its siblings) are checked while it is held
GROUP = 256


def groups(
    found: Sequence[tuple[Path | str, bool]], size: int | None = None
) -> list[list[tuple[Path | str, bool]]]:
    """`found` cut into consecutive groups of `size` (GROUP) files or more, each ending where
    the folder changes (a file given as text: `discover_names`)."""
    size = GROUP if size is None else size
    cut: list[list[tuple[Path | str, bool]]] = []
    current: list[tuple[Path | str, bool]] = []
    for item in found:
        if len(current) >= size and _folder(item[0]) != _folder(current[-1][0]):
            cut.append(current)
            current = []
        current.append(item)
    if current:
        cut.append(current)
    return cut


def _folder(path: Path | str) -> Path | str:
    return path.rpartition("/")[0] if isinstance(path, str) else path.parent


class Stream:
    """The rules of single files, documents and products, run group by group (see above)."""

    def __init__(
        self,
        workspace: Workspace,
        hierarchy: Hierarchy,
        ctx: Context,
        rules: Sequence[Rule],
        checked: Check,
        replay: Replay | None = None,
        stamp: Stamp | None = None,
        through: Callable[[Rule], bool] | None = None,
        local: Local | None = None,
    ):
        self.workspace = workspace
        self.hierarchy = hierarchy
        self.ctx = ctx
        self.rules = rules
        #: the result cache's run: each file's findings are stored with it (`owner`), and what
        #: its entry records of the hierarchy is noted before the file is released
        self.replay = replay
        #: a rule's findings on a subject, stamped (the engine's `_checked`)
        self.checked = checked
        #: with it, a rule's `check` is called directly and only what it finds is stamped: the
        #: findings are those of `checked` (without the result cache's stored ones), at a
        #: fraction of the cost of a call that finds nothing (most of them)
        self.stamp = stamp
        #: the rules that go through `checked` even so: those whose findings the result cache
        #: stores (floe_lint.lint.local); None: none
        self.through = through
        #: the result cache's local findings (floe_lint.lint.local): a retired file's are taken
        #: into its entry
        self.local = local
        #: keys of the files checked here and not retired, as text (`is_done`)
        self.done: set[str] = set()
        #: whether a released file is then kept by its key's text alone (`Workspace.retire`):
        #: in a run that goes to its end (no `stops`); with the result cache, its entry is then
        #: made and written out (`Replay.settle`)
        self.retire = False
        #: (finding, its rule's own severity, the file the result cache stores it with): the
        #: mandatory controls are applied at the end
        self.findings: list[tuple[Finding, str, str | None]] = []
        #: the products here that a strict platform governs
        self.strict: list[Path] = []
        #: files released (for tests and the benchmarks)
        self.released = 0
        #: the group's paths made from names given as text, with those names (`run`)
        self.names: dict[Path, str] = {}

    def run(
        self,
        found: list[tuple[Path, bool]] | list[tuple[Path | str, bool]],
        add: Callable[[Path, bool], None],
        variant_base: Callable[[Path], Path | None],
        jobs: Callable[[int], int],
        stops: Callable[[Path], bool] | None = None,
    ) -> int | None:
        """Load `found` group by group on `jobs(files to parse)` processes, `add` each file
        (and the base of an overlay) to the workspace, and check each group. A file the result
        cache replays is not parsed. With `stops`, a group holding a found file it says yes
        to (a manifest, whose dependents the run must search before any rule runs) is not
        checked: the run stops, and says how many of `found` it added (None: it checked them
        all).

        A file of `found` may be given as text (`discover_names`): its `Path` is made when its
        group comes. A run that goes to its end without the result cache (`retire`) takes
        `found` over: the list is emptied, and each group is dropped once checked, so that
        what stays of a file is what `Workspace.retire` keeps."""
        workspace = self.workspace
        self.retire = stops is None
        cut = groups(found)
        if self.retire:
            found.clear()
        empty = workspace.empty  # (then no file is loaded: no key is made up front)
        todo = [[p for p, _ in group if self._to_parse(p, empty)] for group in cut]
        workers = jobs(sum(map(len, todo)))
        # in one process, each file is parsed as it is added (Workspace.load); with more, this
        # one checks while the others parse (bulk.load_groups)
        loading = bulk.load_groups(todo, workers - 1) if workers > 1 else None
        added = 0
        try:
            for at, (group, given) in enumerate(zip(cut, todo, strict=True)):
                made: dict[str, Path] = {}  # the paths the parse made of names given as text
                if loading is not None:
                    sources = next(loading)
                    pairs = zip(given, sources, strict=True)
                    made = {n: source.path for n, source in pairs if isinstance(n, str)}
                    workspace.adopt([made[n] if isinstance(n, str) else n for n in given], sources)
                keys = []
                self.names = {}
                for name, explicit in group:
                    if isinstance(name, str):
                        path = made.get(name) or made_path(name)
                        self.names[path] = name
                    else:
                        path = name
                    add(path, explicit)
                    keys.append(workspace.key(path))
                    base = variant_base(path)
                    if base is not None:
                        add(base, False)
                        keys.append(workspace.key(base))
                added += len(group)
                if stops is not None and any(stops(_path(name)) for name, _ in group):
                    return added
                self.check(keys)
                if self.retire:
                    cut[at] = []
                    todo[at] = []
        finally:
            # the workers are reaped here, whatever happened: a generator left to be finalized
            # may sit in a reference cycle that the paused collector never frees (zombies)
            if loading is not None:
                loading.close()
        return None

    def _to_parse(self, name: Path | str, empty: bool) -> bool:
        """Whether a file of `found` is for the parse: not loaded yet (none is, when the
        workspace is `empty`), nor replayed or built by the result cache."""
        replay = self.replay
        if empty and replay is None:
            return True
        # (a file of a run that starts `empty` is not loaded: no key noted, no `Path` made; the
        # result cache asks of a walk's name as of its `Path`)
        if not empty and self.workspace.is_loaded(_path(name)):
            return False
        return replay is None or not (replay.replayable(name) or replay.servable(name))

    def check(self, keys: Iterable[Path]) -> None:
        """Resolve, check and release the reported files among `keys` that hold no manifest."""
        batch: list[SourceFile] = []
        batch_keys: list[Path] = []
        replayed: list[Path] = []  # (shelved once the group is checked: `_shelve`)
        for key in sorted(set(keys), key=order):
            source = self.workspace.reported.get(key)
            if source is None or self.is_done(key):
                continue
            if key in self.workspace.replayed:
                replayed.append(key)
                continue
            if holds_manifest(source):
                continue  # held for the end (see the module's docstring)
            self.done.add(self.workspace.text_of(key, source.path))
            batch.append(source)
            batch_keys.append(key)
        subjects: dict[Subject, list[Any]] = {
            "file": batch,
            "document": [],
            "product": [],
            "manifest": [],
            "suppression": [],
            "control": [],
        }
        for source in batch:
            for doc in source.documents:
                if ENV_VARIANT.match(doc.path.name) is not None:
                    continue
                if doc.kind:
                    subjects["document"].append(doc)
                if doc.kind == "floe":
                    product = self.hierarchy.product(doc)
                    subjects["product"].append(product)
                    if is_strict(product.platform):
                        self.strict.append(doc.path)
        replay, stamp, ctx, findings = self.replay, self.stamp, self.ctx, self.findings
        applicable = Applicable(subjects)  # (a rule that can find nothing is not imported)
        through = self.through
        for rule in self.rules:
            targets = applicable.targets(rule)
            if not targets:
                continue
            if stamp is None or (through is not None and through(rule)):
                for subject in targets:
                    produced = list(self.checked(rule, subject))
                    if produced:  # most subjects: none, and no owner to look up
                        owner = replay.owner(subject) if replay is not None else None
                        findings.extend((f, rule.severity, owner) for f in produced)
                continue
            check = rule.check
            for subject in targets:
                found = iter(check(subject, ctx))
                first = next(found, _END)
                if first is _END:  # (not None: a rule's None, stamped, stops the run)
                    continue
                owner = replay.owner(subject) if replay is not None else None
                stamped = stamp(rule, chain((first,), found))
                findings.extend((f, rule.severity, owner) for f in stamped)
        del subjects, applicable
        if self.local is not None:
            self.local.forget_subjects()
        workspace, overlays = self.workspace, self.ctx.environment_overlays
        for key, source in zip(batch_keys, batch, strict=True):
            facts = None
            if replay is not None:
                facts = replay.facts(source, self.hierarchy, overlays)
            for doc in source.documents:
                self.ctx.forget(doc)
                self.hierarchy.forget(doc)
            retired = False
            if source.release():
                self.released += 1
                given = self.names.get(source.path)
                expected = replay is not None and workspace.is_expected(source.path)
                if self.retire and workspace.retire(key, source, given):
                    retired = True
                    text = workspace.text_of(key, source.path)  # (the walk's string, shared)
                    self.done.discard(text)  # (`is_done`: the workspace knows it)
                    if replay is not None:
                        replay.settle(text, source, facts, expected, self.local)
                    # its folder is done (a group ends with its folder): what the walk listed
                    # there is not kept for a late reader, who lists it again
                    folder = _parent(given or os.fspath(source.path))
                    workspace.listed.forget(folder, text.rpartition("/")[0] or "/")
            if replay is not None and not retired:
                replay.keep(source, facts)  # (its entry is made at the end: `Replay.record`)
        if self.retire:
            self._shelve(replayed)

    def _shelve(self, keys: list[Path]) -> None:
        """Keep the replayed files of a group checked by text alone (`Workspace.shelve`), and
        forget what the walk listed in their folders, as for a file retired."""
        workspace = self.workspace
        for key in keys:
            source = workspace.reported[key]
            path = source.path
            given = self.names.get(path)
            if workspace.shelve(key, given):
                text = workspace.text_of(key, path)
                folder = _parent(given or os.fspath(path))
                workspace.listed.forget(folder, text.rpartition("/")[0] or "/")

    def is_done(self, key: Path) -> bool:
        """Whether the file of `key` was checked here (the engine leaves it out)."""
        text = str(key)
        return text in self.done or self.workspace.was_retired(text)


def _parent(name: str) -> str:
    """`str(Path(name).parent)` for a name as the walk spells it."""
    head, slash, _ = name.rpartition("/")
    return head or ("/" if slash else ".")


def _path(path: Path | str) -> Path:
    return Path(path) if isinstance(path, str) else path


_END: Any = object()  # the end of a rule's findings (`Stream.check`)
