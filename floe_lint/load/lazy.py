"""A file the result cache replays (floe_lint.lint.replay), kept without its bytes: a run
replaying a large tree held every file's (issue 17)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from floe_lint.load.document import (
    _NEEDLES,
    ChangedWhileChecked,
    Document,
    SourceFile,
    parse,
)
from floe_lint.load.problems import LoadProblem
from floe_lint.load.reading import MAX_BYTES, ReadError, read_regular, utf8_text


class LazySourceFile(SourceFile):
    """A file replayed from the result cache (floe_lint.lint.cache): its text is read again
    for suppression comments and reports, and parsed only if a report asks for its documents.

    It keeps no bytes (a run replaying a large tree held every file's): only the content hash
    the run saw and whether those bytes mention each of `_NEEDLES` (a suppression comment), so
    a file that mentions none is never read again. A late read whose bytes no longer have that
    hash raises `ChangedWhileChecked`, as restoring a released file does."""

    __slots__ = ("_digest", "_marks", "_parsed", "_raw")

    def __init__(self, path: Path, digest: str, marks: int):
        self.path = path
        self._held = None
        self._digest = digest
        self._marks = marks
        self._raw: bytes | None = None
        self._parsed: SourceFile | None = None

    def _bytes(self) -> bytes:
        if self._raw is None:
            from floe_lint.load.digests import digest

            try:
                raw = read_regular(self.path, MAX_BYTES)
            except ReadError as error:
                raise ChangedWhileChecked(self.path) from error
            if digest(raw) != self._digest:
                raise ChangedWhileChecked(self.path)
            self._raw = raw
        return self._raw

    def _source(self) -> SourceFile:
        if self._parsed is None:
            self._parsed = parse(self.path, self._bytes())
        return self._parsed

    def mentions(self, needle: str) -> bool:
        """`needle in self.text`, answered from the bytes hashed for a needle of `_NEEDLES`
        they do not hold (their text, however decoded, then does not either)."""
        if needle in _NEEDLES and not self._marks >> _NEEDLES.index(needle) & 1:
            return False
        return needle in self.text

    @property
    def text(self) -> str:  # type: ignore[override]
        """What `parse` keeps: the decoded text, or nothing for an oversize or non-UTF-8 file."""
        if self._parsed is None:
            raw = self._bytes()
            if len(raw) <= MAX_BYTES:
                try:
                    return utf8_text(raw)
                except UnicodeDecodeError:
                    pass
        return self._source().text

    @property
    def documents(self) -> list[Document]:  # type: ignore[override]
        return self._source().documents

    @property
    def problems(self) -> list[LoadProblem]:  # type: ignore[override]
        return self._source().problems


def marks(raw: bytes) -> int:
    """A bit for each of `_NEEDLES` that `raw` holds (see `LazySourceFile`). (`find`, not
    `needle in raw`, which first fails to read its operand as an int: an exception raised and
    cleared for each file a run with the result cache hashes.)"""
    return sum(1 << at for at, needle in enumerate(_NEEDLES_RAW) if raw.find(needle) >= 0)


_NEEDLES_RAW = tuple(needle.encode() for needle in _NEEDLES)


class Shelved(LazySourceFile):
    """A replayed file whose group a streamed run is done with (`Workspace.shelve`): its path
    kept as the text the walk gave (a `Path`, and one more for its key, were kept per replayed
    file to the end of the run: about 900 bytes each, issue 17); it reads as the
    `LazySourceFile` it was."""

    __slots__ = ("_name", "expected")

    def __init__(self, name: str, digest: str, marks: int, expected: bool):  # no Path kept
        self._name = name
        self._held = None
        self._digest = digest
        self._marks = marks
        self._raw = None
        self._parsed = None
        #: whether the file must hold a Floe document (`Workspace.is_expected`)
        self.expected = expected

    @classmethod
    def of(cls, source: SourceFile, name: str, expected: bool) -> Shelved | None:
        """`source` kept by its path's text `name`, None when it is not a `LazySourceFile`
        that read nothing yet."""
        if type(source) is not LazySourceFile or source._raw is not None or source._parsed:
            return None
        return cls(name, source._digest, source._marks, expected)

    @property
    def path(self) -> Path:  # type: ignore[override]
        return Path(self._name)


class ShelvedFiles(Mapping[str, Shelved]):
    """The files a workspace shelved (`Workspace.shelve`), by their key's text: most by their
    content hash alone, a `Shelved` made again each time one is asked for (a file whose bytes
    hold no suppression mark, that must hold a Floe document and whose path is its key relative
    to the working directory: a `Shelved` each cost 128 bytes to the end of the run, issue 17),
    the others as the `Shelved` they are. One made again reads the file again if asked to, as
    the first did (its bytes are checked against the hash each time)."""

    def __init__(self) -> None:
        self._rows: dict[str, str | Shelved] = {}
        #: the working directory as a prefix of the keys below it ("" until a file is added)
        self._prefix = ""

    def add(self, name: str, shelved: Shelved) -> None:
        """Keep `shelved` under its key's text `name`."""
        if shelved._marks == 0 and shelved.expected and type(shelved._digest) is str:
            prefix = self._prefix
            if not prefix:
                cwd = os.getcwd()
                prefix = self._prefix = cwd if cwd.endswith("/") else cwd + "/"
            text = shelved._name
            if (
                len(name) == len(prefix) + len(text)
                and name.endswith(text)
                and name.startswith(prefix)
            ):
                self._rows[name] = shelved._digest
                return
        self._rows[name] = shelved

    def __getitem__(self, name: str) -> Shelved:
        row = self._rows[name]
        if isinstance(row, Shelved):
            return row
        return Shelved(name[len(self._prefix) :], row, 0, True)

    def __contains__(self, name: object) -> bool:
        return name in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)
