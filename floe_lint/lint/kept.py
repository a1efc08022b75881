"""The file of parses kept with a result-cache store (`results-KEY.parses`), read a line at a
time (issue 17: a run that builds a few files from it read it whole, up to 48 MB, and held a
copy of every line it kept while writing it again).

Loading the file notes only where each line lies, by the hash of its first field (an int per
line, as floe_lint.lint.lines does for the store); a line is read from the open file when asked
for, and a line kept as it was is copied from there when the file is written again. The file
stays open until then: a file another run renames over it meanwhile (written atomically) leaves
this run reading the one it opened.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from floe_lint.lint.places import SHARED as _SHARED
from floe_lint.lint.places import Places

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_OPEN = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
_OPEN |= getattr(os, "O_NONBLOCK", 0)
#: a line's place in the file: its offset times 2**32, plus its length
_SHIFT = 32
_CHUNK = 1 << 18  # (read and split at a time: a bounded part of a run's peak)
#: what `Kept` reads of its file at most: the parses a store holds (`parsed.MAX_STORED`, 48 MB)
#: with their keys, paths and hashes
MAX_FILE = 60 * 1024 * 1024


def text_field(text: str) -> str:
    """`json.dumps(text)`, without the encoder for a text it writes as it is (most paths)."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text)


def field(text: str) -> bytes:
    return text_field(text).encode()


class Kept:
    """The parses kept with a store, in a file of their own beside it (`results-KEY.parses`),
    so that a run reads them only when it builds a file from one, and the store (read by
    every run that replays a file) stays as small as it was.

    One line per file: its key and the path it was parsed under (each as JSON text), its
    content hash, and its parse as `encoded` made it, separated by tabs (JSON text written
    ASCII holds no tab or line break). A parse is served only when its line names the key,
    the content hash of the bytes read now and the path asked for (`get`), so a line left by
    another run, or a file changed by hand, builds nothing wrong: at worst the file is parsed.
    """

    def __init__(self, store: Path, limit: int = MAX_FILE):
        self.path = store.with_suffix(".parses")
        self._limit = limit
        self._fd: int | None = None
        self._places: Places | None = None

    def _index(self) -> Places:
        """Where each line lies, by the hash of its first field; noted once, when first asked
        (a run builds a few of the files whose parses are kept)."""
        if self._places is None:
            self._places = Places()
            try:
                fd = os.open(self.path, _OPEN)
            except OSError:
                return self._places
            try:
                info = os.fstat(fd)
                if stat.S_ISREG(info.st_mode) and info.st_size <= self._limit:
                    self._places = _places(fd, info.st_size)
                    self._fd, fd = fd, -1
            except OSError:
                self._places = Places()
            finally:
                if fd >= 0:
                    os.close(fd)
        return self._places

    def _read(self, place: int) -> bytes | None:
        if self._fd is None or place == _SHARED:
            return None
        length = place & ((1 << _SHIFT) - 1)
        try:
            raw = os.pread(self._fd, length, place >> _SHIFT)
        except OSError:
            return None
        return raw if len(raw) == length else None

    def _line(self, first: bytes) -> bytes | None:
        """The line whose first field is `first`, read from the file."""
        place = self._index().get(hash(first))
        line = None if place is None else self._read(place)
        if line is None or not (line == first or line.startswith(first + b"\t")):
            return None
        return line

    def get(self, key: str, digest: str, path: str) -> str | None:
        """The parse kept of the file `key` with content hash `digest`, parsed as `path`."""
        line = self._line(field(key))
        if line is None:
            return None
        fields = line.split(b"\t", 3)
        if len(fields) != 4 or fields[1] != digest.encode() or fields[2] != field(path):
            return None
        try:
            return fields[3].decode("ascii")
        except UnicodeDecodeError:
            return None

    def save(
        self,
        fresh: Mapping[str, list[Any]],
        kept: Iterable[str],
        text: Callable[[Any], str | None] = str,
    ) -> None:
        """Write the lines of the `fresh` parses ([digest, path, what `text` reads the parse's
        JSON text from] by key) and those of the keys `kept` as they were read (copied from the
        file as it is written); any other line is dropped (a fresh one `text` cannot read)."""
        from floe_lint.safe_write import write_chunks

        # by key: the same file whatever order the run parsed its files in
        lines: dict[str, str | list[Any]] = {}
        for key in kept:
            lines[text_field(key)] = key
        for key, parse in fresh.items():
            lines[text_field(key)] = parse
        try:
            write_chunks(self.path, self._chunks(sorted(lines.items()), text))
        except OSError:
            return  # a read-only home or a full disk: the run's output is unaffected
        finally:
            self.close()

    def _chunks(
        self, lines: list[tuple[str, str | list[Any]]], text: Callable[[Any], str | None]
    ) -> Iterator[str]:
        """Each line, by its key's field: a fresh parse's made ([digest, path, its text as
        `text` reads it]), a kept one's (its key) as it is read."""
        for first, line in lines:
            if type(line) is list:
                digest, path, held = line
                made = text(held)
                if made is not None:
                    yield f"{first}\t{digest}\t{text_field(path)}\t{made}\n"
            else:
                read = self._line(first.encode())
                if read is not None and read.isascii():
                    yield read.decode("ascii") + "\n"

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.close()


def _places(fd: int, size: int) -> Places:
    """Each line's place (`_SHIFT`) by the hash of its first field, read a chunk at a time."""
    places = Places()
    at, rest = 0, b""
    while at < size:
        chunk = os.pread(fd, min(_CHUNK, size - at), at)
        if not chunk:
            break
        start = at - len(rest)
        buffer = rest + chunk if rest else chunk
        at += len(chunk)
        lines = buffer.split(b"\n")
        rest = lines.pop() if at < size else b""
        for line in lines:
            _note(places, line, start)
            start += len(line) + 1
    return places.frozen()


def _note(places: Places, line: bytes, start: int) -> None:
    length = len(line)
    if not line or length >= 1 << _SHIFT:
        return
    tab = line.find(b"\t")
    places.add(hash(line if tab < 0 else line[:tab]), start << _SHIFT | length)
