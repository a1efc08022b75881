"""Safe YAML loading that keeps, for every node, its exact span under its JSON pointer.

One libyaml parse serves both the data and the positions. Problems that PyYAML would hide or
raise (syntax errors, duplicate keys, alias bombs, oversize or non-UTF-8 input) come back as
values so that one bad file never stops the run. The parts: `yaml_tree` (nodes to data, spans,
limits), `syntax` (syntax errors explained: imported for a file that has one), `kinds` (what a
document is); this module holds the loaded file and its documents."""

from __future__ import annotations

from pathlib import Path

from floe_lint.errors import suppressed
from floe_lint.findings import FILE_START, Span
from floe_lint.load import divergence
from floe_lint.load import pointer as ptr
from floe_lint.load.kinds import ENV_VARIANT, classify
from floe_lint.load.plain import build
from floe_lint.load.problems import LoadProblem, NodeSpans
from floe_lint.load.pyyaml import yaml
from floe_lint.load.reading import MAX_BYTES, ReadError, read_regular, utf8_text
from floe_lint.load.spans import FileSpans, locate
from floe_lint.load.yaml_tree import (
    MAX_DEPTH,
    MAX_INT_BITS,
    MAX_INT_DIGITS,
    MAX_NODES,
    TooDeep,
    TooManyNodes,
    compose_all,
    span_of,
)
from floe_lint.record import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    from floe_lint.load.kinds import Kind

__all__ = [
    "ENV_VARIANT",
    "MAX_DEPTH",
    "MAX_INT_BITS",
    "MAX_INT_DIGITS",
    "MAX_NODES",
    "Document",
    "Kind",
    "LoadProblem",
    "Node",
    "NodeSpans",
    "SourceFile",
    "classify",
    "load",
    "parse",
]


_MISSING = object()
#: what `SourceFile.release` drops from each document (and `SourceFile.restore` puts back)
_RELEASED = ("data", "text", "located")
#: what a released file remembers it contains: the marker of suppression comments
_NEEDLES = ("floe-lint:",)


class ChangedWhileChecked(OSError):
    """A released file (see `SourceFile.release`) whose text changed on disk before a late
    reader (a report's excerpt, say) needed it again: the run cannot show what it checked."""

    def __init__(self, path: Path):
        super().__init__(0, "changed while floe-lint checked it; run it again", str(path))


class Document(
    Value,
    compare=("path", "index", "data", "text", "kind", "dialect", "mixed", "_spans"),
    show=("path", "index", "data", "kind", "dialect", "mixed"),
):
    """One YAML document of a file, with its data and the span of every node.

    Spans are located on first use (see `floe_lint.load.spans`): most documents never get a
    finding, so loading records none, and the first `span()` in a file composes it once for
    all its documents. This halves the cost of loading and keeps large repositories small in
    memory.
    """

    __slots__ = (
        "_models",
        "_owner",
        "_spans",
        "data",
        "dialect",
        "index",
        "kind",
        "located",
        "mixed",
        "path",
        "text",
    )
    path: Path
    index: int
    data: Any
    text: str
    kind: Kind | None
    #: `adr-0010` or `floe`: which dialect the document is read in (see model.floe_dialect)
    dialect: str
    #: mixing both dialects: (pointer of the marker not followed, of the one followed), or None
    mixed: tuple[str, str] | None
    _spans: dict[str, NodeSpans] | None
    #: shared by the documents of one file, which it composes once
    located: FileSpans | None
    #: the model read from this document, keyed by (what was read, dialect): rules, the
    #: hierarchy and the reverse index all ask for it, so it is read once
    _models: dict[tuple[str, str], Any]

    def __init__(
        self,
        path: Path,
        index: int,
        data: Any,
        text: str = "",
        kind: Kind | None = None,
        dialect: str = "adr-0010",
        mixed: tuple[str, str] | None = None,
        _spans: dict[str, NodeSpans] | None = None,
        located: FileSpans | None = None,
        _models: dict[tuple[str, str], Any] | None = None,
    ) -> None:
        self.path = path
        self.index = index
        self.data = data
        self.text = text
        self.kind = kind
        self.dialect = dialect
        self.mixed = mixed
        self._spans = _spans
        self.located = located
        self._models = {} if _models is None else _models
        #: the file that holds this document while its contents are released (`SourceFile.release`)
        self._owner: SourceFile | None = None

    def __getattr__(self, name: str) -> Any:
        """A released document's data, text and spans, parsed again from its file on first use
        (only a slot that `SourceFile.release` deleted reaches here)."""
        if name in _RELEASED:
            owner = self._owner
            if owner is not None:
                owner.restore()
                return getattr(self, name)
        elif name == "_models" and self._owner is not None:
            self._models = {}
            return self._models
        raise AttributeError(name)

    @property
    def spans(self) -> dict[str, NodeSpans]:
        if self._spans is None:
            self._spans = locate(self.text, self.index, self.located)
        return self._spans

    def node_spans(self, pointer: str) -> NodeSpans | None:
        """The spans of the node at `pointer` (None where there is none): from the spans of
        every node when they were built, else looked up for this node alone."""
        if self._spans is not None or self.located is None:
            return self.spans.get(pointer)
        return self.located.lookup(self.index, pointer)

    def span(self, pointer: str, at: Literal["key", "value"] = "value") -> Span:
        """The span of `pointer`, falling back to the nearest ancestor that exists."""
        current = pointer
        while True:
            spans = self.node_spans(current)
            if spans is not None:
                if at == "key" and spans.key is not None:
                    return spans.key
                return spans.value
            above = ptr.parent(current)
            if above == current:  # "" or a text that is no pointer ("a"): nothing above
                return FILE_START
            current = above

    def start_line(self, pointer: str) -> int:
        """`span(pointer).start_line`, read from the parse's positions when it noted them (no
        span made: `impact` gives the line of thousands of transforms)."""
        located = self.located
        if self._spans is None and located is not None:
            line = located.start_line(self.index, pointer)
            if line is not None:
                return line
        return self.span(pointer).start_line

    def node(self, pointer: str = "") -> Node:
        """The place `pointer` names in this document (it need not exist)."""
        return Node(self, pointer)

    def get(self, pointer: str, default: Any = None) -> Any:
        node = self.data
        if not pointer:
            return node
        for token in pointer.split("/")[1:]:
            key = token.replace("~1", "/").replace("~0", "~") if "~" in token else token
            if type(node) is dict or isinstance(node, dict):  # the type test: most nodes
                node = node.get(key, _MISSING)
                if node is _MISSING:
                    return default
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                return default
        return node


class Node:
    """A place in a loaded document, named by JSON pointer: what a finding points at.

    The model hands rules nodes ("the node of this transform's compute") instead of pointer
    strings, so a rule does not depend on where a dialect keeps a field. (A plain class, not
    a dataclass: it is created on every check, and a dataclass costs start-up to define.)
    """

    __slots__ = ("doc", "pointer")

    def __init__(self, doc: Document, pointer: str):
        self.doc = doc
        self.pointer = pointer

    def __repr__(self) -> str:
        return f"Node({self.doc.path.name}, {self.pointer!r})"

    def child(self, *tokens: str | int) -> Node:
        return Node(self.doc, ptr.join(self.pointer, *tokens) if tokens else self.pointer)

    @property
    def parent(self) -> Node:
        return Node(self.doc, ptr.parent(self.pointer))

    @property
    def key(self) -> str:
        """The last token of the pointer (a mapping key or list index), unescaped."""
        return ptr.last(self.pointer)

    @property
    def value(self) -> Any:
        """The data at this node, or None where the document has none."""
        return self.doc.get(self.pointer)

    @property
    def exists(self) -> bool:
        missing = object()
        return self.doc.get(self.pointer, missing) is not missing

    def span(self, at: Literal["key", "value"] = "value") -> Span:
        return self.doc.span(self.pointer, at)

    @property
    def start_line(self) -> int:
        """`span().start_line` (see `Document.start_line`)."""
        return self.doc.start_line(self.pointer)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Node) and other.doc is self.doc and other.pointer == self.pointer

    def __hash__(self) -> int:
        return hash((id(self.doc), self.pointer))


class SourceFile(Value):
    """A loaded file: its text, its documents and what loading noted.

    Once the rules that read a file alone have run, `release` drops its text and each
    document's data and spans (what makes a file ~20 KB in memory) and keeps only a hash of
    the text: a late reader (a report's excerpt, a fix) gets them back by `restore`, which
    reads and parses the file again and refuses a file whose text changed meanwhile. A run
    over a large tree keeps only what cross-file rules need (floe_lint.lint.stream).
    """

    __slots__ = ("_held", "documents", "path", "plain", "problems", "text")
    path: Path
    text: str
    documents: list[Document]
    problems: list[LoadProblem]
    #: True when `parse` built every document's data of `dict` with `str` keys, `list`, `str`,
    #: `int`, `float`, `bool` and `None` alone (no timestamp, `!!binary` or `!!set` value, no
    #: key of another type; floe_lint.lint.parsed stores such a parse as JSON); False when
    #: not; None when not noted (a file made otherwise)
    plain: bool | None
    #: while released: a hash of the text and its length, times 2**len(_NEEDLES), plus a bit
    #: for each of _NEEDLES it contains (one int: this stays for every file of a run)
    _held: int | None

    def __init__(
        self,
        path: Path,
        text: str,
        documents: list[Document] | None = None,
        problems: list[LoadProblem] | None = None,
    ) -> None:
        self.path = path
        self.text = text
        self.documents = [] if documents is None else documents
        self.problems = [] if problems is None else problems
        self._held = None
        self.plain = None

    def __getattr__(self, name: str) -> Any:
        """A released file's text, read and parsed again on first use (see `restore`)."""
        if name == "text" and self._held is not None:
            self.restore()
            return self.text
        raise AttributeError(name)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @property
    def released(self) -> bool:
        return self._held is not None

    def mentions(self, needle: str) -> bool:
        """`needle in self.text`, answered without restoring a released file for a needle
        given to `release`."""
        held = self._held
        if held is not None and needle in _NEEDLES:
            return bool(held >> _NEEDLES.index(needle) & 1)
        return needle in self.text

    def release(self) -> bool:
        """Drop the text and every document's data and spans (see the class); False, and
        nothing dropped, for a file without text or already released."""
        if self._held is not None or type(self) is not SourceFile or not self.text:
            return False
        text = self.text
        self._held = _fingerprint(text)
        del self.text
        for doc in self.documents:
            doc._owner = self
            doc._spans = None
            with suppressed(AttributeError):  # never used since a restore
                del doc._models  # a new one on first use (see Document.__getattr__)
            for name in _RELEASED:
                delattr(doc, name)
        return True

    def restore(self) -> None:
        """Read and parse a released file again, putting back what `release` dropped."""
        held = self._held
        if held is None:
            return
        try:
            raw = read_regular(self.path, MAX_BYTES)
        except ReadError as error:
            raise ChangedWhileChecked(self.path) from error
        fresh = parse(self.path, raw)
        if _fingerprint(fresh.text) != held or len(fresh.documents) != len(self.documents):
            raise ChangedWhileChecked(self.path)
        self.text = fresh.text
        for doc, again in zip(self.documents, fresh.documents, strict=True):
            doc.data, doc.text, doc.located = again.data, again.text, again.located
            doc._models = {}  # release dropped them (models of the data read again are made anew)
            doc._owner = None
        self._held = None


def _fingerprint(text: str) -> int:
    """What a released file keeps of its text (see `SourceFile._held`)."""
    marks = sum(1 << at for at, needle in enumerate(_NEEDLES) if needle in text)
    return (hash((text, len(text))) << len(_NEEDLES)) | marks


def parse(path: Path, raw: bytes, positions: bool = False) -> SourceFile:
    """Parse bytes into a SourceFile; every failure is recorded, nothing is raised. With
    `positions`, where each node sits is noted as well (floe_lint.load.positions)."""
    if len(raw) > MAX_BYTES:
        source = SourceFile(path, "")
        source.problems.append(
            LoadProblem(
                "yaml-syntax", f"file is {len(raw)} bytes; the limit is {MAX_BYTES}", FILE_START
            )
        )
        return source
    try:
        text = utf8_text(raw)
    except UnicodeDecodeError as error:
        body = error.object  # after the byte-order mark, which error.start does not count
        line = body[: error.start].count(b"\n") + 1
        line_start = body.rfind(b"\n", 0, error.start) + 1
        # Columns count code points, as everywhere (SARIF's columnKind), not bytes; the
        # line's bytes before the error are valid UTF-8.
        col = len(body[line_start : error.start].decode("utf-8", errors="replace")) + 1
        source = SourceFile(path, "")
        source.problems.append(
            LoadProblem("yaml-syntax", "file is not valid UTF-8", Span(line, col, line, col + 1))
        )
        return source
    source = SourceFile(path, text)
    lines = source.lines
    if path.suffix.lower() == ".json":
        from floe_lint.load.syntax import json_ambiguities, json_problem  # (not for YAML)

        if (problem := json_problem(text)) is not None:
            source.problems.append(problem)
            return source
        source.problems.extend(json_ambiguities(text))
    source.problems.extend(divergence.problems(text))
    starts: list[Span] = []
    count = 0
    located = FileSpans(text)
    if positions:  # only runs that place many findings (`impact`) note positions
        from floe_lint.load import positions as noted
    record = positions and noted.may_record(text)
    odd: list[bool] = []  # (`build` notes data JSON does not hold exactly)
    try:
        for index, root in enumerate(compose_all(text)):
            if root is None:
                continue
            count += 1
            if count <= 2:
                starts.append(span_of(root, lines))
            doc = Document(path, index, None, text, located=located)
            if record:
                doc.data = noted.noted(
                    root, lines, source.problems, located.tables, index, len(text)
                )
            else:
                doc.data = build(root, lines, source.problems, odd)
            doc.kind = classify(doc.data, path)
            source.documents.append(doc)
    except yaml.YAMLError as error:
        from floe_lint.load.syntax import explain, inside

        message, span = explain(error, lines, text)
        source.problems.append(LoadProblem("yaml-syntax", message, inside(span, lines)))
    except TooManyNodes:
        source.problems.append(
            LoadProblem(
                "yaml-syntax",
                f"document expands to more than {MAX_NODES} nodes (an alias bomb?)",
                FILE_START,
            )
        )
    except TooDeep as error:
        source.problems.append(
            LoadProblem(
                "yaml-syntax",
                f"document is nested more than {MAX_DEPTH} levels deep (or an alias refers "
                "to a node that contains it)",
                span_of(error.node, lines),
            )
        )
    if len(starts) > 1:
        from floe_lint.load.syntax import inside

        source.problems.append(_several_documents(count, inside(starts[1], lines), lines))
    source.plain = None if record else not odd
    return source


def _several_documents(count: int, second: Span, lines: list[str]) -> LoadProblem:
    """The second document's first line is where the file stops being one document."""
    line = second.start_line
    end = second.end_col if second.end_line == line else len(lines[line - 1]) + 1
    start = Span(line, second.start_col, line, max(end, second.start_col))
    return LoadProblem(
        "multiple-documents",
        f"this file holds {count} YAML documents (the second starts here); upstream Floe reads a "
        "manifest or floe.yaml with yaml.safe_load, which refuses more than one, so it would "
        "not run what floe-lint checked: keep one document per file",
        start,
    )


def load(path: Path, positions: bool = False) -> SourceFile:
    """Read and parse a file; an unreadable file becomes a yaml-syntax problem."""
    try:
        raw = read_regular(path, MAX_BYTES)
    except ReadError as error:
        source = SourceFile(path, "")
        source.problems.append(LoadProblem("yaml-syntax", f"cannot read file: {error}", FILE_START))
        return source
    return parse(path, raw, positions)
