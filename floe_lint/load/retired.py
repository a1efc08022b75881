"""What a streamed run keeps of a file it checked and released: one int, by its key's text.

A released `SourceFile` (see `SourceFile.release`) still holds its path (a `Path`), a list of
document shells and a list of problems: about 600 bytes per file, for every file of the tree,
to the end of the run. `Retired` stands in for it once the workspace retires it
(`Workspace.retire`): its path as text, the hash `release` kept, the loader's problems only when
there are any, and the shape of its documents (index, kind, dialect, mixed) as one tuple shared
by every file of that shape. The path, the document shells and an empty problem list are made
again when something asks for them (a report's excerpt, a late reader of the file), and its
text and data are read again from disk as for any released file (`SourceFile.restore`).

A `Retired` costs 112 bytes, for every file of the tree to the end of the run (issue 17): the
workspace keeps most of them as one int each instead (`RetiredFiles`: the hash `release` kept,
the shape's number among the shapes met, and whether the path is its key or its key relative
to the working directory), and makes the `Retired` again each time one is asked for. One that
is restored (read again by a late reader) is kept as itself from then on, as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from floe_lint.load.document import _RELEASED, Document, SourceFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from floe_lint.load.kinds import Kind
    from floe_lint.load.problems import LoadProblem

    Shape = tuple[tuple[int, Kind | None, str, tuple[str, str] | None], ...]

#: the shapes of documents met, each kept once (most files of a tree have one of a few), and
#: their numbers (`RetiredFiles`): the shape of `_SHAPE_LIST[n]` is numbered n
_SHAPES: dict[Shape, int] = {}
_SHAPE_LIST: list[Shape] = []
_SHAPES_KEPT = 4096  # then a shape is kept by its file alone (a number fits in 12 bits)
_SHAPE_BITS = 12


def _numbered(shape: Shape) -> int | None:
    """The number of `shape` among the shapes kept (numbered as first met), None past them."""
    number = _SHAPES.get(shape)
    if number is None and len(_SHAPE_LIST) < _SHAPES_KEPT:
        number = _SHAPES[shape] = len(_SHAPE_LIST)
        _SHAPE_LIST.append(shape)
    return number


class Retired(SourceFile):
    """A released file, kept small (see the module): it reads as the `SourceFile` it was."""

    __slots__ = ("_docs", "_files", "_name", "_problems", "_shape")
    _name: str
    _shape: Shape
    _docs: list[Document] | None
    _problems: list[LoadProblem] | None
    #: the table that made it from its int (`RetiredFiles`) and its key's text there: the
    #: table is told when it is restored
    _files: tuple[RetiredFiles, str] | None

    def __init__(self, source: SourceFile, name: str):  # no super().__init__: see `of`
        self._name = name
        self._held = source._held
        shape = tuple((d.index, d.kind, d.dialect, d.mixed) for d in source.documents)
        number = _numbered(shape)
        self._shape = shape if number is None else _SHAPE_LIST[number]
        self._docs = None
        self._problems = source.problems or None
        self._files = None

    @classmethod
    def _made(cls, name: str, held: int, shape: Shape, files: tuple[RetiredFiles, str]) -> Retired:
        """A `Retired` made again from what `RetiredFiles` keeps of it."""
        made = cls.__new__(cls)
        made._name, made._held, made._shape = name, held, shape
        made._docs = made._problems = None
        made._files = files
        return made

    def restore(self) -> None:
        super().restore()
        if self._files is not None:  # (read again: kept as it is now, text and data)
            files, key = self._files
            self._files = None
            files.keep(key, self)

    @classmethod
    def of(cls, source: SourceFile, name: str) -> Retired | None:
        """`source`, released, kept small (`name`: its path as text, `os.fspath(source.path)`);
        None for a file that is not a released `SourceFile`."""
        if type(source) is not SourceFile or not source.released:
            return None
        return cls(source, name)

    @property
    def path(self) -> Path:  # type: ignore[override]
        return Path(self._name)

    @property
    def documents(self) -> list[Document]:  # type: ignore[override]
        """Its documents as `release` left them: their data read again on first use."""
        if self._docs is None:
            path = self.path
            self._docs = []
            for index, kind, dialect, mixed in self._shape:
                doc = Document(path, index, None, "", kind, dialect, mixed)
                doc._owner = self
                del doc._models
                for name in _RELEASED:
                    delattr(doc, name)
                self._docs.append(doc)
        return self._docs

    @property
    def problems(self) -> list[LoadProblem]:  # type: ignore[override]
        if self._problems is None:
            self._problems = []
        return self._problems


class RetiredFiles(Mapping[str, SourceFile]):
    """The files a workspace retired, by their key's text, in the order retired: each as one
    int where it can be (a `Retired` made again when asked for; see the module), else as the
    `Retired` it is (a file with loader problems, a shape past those kept, a path that is
    neither its key nor its key relative to `cwd`)."""

    def __init__(self) -> None:
        self._rows: dict[str, int | Retired] = {}
        #: the files taken out (`pop`: put back into the workspace's indexes by a late reader),
        #: for a list of the files made before (`key_order.Files`, `found`)
        self._taken: dict[str, SourceFile] = {}
        #: the working directory as a prefix of the keys below it ("" until a file is added)
        self._prefix = ""

    @staticmethod
    def takes(source: SourceFile) -> bool:
        """Whether `add` keeps `source`: a `SourceFile` released (as `Retired.of`)."""
        return type(source) is SourceFile and source.released

    def add(self, name: str, source: SourceFile, text: str) -> bool:
        """Keep `source`, released, under its key's text `name`; `text`: its path's text (the
        walk's string, if it gave one). False, and nothing kept, for a file not released."""
        if not self.takes(source):
            return False
        held = source._held
        if not source.problems and held is not None:
            shape = tuple((d.index, d.kind, d.dialect, d.mixed) for d in source.documents)
            number = _numbered(shape)
            if number is not None:
                row = (held << _SHAPE_BITS + 1) | number << 1
                prefix = self._prefix
                if not prefix:
                    cwd = os.getcwd()
                    prefix = self._prefix = cwd if cwd.endswith("/") else cwd + "/"
                if text == name:
                    self._rows[name] = row
                    return True
                if (
                    len(name) == len(prefix) + len(text)
                    and name.endswith(text)
                    and name.startswith(prefix)
                ):
                    self._rows[name] = row | 1
                    return True
        retired = Retired(source, text)
        self._rows[name] = retired
        return True

    def keep(self, name: str, retired: Retired) -> None:
        """Keep `retired`, made from the int of `name`, as itself (restored: see the module)."""
        if isinstance(self._rows.get(name), int):
            self._rows[name] = retired

    def _made(self, name: str, row: int) -> Retired:
        shape = _SHAPE_LIST[row >> 1 & (1 << _SHAPE_BITS) - 1]
        text = name[len(self._prefix) :] if row & 1 else name
        return Retired._made(text, row >> _SHAPE_BITS + 1, shape, (self, name))

    def __getitem__(self, name: str) -> SourceFile:
        row = self._rows[name]
        return self._made(name, row) if isinstance(row, int) else row

    def get(self, name: str, default: SourceFile | None = None) -> SourceFile | None:  # type: ignore[override]
        row = self._rows.get(name)
        if row is None:
            return default
        return self._made(name, row) if isinstance(row, int) else row

    def pop(self, name: str) -> SourceFile | None:
        """Take out the file of `name`, if kept (None if not)."""
        row = self._rows.pop(name, None)
        if row is None or not isinstance(row, int):
            taken = row
        else:
            taken = self._made(name, row)
            taken._files = None
        if taken is not None:
            self._taken[name] = taken
        return taken

    def found(self, name: str) -> SourceFile | None:
        """`get(name)`, or the file of `name` taken out since (`pop`)."""
        source = self.get(name)
        return self._taken.get(name) if source is None else source

    def __contains__(self, name: object) -> bool:
        return name in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __bool__(self) -> bool:
        return bool(self._rows)
