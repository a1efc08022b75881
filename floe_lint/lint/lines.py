"""The result cache's store read a line at a time (issue 17: a run that checked a few files and
replayed the rest read the whole store into memory, 315 MB at 30,000 products).

The store holds an entry per line, by key (floe_lint.lint.cache.Store). Loading it notes only
where each line lies, by the hash of its key (`Lines`: an int or two per file, not the entry);
an entry is read from the open file and decoded when asked for, and a line replayed as read is
copied from there when the store is saved. The file stays open for the run: a store another
run renames over it meanwhile (written atomically) leaves this run reading the one it opened.
A line that does not start with the key asked for, is not JSON, or whose seal (the CRC-32 of
its own text, the entry's last member: `sealed`) does not match it, is no entry: its file is
checked again (a byte damaged on disk never changes what a run replays). The seal guards
against damage, not forgery (anyone who can write the store can seal a line): CRC-32 finds
every damaged byte, and any burst of up to 32 bits, for a fraction of the cost of the
reference blake2b a seal was before (every replayed line is checked twice a run: read, and
copied when the store is written again; 2% of an edited run's instructions, issue 17).
"""

from __future__ import annotations

import json
import os
import stat
from binascii import crc32  # (loaded with PyYAML's `base64` anyway)

from floe_lint.lint.places import SHARED as _SHARED
from floe_lint.lint.places import Places

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

_OPEN = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
_OPEN |= getattr(os, "O_NONBLOCK", 0)
#: a line's place in the file: its offset times 2**32, plus its length
_SHIFT = 32
_CHUNK = 1 << 18  # (read and split at a time: a bounded part of a run's peak)
#: entries kept decoded for their next question (`hold`), at most: a few MB at the most
HELD = 512


#: the member that ends each entry's line: the CRC-32 (8 hex digits) of the line without it
_SEAL = b'"#":"'
_SEALED_END = len(_SEAL) + 8 + 2  # (`"#":"`, the digits, `"}`)


def sealed(line: str) -> str:
    """A store line (`"key":{entry}`) with its seal: the CRC-32 of `line` as its entry's last
    member, which `Lines.line` checks."""
    separator = "" if line.endswith("{}") else ","
    return f'{line[:-1]}{separator}"#":"{crc32(line.encode()):08x}"}}'


def _unsealed(raw: bytes) -> bytes | None:
    """The line `raw` was sealed from (`sealed`), None when its seal is missing or wrong."""
    end = len(raw) - _SEALED_END
    if end < 1 or raw[end : end + len(_SEAL)] != _SEAL or not raw.endswith(b'"}'):
        return None
    before = raw[end - 1 : end]
    if before == b",":
        line = raw[: end - 1] + b"}"
    elif before == b"{":
        line = raw[:end] + b"}"
    else:
        return None
    return line if b"%08x" % crc32(line) == raw[end + len(_SEAL) : -2] else None


def _key(line: bytes) -> str | None:
    """The key a store line (`"key":{entry}`) starts with, None when it is not one."""
    end = line.find(b'"', 1)
    if not line.startswith(b'"') or end < 0:
        return None
    # (`find`, not `b"\\" not in line[1:end]`: `in` first fails to read its operand as an int,
    # an exception raised and cleared each line, and the slice is a copy)
    if line.find(b"\\", 1, end) < 0:
        if line[end + 1 : end + 2] != b":":
            return None
        try:
            return line[1:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:  # an escape in the key: the JSON decoder reads it
        text = line.decode("utf-8")
        key, at = json.JSONDecoder().raw_decode(text)
    except (UnicodeDecodeError, ValueError):
        return None
    return key if isinstance(key, str) and text[at : at + 1] == ":" else None


class Lines:
    """Where each entry's line lies in an open store file (see the module)."""

    def __init__(self, fd: int | None, places: Places, size: int):
        self._fd: int | None = fd
        self._places = places
        self.count = len(places)
        self.size = size
        self._last: tuple[str, dict[str, Any]] | None = None
        self._held: dict[str, dict[str, Any]] = {}
        #: the part of the file `as_read` read last: where it starts, and its bytes
        self._window: tuple[int, bytes] = (0, b"")

    @classmethod
    def open(cls, path: str, head: bytes, tail: bytes, limit: int) -> Lines | None:
        """The lines of the store at `path` (a regular file, not through a link, of at most
        `limit` bytes, `head` first and `tail` last); None when there is none or it is not
        in this layout."""
        try:
            fd = os.open(path, _OPEN)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_size <= limit:
                places = _index(fd, head, tail, info.st_size)
                if places is not None:
                    return cls(fd, places, info.st_size)
        except OSError:
            pass
        os.close(fd)
        return None

    def __len__(self) -> int:
        return self.count

    def __contains__(self, key: object) -> bool:
        """Whether the store has a line for `key` (told by its hash: a line is read only when
        its entry is asked for, and its key checked then)."""
        place = self._places.get(hash(key))
        return place is not None and place != _SHARED

    def line(self, key: str) -> str | None:
        """The line of `key` as it lies in the file (`"key":{entry}`), or None."""
        place = self._places.get(hash(key))
        if place is None or place == _SHARED or self._fd is None:
            return None
        at, length = place >> _SHIFT, place & ((1 << _SHIFT) - 1)
        try:
            raw = os.pread(self._fd, length, at)
        except OSError:
            return None
        if len(raw) != length or _key(raw) != key or _unsealed(raw) is None:
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def as_read(self, key: str) -> bytes | None:
        """`line(key)` as the bytes it lies as, checked as `line` checks it, read a `_CHUNK`
        of the file at a time: a store written again asks for its lines in the file's order,
        so its replayed lines take a few reads instead of one each (issue 17)."""
        place = self._places.get(hash(key))
        if place is None or place == _SHARED or self._fd is None:
            return None
        at, length = place >> _SHIFT, place & ((1 << _SHIFT) - 1)
        start, window = self._window
        if at < start or at + length > start + len(window):
            try:
                window = os.pread(self._fd, max(length, _CHUNK), at)
            except OSError:
                return None
            start = at
            self._window = (start, window)
        raw = window[at - start : at - start + length]
        if len(raw) != length or _key(raw) != key or _unsealed(raw) is None:
            return None
        if not raw.isascii():
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return None
        return raw

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry of `key`, decoded from its line (the last one asked is kept, and those
        `hold` kept)."""
        last = self._last
        if last is not None and last[0] == key:
            return last[1]
        held = self._held.get(key)
        if held is not None:
            return held
        line = self.line(key)
        if line is None:
            return None
        try:
            entry = _entry_of(line)
        except (ValueError, RecursionError, StopIteration):
            return None
        if not isinstance(entry, dict):
            return None
        entry.pop("#", None)  # (the seal, checked by `line`)
        self._last = (key, entry)
        return entry

    def hold(self, key: str, entry: dict[str, Any]) -> None:
        """Keep `entry`, as `get` decoded it, for the next questions about `key` (an entry
        whose file the run checks again is asked about when it is checked: each line is
        decoded once), while fewer than `HELD` are kept."""
        if len(self._held) < HELD:
            self._held[key] = entry

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every entry, in the file's order (a line that holds none is left out)."""
        if self._fd is None:
            return
        every = sorted(p for p in self._places.values() if p != _SHARED)
        for place in every:
            raw = os.pread(self._fd, place & ((1 << _SHIFT) - 1), place >> _SHIFT)
            key = _key(raw)
            entry = None if key is None else self.get(key)
            if key is not None and entry is not None:
                yield key, entry

    def same(self, chunks: Iterable[bytes]) -> bool:
        """Whether the chunks are the file's bytes (compared as they come)."""
        at = 0
        for encoded in chunks:
            if self._fd is None or os.pread(self._fd, len(encoded), at) != encoded:
                return False
            at += len(encoded)
        return at == self.size

    def close(self) -> None:
        self._last = None
        self._held = {}
        self._window = (0, b"")
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.close()


_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # (the C scanner)


def _entry_of(line: str) -> Any:
    """The entry of a line `line` checked (`"key":{entry}`, its key the one asked for): what
    `json.loads("{" + line + "}")[key]` gives, the value scanned where it starts (not the line
    copied, nor the decoder's Python steps and whitespace matches, once a file: issue 17).
    Raises as the scanner does (ValueError, StopIteration) for a line that is not that."""
    quote = line.find('"', 1)  # (the key's end, where it holds no escape: `_key` read it)
    if quote < 0 or "\\" in line[1:quote] or line[quote + 1 : quote + 2] != ":":
        decoded = json.loads("{" + line + "}")  # (an escape in the key: the decoder reads it)
        if not (isinstance(decoded, dict) and len(decoded) == 1):
            return None
        return next(iter(decoded.values()))
    entry, end = _scan(line, quote + 2)
    return entry if end == len(line) else None


def _index(fd: int, head: bytes, tail: bytes, size: int) -> Places | None:
    """Each entry line's place by its key's hash, read a chunk at a time; None when the file is
    not `head`, entry lines (each but the last ending with `,`) and `tail`."""
    if os.pread(fd, len(head), 0) != head or os.pread(fd, len(tail), size - len(tail)) != tail:
        return None
    places = Places()
    at, end = len(head), size - len(tail)
    rest = b""
    while at < end:
        chunk = os.pread(fd, min(_CHUNK, end - at), at)
        if not chunk:
            return None
        start = at - len(rest)
        buffer = rest + chunk if rest else chunk
        at += len(chunk)
        lines = buffer.split(b"\n")
        rest = lines.pop()
        for line in lines:
            if not line:  # (a store without entries)
                start += 1
                continue
            length = len(line)
            if line.endswith(b","):
                length -= 1
            key = _key(line)
            if key is None or length >= 1 << _SHIFT:
                return None
            places.add(hash(key), start << _SHIFT | length)
            start += len(line) + 1
    return places.frozen() if not rest else None
