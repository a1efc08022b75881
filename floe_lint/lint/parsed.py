"""A file's parse across runs, for the result cache: a file checked again although its content did
not change (a manifest it depends on changed) is not parsed again.

An edit of a manifest re-checks every file whose hierarchy passes through it
(`floe_lint.lint.replay`); their local rules are served from the store (`floe_lint.lint.local`),
but the rules that read the hierarchy need each file's documents, and parsing them was most of
such a run. So a file's parse is kept with its entry: its documents' data as JSON text, in a
file of its own beside the store (`Kept`, read only by a run that builds a file from it), and
the entry notes its content hash (`PARSED`). A later run that must check the same bytes under
the same path again builds the file from it instead of parsing it (`Parses`).

Which parses are kept: that of a file parsed although the store holds an entry with its content
hash (it was checked again for a manifest's sake), and, in a run that fills an empty store, that
of every file holding a Floe document (what the first edit of a manifest checks again), while
those stay under `MAX_FILLED` bytes: they are held until the run records its entries. Not that
of a file new to a store that holds others (a run that replays the rest, a pre-commit hook's,
would rewrite every kept parse for it). A parse is encoded as it is made, before the run
releases the file's documents.

What is served is what `floe_lint.load.document.parse` builds from those bytes: the same text
(decoded from the bytes read now, whose hash is the stored one), the same documents (index,
data; kind read again from the data and path, spans located from the text on demand, as for a
parsed file) and no problems. Only a file whose parse is exactly representable in JSON is
stored: no problem noted by loading, and data made of `dict` with `str` keys, `list`, `str`,
`int`, finite `float`, `bool` and `None` only, those exact types (no timestamp or `!!set`
value, whose classes carry more than JSON holds), no container reached twice (what parsing
notes as `SourceFile.plain`, else what walking the data says); anything else is parsed each
time. A file is also stored only when the text parsed is the text of the bytes hashed (a file
changed between the two reads is not), and only while the parses a store holds stay under
`MAX_STORED` bytes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from floe_lint.errors import suppressed
from floe_lint.lint import cache
from floe_lint.load import document
from floe_lint.load.bounded import read_bounded
from floe_lint.load.document import ENV_VARIANT, Document, SourceFile
from floe_lint.load.kinds import classify
from floe_lint.load.reading import MAX_BYTES
from floe_lint.load.spans import FileSpans

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: the key of a store entry whose file's parse is kept (`Kept`): [content hash, its length]
PARSED = "pd"
#: the JSON text of parses one store holds at most (about 2.5 KB a product): a store larger
#: than `cache.MAX_STORE_BYTES` is not read at all
MAX_STORED = 48 * 1024 * 1024
#: the JSON text of parses a run keeps of files no entry held (a run filling the cache), at
#: most: they are held until the run records its entries, so this bounds the memory they take
#: (about 2.2 KB a product: a tree of up to about 1,800 products is covered whole)
MAX_FILLED = 4 * 1024 * 1024


def encoded(source: SourceFile) -> str | None:
    """The documents of a freshly parsed file as JSON text, when they are exactly that (see the
    module's docstring); else None."""
    if type(source) is not SourceFile or source.problems or source.released:
        return None
    plain = source.plain  # (what parsing noted: then nothing is walked here)
    if plain is False:
        return None
    documents: list[list[Any]] = []
    seen: set[int] = set()
    for doc in source.documents:
        if plain is None and not _plain(doc.data, seen):
            return None
        documents.append([doc.index, doc.data])
    try:
        return _ENCODER.encode(documents)
    except (ValueError, TypeError, RecursionError):
        return None


#: one encoder for every parse stored; no container is reached twice in what it encodes (the
#: parser never shares one, and `_plain` refuses one that is), so no circularity check
_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False)


def _plain(value: Any, seen: set[int]) -> bool:
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return True  # (a float that is not finite: `encoded`'s dumps refuses it)
    if kind is dict:
        if id(value) in seen:
            return False
        seen.add(id(value))
        return all(type(k) is str and _plain(v, seen) for k, v in value.items())
    if kind is list:
        if id(value) in seen:
            return False
        seen.add(id(value))
        return all(_plain(item, seen) for item in value)
    return False


def _refuse(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: never written (allow_nan=False)


#: one decoder for every stored parse (`json.loads` with an option builds one per call)
_DECODER = json.JSONDecoder(parse_constant=_refuse)


def built(path: Path, raw: bytes, text: str) -> SourceFile | None:
    """The file `parse(path, raw)` gives, from the JSON `text` that `encoded` made of it; None
    when the text is not such a record (a store written by something else)."""
    try:
        documents = _DECODER.decode(text)
        decoded = raw.decode("utf-8-sig")
    except (ValueError, RecursionError):
        return None
    if not isinstance(documents, list):
        return None
    source = SourceFile(path, decoded)
    located = FileSpans(decoded)
    last = -1
    for item in documents:
        if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int):
            return None
        index, data = item
        if index <= last:
            return None
        last = index
        doc = Document(path, index, data, decoded, located=located)
        doc.kind = classify(data, path)
        source.documents.append(doc)
    return source


def is_parse_of(source: SourceFile, raw: bytes) -> bool:
    """Whether `source` (parsed from disk, maybe released since) holds the text of `raw`: a file
    saved again while a run checked it does not, and what the run found in it must not be
    stored under the hash of `raw` (the next run would replay it for content it never saw)."""
    text = ""  # what `document.parse` keeps of a file too large or not UTF-8
    if len(raw) <= MAX_BYTES:
        with suppressed(UnicodeDecodeError):
            text = raw.decode("utf-8-sig")
    if source.released:  # (a file without text is never released)
        return bool(text) and document._fingerprint(text) == source._held
    if text or source.text:  # a text parses one way: the same text, the same parse
        return source.text == text
    # No text: an empty file, or one too large or not UTF-8, whose problem says how and where
    # (which bytes): the same only when parsing `raw` notes the same problems (it stops early).
    return document.parse(source.path, raw).problems == source.problems


def moved(
    loaded: Iterable[tuple[str, SourceFile]],
    kept: dict[str, bytes | None],
    hashes: dict[str, str | None],
) -> set[str]:
    """The keys of the files a run parsed from disk whose bytes are no longer what it parsed
    (`is_parse_of`): the bytes the run `kept` (hashed when it planned) or, for a file the store
    lacks, read now, as the run's hash of it would be, and noted in its `hashes`."""
    found = set()
    for key, source in loaded:
        if type(source) is not SourceFile:
            continue  # (built from bytes the run holds)
        raw = kept.get(key)
        if raw is None:
            raw = read_bounded(key)
            digest = None if raw is None else cache.digest(raw)
            if raw is None or hashes.setdefault(key, digest) != digest:
                found.add(key)
                continue
        if not is_parse_of(source, raw):
            found.add(key)
    return found


#: what `Kept` reads of its file at most (the parses it holds are bounded by `MAX_STORED`)
_MAX_FILE = MAX_STORED + MAX_STORED // 4


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

    def __init__(self, store: Path):
        self.path = store.with_suffix(".parses")
        self._raw = b""
        self._lines: dict[bytes, tuple[int, int]] | None = None

    def _index(self) -> dict[bytes, tuple[int, int]]:
        """Where each line starts and ends, by its first field; read once, when first asked
        (a run builds a few of the files whose parses are kept: the others' lines are not
        copied out of the file's bytes)."""
        if self._lines is None:
            from floe_lint.load.bounded import read_unlinked

            self._lines = {}
            # (a regular file, not through a link, in one read of at most its size + 1 bytes)
            raw = read_unlinked(str(self.path), _MAX_FILE)
            if raw is None:
                return self._lines
            self._raw = raw
            at, size, lines = 0, len(raw), self._lines
            while at < size:
                end = raw.find(b"\n", at)
                end = size if end < 0 else end
                tab = raw.find(b"\t", at, end)
                lines[raw[at : end if tab < 0 else tab]] = (at, end)
                at = end + 1
        return self._lines

    def _line(self, field: bytes) -> bytes | None:
        place = self._index().get(field)
        return None if place is None else self._raw[place[0] : place[1]]

    def get(self, key: str, digest: str, path: str) -> str | None:
        """The parse kept of the file `key` with content hash `digest`, parsed as `path`."""
        line = self._line(_field(key))
        if line is None:
            return None
        fields = line.split(b"\t", 3)
        if len(fields) != 4 or fields[1] != digest.encode() or fields[2] != _field(path):
            return None
        try:
            return fields[3].decode("ascii")
        except UnicodeDecodeError:
            return None

    def save(self, fresh: Mapping[str, list[str]], kept: Iterable[str]) -> None:
        """Write the lines of the `fresh` parses ([digest, path, text] by key) and those of
        the keys `kept` as they were read; any other line is dropped."""
        from floe_lint.safe_write import write_chunks

        # by key: the same file whatever order the run parsed its files in
        lines: dict[str, bytes | list[str] | None] = {}
        for key in kept:
            field = _text_field(key)
            lines[field] = self._line(field.encode())
        for key, parse in fresh.items():
            lines[_text_field(key)] = parse
        try:
            write_chunks(self.path, _chunks(sorted(lines.items())))
        except OSError:
            return  # a read-only home or a full disk: the run's output is unaffected


def _text_field(text: str) -> str:
    """`json.dumps(text)`, without the encoder for a text it writes as it is (most paths)."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text)


def _field(text: str) -> bytes:
    return _text_field(text).encode()


def _chunks(lines: list[tuple[str, bytes | list[str] | None]]) -> Iterator[str]:
    """Each line, by its key's field: a fresh parse's made ([digest, path, text]), a kept
    one's as it was read."""
    for field, line in lines:
        if type(line) is list:
            digest, path, text = line
            yield f"{field}\t{digest}\t{_text_field(path)}\t{text}\n"
        elif type(line) is bytes and line.isascii():
            yield line.decode("ascii") + "\n"


class Parses:
    """One run's parses across runs: built from the lines `Kept` holds (`stored`, `serve`),
    made from files parsed from disk (`fresh`), kept with the entries the run records
    (`start`, `keep`, `save`). `digest` is the run's content hash of a file by key, `raw`
    the bytes the run read of the files its store held."""

    def __init__(
        self,
        store: cache.Store,
        digest: Callable[[str], str | None],
        raw: Mapping[str, bytes | None],
    ):
        self.store = store
        self.kept = Kept(store.path)
        self._digest = digest
        self._raw = raw
        #: key -> [content hash, path, JSON text] of each parse the run built or made (a
        #: parse from disk that no entry held: its content hash None until `keep`)
        self.parses: dict[str, list[str | None]] = {}
        self.served = 0  # files built from a kept parse
        self._fresh: set[str] = set()  # the keys of parses made here (not yet kept)
        self._filled = 0  # the bytes of those that no entry held (`_first`)
        self._room = MAX_STORED
        self._held: list[str] = []  # the keys whose line stays as it is (`save`)
        self._made: dict[str, list[str]] = {}  # the lines to write
        self._asked: dict[str, tuple[str, list[str] | None]] = {}  # (`stored`)

    def stored(self, path: Path | str, key: str) -> list[str] | None:
        """[content hash, path, JSON text] of the parse kept of `key` as `path` (its `Path`, or
        a walk's name, which is spelt as its `Path` prints), when its entry says one is kept for
        the content the file has now and its line holds it (asked up to three times a file:
        answered once per key and path)."""
        entries = self.store.entries
        if not entries:
            return None  # (not loaded yet, or empty: nothing noted, nothing kept)
        name = os.fspath(path)
        asked = self._asked.get(key)
        if asked is not None and asked[0] == name:
            return asked[1]
        found = None
        entry = entries.get(key)
        stored = entry.get(PARSED) if isinstance(entry, dict) else None
        if isinstance(stored, list) and len(stored) == 2 and isinstance(stored[0], str):
            digest = stored[0]
            if digest == self._digest(key):
                text = self.kept.get(key, digest, name)
                found = None if text is None else [digest, name, text]
        self._asked[key] = (name, found)
        return found

    def serve(self, path: Path, key: str) -> SourceFile | None:
        """The file at `path` built from its kept parse, when its content is the same."""
        stored = self.stored(path, key)
        raw = self._raw.get(key) if stored is not None else None
        if stored is None or raw is None:
            return None
        source = built(path, raw, stored[2])
        if source is not None:
            self.parses[key] = [*stored]  # (kept already: not `_fresh`)
            self.served += 1
        return source

    def fresh(self, path: Path, key: str, source: SourceFile) -> None:
        """`source` was just parsed from disk: keep its parse for its entry when the store holds
        one with its content hash (it is checked again for a dependency's sake), or when the
        run fills an empty store."""
        entries = self.store.entries
        if not entries:
            return self._first(path, key, source)
        entry = entries.get(key)
        if not isinstance(entry, dict) or entry.get("h") is None:
            return  # (a new file: a run that replays the others rewrites no kept parse for it)
        digest = self._digest(key)
        raw = self._raw.get(key)
        if entry["h"] != digest or digest is None or raw is None:
            return  # changed: the next run, if it checks it again for a manifest, keeps it
        try:
            same = raw.decode("utf-8-sig") == source.text  # the bytes hashed were parsed
        except UnicodeDecodeError:
            return
        data = encoded(source) if same else None
        if data is not None:
            self.parses[key] = [digest, str(path), data]
            self._fresh.add(key)

    def _first(self, path: Path, key: str, source: SourceFile) -> None:
        """`source` was parsed from disk by a run that fills an empty store: keep its parse
        too, so that the first run that checks it again for a manifest's sake builds it
        instead of parsing it. Its content hash is its
        entry's, known when the run records it (`moved` proves, then, that the text parsed
        is the text of the bytes hashed); only a file holding a Floe document is kept (what
        a manifest's edit checks again), and only while the parses kept so stay under
        `MAX_FILLED` bytes (they are held until the run records its entries)."""
        if self._filled >= MAX_FILLED or ENV_VARIANT.match(path.name) is not None:
            return
        if not any(doc.kind for doc in source.documents):
            return
        data = encoded(source)
        if data is not None:
            self._filled += len(data)
            self.parses[key] = [None, str(path), data]
            self._fresh.add(key)

    def replayed(self, key: str, length: int | None) -> None:
        """The run replayed the entry of `key`, which notes a kept parse of `length` (None: it
        notes none, or not as a run writes it): it stays kept, and counts against
        `MAX_STORED`."""
        if length is not None:
            self._room -= length
            self._held.append(key)

    def keep(self, key: str, entry: dict[str, Any]) -> None:
        """Note in the `entry` the run made for `key` that its parse is kept, if the run has
        one of the content the entry names and `MAX_STORED` leaves room for it."""
        parse = self.parses.get(key)
        digest = entry["h"]
        if parse is None or not digest:
            return
        made, path, text = parse
        # (None: parsed here, and its text is that of the bytes hashed: `moved`)
        if text is None or (made is not None and made != digest):
            return
        self._room -= len(text)
        if self._room < 0:  # (beyond it, the parses would grow past what a run reads)
            return
        entry[PARSED] = [digest, len(text)]
        if key in self._fresh:
            self._made[key] = [digest, str(path), text]
        else:
            self._held.append(key)

    def save(self) -> None:
        """Write the parses kept, when the run made any (else the file stays as it is)."""
        if self._made:
            self.kept.save(self._made, self._held)
