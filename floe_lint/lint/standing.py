"""What the store entries that still stand leave for the rest of a run, taken once, when each is
found to stand (issue 17: a replayed entry's line was decoded three times a run, to tell that it
stands, to replay it and for the whole-run record, about a tenth of an edited run).

`Standing.note` keeps of such an entry only what its replay reads (whether its file is reported
and expected, the length of its kept parse and, when it has any, its stored findings, strict
platforms and the files it reached), notes whether it holds a manifest, and adds the files it
depends on to one table for the whole-run record (floe_lint.lint.whole); nothing else of the
entry stays, so a run holds a small int for most replayed files, not their entries.

A floe.lock noted absent beside the entry's own file (one a product: a string of about 110
bytes decoded from each entry, issue 17) is kept as that file's key, the run's own string, in
`locks`; `lock_path` spells it again when the record is written.

That table is the whole-run record's only when the entries that stood are the entries the run
replayed, each replayed from a file it found or one an entry it replayed reached (`exact`): an
entry can stand and not be replayed (its file checked under another path, or reached by an
entry that did not stand), and a file can be replayed without being found (the base of an
overlay given alone); then the record reads the entries again, as it did.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from floe_lint.lint.cache import AS_READ
from floe_lint.lint.parsed import PARSED
from floe_lint.record import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from typing import Any

    from floe_lint.findings import Finding

_REPORTED = 1
_EXPECTED = 2
_FLAGS = 2  # bits of the flags above; a compact note is flags | (parse length + 1) << _FLAGS
_LOCK = "floe.lock"


def lock_beside(key: str, dep: str) -> bool:
    """Whether `dep` is the floe.lock in the folder of the file `key`."""
    cut = key.rfind("/") + 1
    return len(dep) == cut + len(_LOCK) and dep.endswith(_LOCK) and dep.startswith(key[:cut])


def lock_path(key: str) -> str:
    """The floe.lock in the folder of the file `key` (`lock_beside`)."""
    return key[: key.rfind("/") + 1] + _LOCK


def add_deps(key: str, deps: dict[str, Any], into: dict[str, Any], locks: list[str]) -> None:
    """`into.update(deps)`, but for the floe.lock beside `key` noted absent: `key` is put in
    `locks` instead (see the module's docstring)."""
    for dep, value in deps.items():
        if value is None and lock_beside(key, dep):
            locks.append(key)
        else:
            into[dep] = value


class Ready(NamedTuple):
    """What replaying one entry reads of it."""

    reported: bool
    expected: bool
    parsed: int | None  # the length of its kept parse (floe_lint.lint.parsed), if noted
    found: Sequence[Finding]  # its stored findings, decoded once (`cache.stored_findings`)
    strict: Sequence[str]
    reach: Sequence[str]


class Standing:
    """The entries one run found to stand, by key, until each is replayed (`take`)."""

    def __init__(self) -> None:
        #: a compact int (flags and parse length) for most, a `Ready` when it has more
        self._ready: dict[str, int | Ready] = {}
        #: the keys of those holding a manifest (few: their question outlives the replay)
        self.manifests: set[str] = set()
        #: every file their entries depend on, with its content hash as noted, but for the
        #: floe.lock noted absent beside an entry's own file: that file's key is in `locks`
        self.deps: dict[str, Any] = {}
        self.locks: list[str] = []
        #: whether one of them depends on an `oci://` ref
        self.oci = False
        #: how many were noted
        self.count = 0
        #: whether a file was replayed that the run did not find (see `exact`)
        self.outside = False

    def note(self, key: str, entry: dict[str, Any], found: Sequence[Finding] = ()) -> None:
        """`entry`, of the file `key`, stands (it is well formed: `cache.well_formed`);
        `found`: its findings (`cache.stored_findings`), kept as such, not as their JSON."""
        self.count += 1
        flags = (_REPORTED if entry.get("rep") else 0) | (_EXPECTED if entry.get("exp") else 0)
        kept = entry.get(PARSED)
        length = kept[1] if type(kept) is list and len(kept) == 3 and type(kept[1]) is int else None
        strict, reach = entry.get("strict"), entry.get("reach")
        if found or strict or reach or (length is not None and length < 0):
            self._ready[key] = Ready(
                bool(flags & _REPORTED),
                bool(flags & _EXPECTED),
                length,
                found or (),
                strict or (),
                reach or (),
            )
        else:
            self._ready[key] = flags | (0 if length is None else length + 1) << _FLAGS
        if entry.get("man"):
            self.manifests.add(key)
        add_deps(key, entry.get("deps", {}), self.deps, self.locks)
        if entry.get("oci"):
            self.oci = True

    def take(self, key: str) -> Ready | None:
        """What replaying the entry of `key` reads (once: it is dropped), None if not noted."""
        ready = self._ready.pop(key, None)
        if not self._ready:
            self._ready = {}  # (a table emptied keeps its size: not to the end of the run)
        if ready is None or isinstance(ready, Ready):
            return ready
        length = (ready >> _FLAGS) - 1
        return Ready(
            bool(ready & _REPORTED),
            bool(ready & _EXPECTED),
            None if length < 0 else length,
            (),
            (),
            (),
        )

    def exact(self, replayed: int) -> bool:
        """Whether `deps` is what the entries of the `replayed` files replayed depend on."""
        return not self.outside and self.count == replayed


class Replayed(AbstractSet[str]):
    """The keys of the files a run replayed: those its store writes as read (`cache.AS_READ`
    in `Store.written`), not a set of their own beside that table (about 130 bytes a file for
    the whole run, issue 17)."""

    def __init__(self, written: dict[str, Any]) -> None:
        self._written = written
        self._count = 0

    def add(self, key: str) -> None:
        """`key` was replayed: its line is written as it was read."""
        if self._written.get(key) is not AS_READ:
            self._written[key] = AS_READ
            self._count += 1

    def __contains__(self, key: object) -> bool:
        return self._written.get(key) is AS_READ  # type: ignore[call-overload]

    def __iter__(self) -> Iterator[str]:
        return (key for key, entry in self._written.items() if entry is AS_READ)

    def __len__(self) -> int:
        return self._count

    @classmethod
    def _from_iterable(cls, keys: Iterable[str]) -> set[str]:
        """What `&`, `|` and `-` make: a set."""
        return set(keys)
