"""The file of a whole-run record (floe_lint.lint.whole), written and read a line at a time
(issue 17: it lists every file a run found and every floe.lock it looked for; a run stored it
built whole in memory, and the next run read it whole, 64 MB of peak at 30,000 products).

The file is one JSON document, laid out a part a line so that it is read as it comes: the
header (`version`, `baseline`, `out`, `err`, `code`, and `count` and `walk`: how many files were
found and `walk_digest` of them, compared before any file is hashed), then each file found
(`[name, explicit, content hash]`), each file the findings depend on (`"key":hash`) and each
file looked for and absent (`"key"`), one a line:

    {"version":2,...,"walk":"…","found":[
    ["a.yaml",false,"…"],
    ["b.yaml",false,"…"]
    ],"deps":{
    "/abs/manifest.yaml":"…"
    },"absent":[
    "/abs/floe.lock"
    ],"sealed":"…"}

The header ends with its seal, `"#":"…"`: the hash of the header's text without it, so a byte
of the header damaged on disk (`"code":1` read as `"code":0`, a finding's text) makes the file
no record rather than a run replayed otherwise than it printed. The last line seals the rest:
`sealed` is a hash run over every line before it, the header's included (`parts` runs it as it
reads them, holding no more than a batch), so a damaged line after the header (an absent
`/abs/floe.lock` read as `/abs/floe.lodk`, which would replay the run once that file exists)
makes the file no record too: the run is decided only once the last line has been checked.

A file in any other layout is not a record (the run is made again).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain

from floe_lint.load.digests import blake2b, digest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any

FOUND, DEPS, ABSENT = "found", "deps", "absent"
_FOUND_START = ',"found":[\n'
_DEPS_START = b'],"deps":{\n'
_ABSENT_START = b'},"absent":[\n'
#: the last line: `],"sealed":"`, the hash of every line before it (32 hex digits), `"}`
_SEAL_START = b'],"sealed":"'
#: the length of the header's seal: `,"#":"`, 32 hex digits, `"`
_SEALED = 6 + 32 + 1
#: lines decoded at a time (one `json.loads` for many: a part's items stay a bounded batch)
_BATCH = 512
#: characters written a chunk at a time, about (see `_items`)
_CHUNK = 32768
_ENCODER = json.JSONEncoder(separators=(",", ":"))
_OPEN = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
_OPEN |= getattr(os, "O_NONBLOCK", 0)


class Found(Sequence[tuple[str, bool]]):
    """The files a walk found, as (name, explicit) pairs: the names and which of them were
    named explicitly, a pair made when asked (a tuple per file was about a tenth of a run
    replayed whole, issue 17)."""

    def __init__(self, names: list[str], explicit: set[int]) -> None:
        self._names = names
        self._explicit = explicit  # (positions)

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, at: int) -> tuple[str, bool]:  # type: ignore[override]
        if at < 0:
            at += len(self._names)
        return self._names[at], at in self._explicit

    def __iter__(self) -> Iterator[tuple[str, bool]]:
        if not self._explicit:
            return ((name, False) for name in self._names)
        return ((name, n in self._explicit) for n, name in enumerate(self._names))


def walk_digest(found: Iterable[tuple[str, bool]]) -> str:
    """A digest of the files found, as (name, explicit), in order."""
    made = blake2b(digest_size=16)
    for name, explicit in found:
        made.update(name.encode("utf-8", "surrogatepass"))
        made.update(b"\0\1\n" if explicit else b"\0\0\n")
    return made.hexdigest()


def chunks(
    header: dict[str, Any],
    found: Iterable[list[Any]],
    deps: Iterable[tuple[str, str]],
    absent: Iterable[str],
) -> Iterator[str]:
    """The record's text, made as it is written (see the module)."""
    return sealed_text(_body(header, found, deps, absent))


def _body(
    header: dict[str, Any],
    found: Iterable[list[Any]],
    deps: Iterable[tuple[str, str]],
    absent: Iterable[str],
) -> Iterator[str]:
    yield from header_chunks(header)
    yield _FOUND_START
    yield from _items(map(_found_line, found))
    yield _DEPS_START.decode()
    yield from _items(f"{_string(key)}:{_string(value)}" for key, value in deps)
    yield _ABSENT_START.decode()
    yield from _items(map(_string, absent))


def _string(value: Any) -> str:
    """`_ENCODER.encode(value)`, without the encoder for text it writes as it is (ASCII from
    space to `~`, no quote or backslash: a path, a hash): 3,000 lines at 1,000 products."""
    if (
        type(value) is str
        and value.isascii()
        and value.isprintable()
        and '"' not in value
        and "\\" not in value
    ):
        return f'"{value}"'
    return _ENCODER.encode(value)


def _found_line(item: list[Any]) -> str:
    """`_ENCODER.encode(item)` of a file found (`[name, explicit, content hash]`)."""
    if len(item) == 3 and type(item[1]) is bool:
        return f"[{_string(item[0])},{'true' if item[1] else 'false'},{_string(item[2])}]"
    return _ENCODER.encode(item)


def sealed_text(body: Iterable[str]) -> Iterator[str]:
    """`body` (a record's lines up to its last, each ending with a newline), then the last
    line: its seal, the hash of all of `body` (see the module)."""
    running = blake2b(digest_size=16)
    for text in body:
        running.update(text.encode("utf-8"))  # (as `write_chunks` writes it)
        yield text
    yield f'{_SEAL_START.decode()}{running.hexdigest()}"}}'


def sealed_header(header: dict[str, Any]) -> str:
    """The header's text, its closing brace left off for the parts, ending with its seal."""
    return "".join(header_chunks(header))


def header_chunks(header: dict[str, Any]) -> Iterator[str]:
    """`sealed_header`'s text a piece at a time: a long string of it (`out`, the run's
    output: 1.2 MB at 30,000 products) escaped a slice at a time, never copied whole (it was
    copied four times over as the header was encoded, sealed and joined: a first run's peak
    with the result cache on, issue 17). The seal is run over the pieces as they pass."""
    running = blake2b(digest_size=16)
    start = "{"
    for key, value in header.items():
        if key == "#":
            continue
        for piece in chain((f"{start}{_string(key)}:",), _value(value)):
            running.update(piece.encode())  # (ASCII: the encoder escapes the rest)
            yield piece
        start = ","
    if start == "{":  # (no item: "{}", its brace left off)
        running.update(b"{")
        yield "{"
    running.update(b"}")
    yield f',"#":"{running.hexdigest()}"'


def _value(value: Any) -> Iterator[str]:
    """`_ENCODER.encode(value)`, a long string's `_CHUNK` characters at a time (each character
    is escaped alone: the slices' escapes joined are the whole's); a text file (the run's
    output, copied to one: floe_lint.lint.whole) as the string it holds, read from its start a
    slice at a time."""
    if callable(getattr(value, "read", None)):
        value.seek(0)
        yield '"'
        while piece := value.read(_CHUNK):
            yield _ENCODER.encode(piece)[1:-1]
        yield '"'
        return
    if type(value) is not str or len(value) <= _CHUNK:
        yield _ENCODER.encode(value)
        return
    yield '"'
    for at in range(0, len(value), _CHUNK):
        yield _ENCODER.encode(value[at : at + _CHUNK])[1:-1]
    yield '"'


def _items(lines: Iterable[str]) -> Iterator[str]:
    """The lines joined by `,\\n`, then a newline after the last, about `_CHUNK` characters a
    chunk (one chunk per line cost a generator step, an encode, a hash update and a write)."""
    batch: list[str] = []  # (after the first chunk, starting with "": its separator)
    size = 0
    for line in lines:
        batch.append(line)
        size += len(line)
        if size >= _CHUNK:
            yield ",\n".join(batch)
            batch, size = [""], 0
    if batch and batch != [""]:
        yield ",\n".join(batch) + "\n"
    elif batch:
        yield "\n"


def open_record(path: os.PathLike[str] | str, limit: int) -> tuple[dict[str, Any], IO[bytes]]:
    """The record's header and its file, open after it (a regular file of at most `limit`
    bytes, not through a link). Raises OSError or ValueError when there is none."""
    fd = os.open(path, _OPEN)
    file = os.fdopen(fd, "rb")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise ValueError("not a record")
        first = file.readline()
        start = _FOUND_START.encode()
        if not first.endswith(start):
            raise ValueError("not a record")
        seal = first[-len(start) - _SEALED : -len(start)]  # (`,"#":"`, 32 digits, `"`)
        text = first[: -len(start) - _SEALED] + b"}"
        if seal[:6] != b',"#":"' or digest(text).encode() != seal[6:-1]:
            raise ValueError("not a record")  # (no seal, or not the header's)
        header = json.loads(text)
        if not isinstance(header, dict):
            raise ValueError("not a record")
    except BaseException:
        file.close()
        raise
    return header, file


def parts(file: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """The record's items after its header, a batch at a time: (FOUND, a list of items),
    (DEPS, a dict), (ABSENT, a list), in that order. Raises ValueError where the file is not
    in the layout (see the module)."""
    file.seek(0)  # (the header's line, read again: the running hash starts with it)
    running = blake2b(file.readline(), digest_size=16)
    ends = {FOUND: _DEPS_START, DEPS: _ABSENT_START, ABSENT: _SEAL_START}
    for part in (FOUND, DEPS, ABSENT):
        end = ends[part]
        batch: list[bytes] = []
        for line in file:
            if line.startswith(end):
                break
            running.update(line)
            if not line.endswith(b"\n"):
                raise ValueError("not a record")
            batch.append(line[:-2] if line.endswith(b",\n") else line[:-1])
            if len(batch) == _BATCH:
                yield part, _decoded(part, batch)
                batch = []
        else:
            raise ValueError("not a record")
        if part == ABSENT:  # the last line: the seal of every line before it
            seal = _SEAL_START + running.hexdigest().encode() + b'"}'
            if line != seal or file.read(1):
                raise ValueError("not a record")  # (no seal, a line damaged, or more)
        elif line != end:
            raise ValueError("not a record")
        else:
            running.update(line)
        if batch:
            yield part, _decoded(part, batch)


def _decoded(part: str, lines: list[bytes]) -> Any:
    if part == DEPS:
        return json.loads(b"{" + b",".join(lines) + b"}")
    return json.loads(b"[" + b",".join(lines) + b"]")
