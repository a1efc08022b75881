"""A file's parse across runs, for the result cache: a file checked again although its content did
not change (a manifest it depends on changed) is not parsed again the next time.

An edit of a manifest re-checks every file whose hierarchy passes through it
(`floe_lint.lint.replay`); their local rules are served from the store (`floe_lint.lint.local`),
but the rules that read the hierarchy need each file's documents, and parsing them was most of
such a run. So when a file is parsed although the store holds an entry with its content hash,
its documents' data are stored with its entry (`PARSED`: its content hash, the path it was
parsed under, and `[[index, data], ...]` as JSON text, decoded only when served), and a later
run that must check the same bytes under the same path again builds the file from them instead
of parsing it.

What is served is what `floe_lint.load.document.parse` builds from those bytes: the same text
(decoded from the bytes read now, whose hash is the stored one), the same documents (index,
data; kind read again from the data and path, spans located from the text on demand, as for a
parsed file) and no problems. Only a file whose parse is exactly representable in JSON is
stored: no problem noted by loading, and data made of `dict` with `str` keys, `list`, `str`,
`int`, finite `float`, `bool` and `None` only, those exact types (no timestamp or `!!set`
value, whose classes carry more than JSON holds), no container reached twice; anything else is
parsed each time. A file is also stored only when the text parsed is the text of the bytes
hashed (a file changed between the two reads is not), and only while the parses a store holds
stay under `MAX_STORED` bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from floe_lint.errors import suppressed
from floe_lint.lint import cache
from floe_lint.load import document
from floe_lint.load.bounded import read_bounded
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.kinds import classify
from floe_lint.load.reading import MAX_BYTES
from floe_lint.load.spans import FileSpans

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: the key of a store entry that holds its file's parse: [content hash, path, JSON text]
PARSED = "pd"
#: the JSON text of parses one store holds at most (about 2.5 KB a product): a store larger
#: than `cache.MAX_STORE_BYTES` is not read at all
MAX_STORED = 48 * 1024 * 1024


def encoded(source: SourceFile) -> str | None:
    """The documents of a freshly parsed file as JSON text, when they are exactly that (see the
    module's docstring); else None."""
    if type(source) is not SourceFile or source.problems or source.released:
        return None
    documents: list[list[Any]] = []
    seen: set[int] = set()
    for doc in source.documents:
        if not _plain(doc.data, seen):
            return None
        documents.append([doc.index, doc.data])
    try:
        return json.dumps(documents, separators=(",", ":"), allow_nan=False)
    except (ValueError, TypeError, RecursionError):
        return None


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
