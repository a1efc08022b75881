"""What a streamed run keeps of a file it checked and released: a few strings and an int.

A released `SourceFile` (see `SourceFile.release`) still holds its path (a `Path`), a list of
document shells and a list of problems: about 600 bytes per file, for every file of the tree,
to the end of the run. `Retired` stands in for it once the workspace retires it
(`Workspace.retire`): its path as text, the hash `release` kept, the loader's problems only when
there are any, and the shape of its documents (index, kind, dialect, mixed) as one tuple shared
by every file of that shape. The path, the document shells and an empty problem list are made
again when something asks for them (a report's excerpt, a late reader of the file), and its
text and data are read again from disk as for any released file (`SourceFile.restore`).
"""

from __future__ import annotations

from pathlib import Path

from floe_lint.load.document import _RELEASED, Document, SourceFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from floe_lint.load.kinds import Kind
    from floe_lint.load.problems import LoadProblem

    Shape = tuple[tuple[int, Kind | None, str, tuple[str, str] | None], ...]

#: the shapes of documents met, each kept once (most files of a tree have one of a few)
_SHAPES: dict[Shape, Shape] = {}
_SHAPES_KEPT = 4096  # then a shape is kept by its file alone


class Retired(SourceFile):
    """A released file, kept small (see the module): it reads as the `SourceFile` it was."""

    __slots__ = ("_docs", "_name", "_problems", "_shape")
    _name: str
    _shape: Shape
    _docs: list[Document] | None
    _problems: list[LoadProblem] | None

    def __init__(self, source: SourceFile, name: str):  # no super().__init__: see `of`
        self._name = name
        self._held = source._held
        shape = tuple((d.index, d.kind, d.dialect, d.mixed) for d in source.documents)
        kept = len(_SHAPES) < _SHAPES_KEPT
        self._shape = _SHAPES.setdefault(shape, shape) if kept else _SHAPES.get(shape, shape)
        self._docs = None
        self._problems = source.problems or None

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
