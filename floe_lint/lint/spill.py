"""The result cache's entries of files a streamed run retired, written out as they are made
(issue 17: memory with the cache on stays flat as a tree grows).

A run that holds its files builds each file's store entry at the end (`Replay.record`). A
streamed run retires each file once its rules ran (`floe_lint.lint.stream`); with the result
cache on, what the file's entry needs of it (what its hierarchy depends on, its local findings,
its parse to keep) is then made into the entry's line of the store at once (`Replay.settle`),
and that line is written to an anonymous temporary file in the cache folder (`Spill`), not kept
in memory. Only what the end of the run decides is left out: the findings stored with the file
(the mandatory controls are applied to a run's findings when every strict platform is known) and
which strict platforms govern it. When the store is saved, the lines are read back in key order,
those end facts put in, and each is written among the entries of the files held to the end:
the store is byte for byte what the same run holding every file writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path

from floe_lint.findings import Finding
from floe_lint.lint.cache import encode, entry_line
from floe_lint.lint.standing import add_deps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any

#: see `Spill.summary`
Summary = tuple[dict[str, str], dict[str, "str | None"], list[str], bool, list[str]]

#: the entry's keys whose values the end of the run gives (see the module's docstring)
FINDINGS, STRICT = "f", "strict"

_DECODER = json.JSONDecoder()
#: lines held in memory before they go to a file (a group's worth: a run of a few files, a
#: pre-commit hook's, makes none)
HELD = 256


def key_of(line: str) -> str:
    """The key a store line (`"key":{entry}`) starts with."""
    key, _ = _DECODER.raw_decode(line)
    if not isinstance(key, str):
        raise ValueError(line[:40])
    return key


def entry_of(line: str) -> tuple[str, dict[str, Any]]:
    """The key and entry of a store line."""
    decoded = json.loads("{" + line + "}")
    ((key, entry),) = decoded.items()
    entry.pop("#", None)  # (its seal: `entry_line` seals it again)
    return key, entry


class Spill:
    """Store lines written out as they are made, read back in key order (see the module)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._file: IO[bytes] | None = None
        #: the lines of a small run, held (no file made: `HELD`)
        self._held: list[str] = []
        #: whether a line could not be written (the lines are then not stored: their files
        #: are checked again by the next run)
        self.broken = False
        #: whether the lines came in key order (as a walk gives them, most trees): they are then
        #: read back as they lie, else sorted in memory
        self.in_order = True
        self._last = ""
        self.count = 0
        #: the keys of the lines added, as the run gave them (its own strings, not a copy per
        #: file decoded from each line: issue 17), each by itself (`merged` finds the run's
        #: string of a key it decoded)
        self.keys: dict[str, str] = {}
        #: what the lines `merged` gave depend on: (their keys, the files they depend on with
        #: their hashes, the files they reach, whether one has an `oci://` ref, the keys of
        #: those with a floe.lock noted absent beside them: `standing.add_deps`)
        self.summary: Summary | None = None

    def add(self, key: str, line: str) -> None:
        if self.broken:
            return
        if self._file is None and len(self._held) < HELD:
            self._held.append(line)
        else:
            try:
                if self._file is None:
                    import tempfile  # (only here: a small run, a pre-commit hook's, makes none)

                    self.folder.mkdir(parents=True, exist_ok=True)
                    # anonymous, readable by its owner alone, gone when closed or the run ends
                    self._file = tempfile.TemporaryFile(dir=self.folder)  # noqa: SIM115
                    self._file.writelines(held.encode("utf-8") + b"\n" for held in self._held)
                    self._held = []
                self._file.write(line.encode("utf-8") + b"\n")  # (JSON: no newline within)
            except OSError:
                self.broken = True
                return
        if key <= self._last:
            self.in_order = False
        self._last = key
        self.count += 1
        self.keys[key] = key

    def lines(self) -> Iterator[tuple[str, str]]:
        """(key, line) of every line added, by key; none when one could not be written."""
        file = self._file
        if self.broken:
            return
        read: Iterable[str] = self._held
        if file is not None:
            try:
                file.flush()
                file.seek(0)
            except OSError:
                self.broken = True
                return
            read = (raw.decode("utf-8").rstrip("\n") for raw in file)
        if self.in_order:
            for line in read:
                yield key_of(line), line
            return
        every = [(key_of(line), line) for line in read]
        every.sort(key=_first)
        yield from every

    def merged(
        self,
        owners: Mapping[str, list[Finding]],
        governed: Mapping[str, list[str]],
        moved: AbstractSet[str],
        whole: bool,
        parses: Collection[str],
        keep: Callable[[str, dict[str, Any]], None],
    ) -> Iterator[tuple[str, str]]:
        """The lines added, by key, each with its file's findings (`owners`) and strict
        platforms (`governed`) put in; without those that depend on a file `moved` (saved again
        since parsed). `keep` notes in the entry of a file among `parses` that its parse is
        kept (floe_lint.lint.parsed). With `whole`, what they depend on is noted as they pass
        (`summary`, for floe_lint.lint.whole)."""
        keys = self.keys  # (less those left out below)
        deps: dict[str, str | None] = {}
        reach: list[str] = []
        locks: list[str] = []
        oci = False
        for key, line in self.lines():
            parsed = key in parses
            if not (whole or moved or parsed or key in owners or key in governed):
                yield key, line
                continue
            key, entry = entry_of(line)
            if moved and (key in moved or not moved.isdisjoint(entry["deps"])):
                keys.pop(key, None)
                continue
            if parsed or key in owners or key in governed:
                entry[FINDINGS] = [encode(f) for f in owners.get(key, ())]
                entry[STRICT] = governed.get(key, [])
                if parsed:
                    keep(key, entry)
                line = entry_line(key, entry)
            if whole:
                add_deps(keys.get(key, key), entry["deps"], deps, locks)
                reach.extend(entry["reach"])
                oci = oci or bool(entry.get("oci"))
            yield key, line
        if whole and not self.broken and keys:
            self.summary = (keys, deps, reach, oci, locks)

    def close(self) -> None:
        self._held = []
        self.keys = {}
        if self._file is not None:
            self._file.close()
            self._file = None


def _first(pair: tuple[str, str]) -> str:
    return pair[0]
