"""Findings of local rules across runs: a file whose content did not change keeps them even when
its hierarchy did.

A change to a manifest re-checks its dependents (floe_lint.lint.replay), but most of a product's
checks read the product alone: its syntax, its schema, the secrets written in it (the built-in
rules of `floe_lint.lint.shared.LOCAL_RULES`). Their raw findings (before the run stamps
severity and mandatory controls on them) are stored per file, per rule and per subject, with the
file's entry; a run that re-checks a file whose content hash is the stored one takes them from
the store instead of running those rules (so it need not validate the file, nor import
`jsonschema` for the messages). A built-in rule whose findings on a document depend on it and
its per-environment files alone (`WITH_OVERLAYS`: environment-override) is served the same way
when, besides, the files beside it that are its overlays are the same names with the same
content hashes as when it ran (noted under `OVERLAYS`), except on a manifest that names a
parent (`shared.WITH_PARENTS`: its findings read the parents too). Every other rule runs as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from floe_lint.findings import Finding
from floe_lint.lint import cache
from floe_lint.lint.context import overlay_files
from floe_lint.lint.shared import LOCAL_RULES, WITH_OVERLAYS
from floe_lint.load.document import Document, SourceFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.lint.registry import Rule
    from floe_lint.lint.replay import Replay


def is_local(rule: Rule) -> bool:
    """A built-in rule whose findings on a subject depend on that file or document alone."""
    return rule.id in LOCAL_RULES and str(rule.module).startswith("floe_lint.rules.")


def reads_overlays(rule: Rule) -> bool:
    """A built-in rule whose findings on a document depend on it and its overlays alone."""
    return rule.id in WITH_OVERLAYS and str(rule.module).startswith("floe_lint.rules.")


_OTHER, _LOCAL, _WITH_OVERLAYS = 0, 1, 2
#: the key of a file's local findings that holds its overlays when they ran: [[key, hash], ...]
OVERLAYS = "ovl"


#: the key of a file's local findings that lists the local rules run on it (each on all of its
#: subjects); the other keys are slots with findings (a slot of a rule run and absent: none)
RAN = "ran"


class Local:
    """One run's use of stored local findings; what it saw is stored with each file's entry:
    `{"ran": "FL001 FL101 ...", slot: [raw findings, encoded], ...}`, slots with findings only."""

    def __init__(self, replay: Replay):
        self.replay = replay
        #: file key -> the local rules run on it, in the order first run, and its slots with
        #: findings (encoded); `seen` writes them as stored
        self._ran: dict[str, dict[str, None]] = {}
        self._slots: dict[str, dict[str, Any]] = {}
        self.served = 0
        #: file key -> (its stored local findings, the rules they cover), looked up once
        self._stored: dict[str, tuple[dict[str, Any], frozenset[str]] | None] = {}
        #: id(subject) -> (its file's key, the end of its slots), for subjects alive: a streamed
        #: run drops it once a group's rules ran (`settle`), before any of them can be freed and
        #: its id() given to another object
        self._where: dict[int, tuple[str, str]] = {}
        #: file key -> its overlays and their hashes (see `_overlays`)
        self._overlay_files: dict[str, list[list[str | None]]] = {}
        #: id(rule) -> whether it is local (asked for every subject of every rule; the rules
        #: live as long as the run)
        self._local: dict[int, int] = {}

    @property
    def seen(self) -> dict[str, dict[str, Any]]:
        """File key -> `{RAN: the rules run, slot: encoded findings, ...}` (see the class)."""
        return {
            key: {RAN: " ".join(ran), **self._slots.get(key, {})} for key, ran in self._ran.items()
        }

    def settle(self, key: str) -> dict[str, Any] | None:
        """What `seen` would say of the file `key`, which a streamed run checked and retired,
        taken out of this run's tables (its entry is made now: floe_lint.lint.replay)."""
        self._stored.pop(key, None)
        self._overlay_files.pop(key, None)
        slots = self._slots.pop(key, {})
        ran = self._ran.pop(key, None)
        return None if ran is None else {RAN: " ".join(ran), **slots}

    def forget_subjects(self) -> None:
        """Drop what `findings` noted by subject (a streamed run's group was checked: its
        subjects may be freed, and their id()s reused)."""
        self._where.clear()

    def _overlays(self, key: str, path: Path) -> list[list[str | None]]:
        """The overlay files beside the file `key` (at `path`) with their content hashes."""
        found = self._overlay_files.get(key)
        if found is None:
            found = self._overlay_files[key] = [
                [self.replay.key(overlay), self.replay.hash(self.replay.key(overlay))]
                for overlay in overlay_files(path, self.replay.workspace.listed)
            ]
        return found

    def _stored_for(self, key: str) -> tuple[dict[str, Any], frozenset[str]] | None:
        if key not in self._stored:
            stored = self.replay.local_findings(key)
            ran = stored.get(RAN) if stored is not None else None
            self._stored[key] = (
                (stored, frozenset(ran.split()))
                if stored is not None and isinstance(ran, str)
                else None
            )
        return self._stored[key]

    def _kind(self, rule: Rule) -> int:
        kind = self._local.get(id(rule))
        if kind is None:
            kind = self._local[id(rule)] = (
                _LOCAL if is_local(rule) else _WITH_OVERLAYS if reads_overlays(rule) else _OTHER
            )
        return kind

    def handles(self, rule: Rule) -> bool:
        """Whether `findings` may serve (and stores) what `rule` finds; for any other rule it
        is `check()` itself, which a caller may as well call directly."""
        return self._kind(rule) != _OTHER

    def findings(
        self, rule: Rule, subject: Any, check: Callable[[], Iterable[Finding]]
    ) -> list[Finding]:
        """`check()`, or for a local rule on an unchanged file, what it found before."""
        kind = self._kind(rule)
        if kind == _OTHER or (kind == _WITH_OVERLAYS and not isinstance(subject, Document)):
            return list(check())
        where = self._where.get(id(subject))
        if where is None:  # the subject's file and which of its subjects it is, once
            where = self._where[id(subject)] = (
                self.replay.owner(subject),
                f"/{type(subject).__name__}/{_index(subject)}",
            )
        key = where[0]
        slot = rule.id + where[1]  # the rule and which subject of its file: "FL101/Document/0"
        stored = self._stored_for(key)
        servable = stored is not None and rule.id in stored[1]
        if kind == _WITH_OVERLAYS:
            overlays = self._overlays(key, subject.path)
            servable = servable and stored is not None and stored[0].get(OVERLAYS) == overlays
            slots = self._slots.get(key)
            if slots is None:
                slots = self._slots[key] = {}
            slots[OVERLAYS] = overlays
        served = None
        if servable:
            assert stored is not None
            encoded = stored[0].get(slot)
            served = (
                cache.decoded(encoded) if isinstance(encoded, list) else None if encoded else []
            )
        if served is not None:  # (a slot not of the shape a run writes: checked again)
            found = served
            self.served += 1
        else:
            found = list(check())
            encoded = [cache.encode(f) for f in found]
        ran = self._ran.get(key)
        if ran is None:
            ran = self._ran[key] = {}
        ran[rule.id] = None  # a dict: ordered, each rule once
        if encoded:
            slots = self._slots.get(key)
            if slots is None:
                slots = self._slots[key] = {}
            slots[slot] = encoded
        return found


def _index(subject: Any) -> int:
    """`getattr(subject, "index", -1)`, without the exception a file's `__getattr__` raises and
    `getattr` clears (a `SourceFile` has no index: once a file checked)."""
    return -1 if isinstance(subject, SourceFile) else getattr(subject, "index", -1)
