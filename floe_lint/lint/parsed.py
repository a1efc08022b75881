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
from binascii import crc32  # (loaded with PyYAML's `base64` anyway)
from collections.abc import Callable, Iterable
from pathlib import Path

from floe_lint.errors import suppressed
from floe_lint.lint import cache
from floe_lint.lint.fresh_parses import FreshParses
from floe_lint.lint.kept import Kept
from floe_lint.load import document
from floe_lint.load.bounded import read_bounded
from floe_lint.load.document import ENV_VARIANT, Document, SourceFile
from floe_lint.load.kinds import classify
from floe_lint.load.reading import MAX_BYTES, utf8_text
from floe_lint.load.spans import FileSpans

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: the key of a store entry whose file's parse is kept (`Kept`): [content hash, the parse's
#: length, the parse's own sum (`own_sum`)]
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
        decoded = utf8_text(raw)
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
            text = utf8_text(raw)
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


def own_sum(text: str) -> str:
    """A kept parse's own sum, noted in its entry (`PARSED`): the CRC-32 of its text, which
    finds a line damaged in the file of parses (a name or a number changed, its JSON still
    JSON). It guards against damage, not forgery, like a store line's seal
    (`floe_lint.lint.lines`), and costs a fraction of the reference blake2b it was: a parse
    served is read and summed twice a run (asked whether it is kept, then built), issue 17."""
    return f"{crc32(text.encode()):08x}"


class Parses:
    """One run's parses across runs: built from the lines `Kept` holds (`stored`, `serve`),
    made from files parsed from disk (`fresh`), kept with the entries the run records
    (`start`, `keep`, `save`). `digest` is the run's content hash of a file by key, `raw`
    the bytes the run hashed of a file (`Replay.raw`)."""

    def __init__(
        self,
        store: cache.Store,
        digest: Callable[[str], str | None],
        raw: Callable[[str], bytes | None],
    ):
        self.store = store
        self.kept = Kept(store.path)
        self._digest = digest
        self._raw = raw
        #: key -> [content hash, path, its JSON text as `_texts` holds it] of each parse the
        #: run built or made (None: built, kept already; a parse from disk that no entry held:
        #: its content hash None until `keep`)
        self.parses: dict[str, list[Any]] = {}
        #: the JSON texts of the parses made here, held until `save` (the file's, when many)
        self._texts = FreshParses(store.folder)
        self.served = 0  # files built from a kept parse
        self._fresh: set[str] = set()  # the keys of parses made here (not yet kept)
        self._filled = 0  # the bytes of those that no entry held (`_first`)
        self._room = MAX_STORED
        self._held: list[str] = []  # the keys whose line stays as it is (`save`)
        self._made: dict[str, list[Any]] = {}  # the lines to write (their texts as held)
        #: (`stored`) what was told of a key asked for, by the path asked: the parse's content
        #: hash, length and own hash, not its text (read again when served: every file checked
        #: again held its text from the first question to the end, issue 17)
        self._asked: dict[str, tuple[str, list[Any] | None]] = {}
        #: the length and own hash of each parse served or made (`keep`), not its text
        self._sums: dict[str, list[Any]] = {}

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
            return None if asked[1] is None else self._read(key, name, asked[1])
        found = None
        entry = entries.get(key)
        stored = entry.get(PARSED) if isinstance(entry, dict) else None
        if (
            isinstance(stored, list)
            and len(stored) == 3
            and isinstance(stored[0], str)
            and stored[0] == self._digest(key)
        ):
            found = self._read(key, name, stored)
        self._asked[key] = (name, None if found is None else stored)
        return found

    def _read(self, key: str, name: str, stored: list[Any]) -> list[str] | None:
        """[content hash, path, JSON text] of the parse kept of `key` as `name`, when its line
        holds the parse its entry notes (`stored`: content hash, length, own sum)."""
        digest = stored[0]
        text = self.kept.get(key, digest, name)
        # the parse's own sum, noted in the entry: a line damaged in its file (its JSON still
        # JSON, a name or a number changed) is not served, the file is parsed
        if text is not None and [len(text), own_sum(text)] == stored[1:]:
            return [digest, name, text]
        return None

    def serve(self, path: Path, key: str) -> SourceFile | None:
        """The file at `path` built from its kept parse, when its content is the same."""
        stored = self.stored(path, key)
        raw = self._raw(key) if stored is not None else None
        if stored is None or raw is None:
            return None
        source = built(path, raw, stored[2])
        if source is not None:
            self.parses[key] = [stored[0], stored[1], None]  # (kept already: not `_fresh`)
            # (the length and sum its entry notes, which `stored` just found its text to have)
            noted = self._asked[key][1]
            self._sums[key] = noted[1:] if noted else [len(stored[2]), own_sum(stored[2])]
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
        raw = self._raw(key) if entry["h"] == digest else None
        if entry["h"] != digest or digest is None or raw is None:
            return  # changed: the next run, if it checks it again for a manifest, keeps it
        try:
            same = utf8_text(raw) == source.text  # the bytes hashed were parsed
        except UnicodeDecodeError:
            return
        data = encoded(source) if same else None
        if data is not None:
            self._made_here(key, digest, path, data)

    def _made_here(self, key: str, digest: str | None, path: Path, data: str) -> None:
        """Hold the parse `data` just made of `key` at `path` until `save` (its text in
        `_texts`, its length and own sum noted now: `keep` does not read it back)."""
        text = self._texts.add(data)
        if text is None:
            self.parses.pop(key, None)
            self._sums.pop(key, None)
            return
        self.parses[key] = [digest, str(path), text]
        self._fresh.add(key)
        self._sums[key] = [len(data), own_sum(data)]

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
            self._made_here(key, None, path, data)

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
        sums = self._sums.get(key)  # (noted when it was served or made)
        # (made None: parsed here, and its text is that of the bytes hashed: `moved`)
        if sums is None or (made is not None and made != digest):
            return
        self._room -= sums[0]
        if self._room < 0:  # (beyond it, the parses would grow past what a run reads)
            return
        entry[PARSED] = [digest, *sums]
        if key in self._fresh and text is not None:
            self._made[key] = [digest, str(path), text]
        else:
            self._held.append(key)

    def save(self) -> None:
        """Write the parses kept, when the run made any (else the file stays as it is), and
        drop their texts: the run's end (its filtering and report, the whole-run record) does
        not read them (a run filling the cache held `MAX_FILLED` of them to its end, issue 17)."""
        if self._made:
            self.kept.save(self._made, self._held, self._texts.get)
        self._texts.close()
        self.parses = {}
        self._made = {}
        self._held = []
