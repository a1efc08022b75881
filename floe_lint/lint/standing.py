"""What the store entries that still stand leave for the rest of a run, taken once, when each is
found to stand (issue 17: a replayed entry's line was decoded three times a run, to tell that it
stands, to replay it and for the whole-run record, about a tenth of an edited run).

`Standing.note` keeps of such an entry only what its replay reads (whether its file is reported
and expected, the length of its kept parse and, when it has any, its stored findings, strict
platforms and the files it reached), notes whether it holds a manifest, and adds the files it
depends on to one table for the whole-run record (floe_lint.lint.whole); nothing else of the
entry stays, so a run holds a small int for most replayed files, not their entries.

That table is the whole-run record's only when the entries that stood are the entries the run
replayed, each replayed from a file it found or one an entry it replayed reached (`exact`): an
entry can stand and not be replayed (its file checked under another path, or reached by an
entry that did not stand), and a file can be replayed without being found (the base of an
overlay given alone); then the record reads the entries again, as it did.
"""

from __future__ import annotations

from floe_lint.lint.parsed import PARSED
from floe_lint.record import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

_REPORTED = 1
_EXPECTED = 2
_FLAGS = 2  # bits of the flags above; a compact note is flags | (parse length + 1) << _FLAGS


class Ready(NamedTuple):
    """What replaying one entry reads of it."""

    reported: bool
    expected: bool
    parsed: int | None  # the length of its kept parse (floe_lint.lint.parsed), if noted
    found: Sequence[dict[str, Any]]  # its stored findings, encoded
    strict: Sequence[str]
    reach: Sequence[str]


class Standing:
    """The entries one run found to stand, by key, until each is replayed (`take`)."""

    def __init__(self) -> None:
        #: a compact int (flags and parse length) for most, a `Ready` when it has more
        self._ready: dict[str, int | Ready] = {}
        #: the keys of those holding a manifest (few: their question outlives the replay)
        self.manifests: set[str] = set()
        #: every file their entries depend on, with its content hash as noted
        self.deps: dict[str, Any] = {}
        #: whether one of them depends on an `oci://` ref
        self.oci = False
        #: how many were noted
        self.count = 0
        #: whether a file was replayed that the run did not find (see `exact`)
        self.outside = False

    def note(self, key: str, entry: dict[str, Any]) -> None:
        """`entry`, of the file `key`, stands (it is well formed: `cache.well_formed`)."""
        self.count += 1
        flags = (_REPORTED if entry.get("rep") else 0) | (_EXPECTED if entry.get("exp") else 0)
        kept = entry.get(PARSED)
        length = kept[1] if type(kept) is list and len(kept) == 3 and type(kept[1]) is int else None
        found, strict, reach = entry.get("f"), entry.get("strict"), entry.get("reach")
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
        self.deps.update(entry.get("deps", {}))
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
