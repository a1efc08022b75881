"""Where each line of a cache file lies, by the hash of its key: a `dict` for a file of a few
thousand lines, two arrays of machine words beyond (issue 17: a `dict` of two `int` objects a
line took about 120 bytes a file for the store's index, and as much for the kept parses';
these take 16).

A file is indexed once, line by line (`add`), then `frozen`: a hash that two lines share kept
once as `SHARED` (neither line is found: their files are checked again). Up to `SMALL` lines the
index is the `dict` it was (a lookup there is ten times faster than a binary search, and a run
that checks a few files of a small tree, an edit's, asks of most lines: issue 17's edited-run
budget); beyond, the lines are sorted by hash and a lookup is a binary search (`bisect`, in C).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

#: two keys of a file whose hashes are the same (neither is found)
SHARED = -1
#: the lines indexed in a `dict`, at most (about 600 KB)
SMALL = 4096


class Places:
    """A map from a key's hash to its line's place (an int of at most 64 bits, or `SHARED`)."""

    __slots__ = ("_hashes", "_places", "_small")

    def __init__(self) -> None:
        self._small: dict[int, int] | None = {}
        self._hashes = array("q")
        self._places = array("q")

    def add(self, known: int, place: int) -> None:
        """Note the line of the key whose hash is `known` (before `frozen`)."""
        small = self._small
        if small is not None:
            small[known] = SHARED if known in small else place
            if len(small) > SMALL:  # (from here, in arrays: sorted when frozen)
                self._hashes.extend(small)
                self._places.extend(small.values())
                self._small = None
            return
        self._hashes.append(known)
        self._places.append(place)

    def frozen(self) -> Places:
        """These places, ready for lookups; a hash noted twice keeps `SHARED` once."""
        if self._small is not None:
            return self
        hashes, places = self._hashes, self._places
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        hashes = array("q", [hashes[i] for i in order])
        places = array("q", [places[i] for i in order])
        del order
        kept_hashes, kept_places = array("q"), array("q")
        last = None
        for known, place in zip(hashes, places, strict=True):
            if known == last:
                kept_places[-1] = SHARED
                continue
            kept_hashes.append(known)
            kept_places.append(place)
            last = known
        self._hashes, self._places = kept_hashes, kept_places
        return self

    def get(self, known: int) -> int | None:
        """The place noted for the hash `known` (`SHARED` when two lines have it), or None."""
        small = self._small
        if small is not None:
            return small.get(known)
        hashes = self._hashes
        at = bisect_left(hashes, known)
        if at < len(hashes) and hashes[at] == known:
            return self._places[at]
        return None

    def values(self) -> Iterator[int]:
        return iter(self._small.values() if self._small is not None else self._places)

    def __len__(self) -> int:
        return len(self._small) if self._small is not None else len(self._hashes)
