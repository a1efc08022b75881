"""Files that rules read beside the documents (a product's floe.lock), for the result cache.

No parse reads them, so `floe_lint.lint.parsed.moved` cannot tell that one was saved while a
run checked the files that depend on it. A rule reads such a file through the run's `Replay`
(`Workspace.side_text`), which reads it here: the file's hash in the run is that of the bytes
the rule got, so an entry never pairs findings with the hash of a version they did not come
from. A file the run had hashed as other bytes, that is there but cannot be read as text, or
whose content is another at the end of the run makes the entries that depend on it unstored.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from floe_lint.lint import cache
from floe_lint.load.bounded import read_bounded
from floe_lint.load.reading import utf8_text


class SideFiles:
    """The side files one run read, and those whose content it cannot vouch for."""

    def __init__(self) -> None:
        self.read: set[str] = set()
        self.unsure: set[str] = set()
        #: the path of the floe.lock last read as nothing there, unread (`text`'s `absent`)
        self.unread: object = None

    def text(self, key: str, hashes: dict[str, str | None], absent: bool = False) -> str | None:
        """The text of the file `key` (decoded as `lockfile.read` decodes it), its hash noted
        in the run's `hashes`; None when there is none (absent, or read by the caller).
        `absent`: the run's walk listed its folder without it, and the run keys it so (the
        result cache's hash of it is None, unread): nor is it read here, or again at the end
        (most products have no floe.lock: 4 system calls each, issue 17)."""
        if absent:
            return None
        self.read.add(key)
        raw = read_bounded(key)
        digest = None if raw is None else cache.digest(raw)
        if hashes.setdefault(key, digest) != digest:
            self.unsure.add(key)  # hashed as other bytes earlier in the run
        if raw is None:
            if os.path.lexists(key):
                self.unsure.add(key)  # there, but not as bytes the run can key
            return None
        try:
            return utf8_text(raw)  # (floe_lint.load.reading.read_text)
        except UnicodeDecodeError:
            self.unsure.add(key)
            return None

    def moved(self, hashes: dict[str, str | None]) -> set[str]:
        """The files read whose content is not what the run read (or which it could not key):
        each read again, at the end of the run."""
        found = set(self.unsure)
        for key in self.read - found:
            raw = read_bounded(key)
            if (None if raw is None else cache.digest(raw)) != hashes.get(key):
                found.add(key)
        return found

    def settled(self, deps: Iterable[str], hashes: dict[str, str | None]) -> bool:
        """Whether the files read among `deps` are what the run's rules read, told now for a
        file retired (floe_lint.lint.spill: the end of the run need not keep them, `moved`)."""
        for dep in deps:
            if dep in self.read:
                raw = read_bounded(dep)
                digest = None if raw is None else cache.digest(raw)
                if dep in self.unsure or digest != hashes.get(dep):
                    return False  # (kept: the end of the run finds it moved too)
                self.read.discard(dep)
                hashes.pop(dep, None)
        return True
