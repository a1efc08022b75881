"""Safe YAML loading that keeps, for every node, its exact span under its JSON pointer.

One libyaml parse serves both the data and the positions. Problems that PyYAML would hide or
raise (syntax errors, duplicate keys, alias bombs, oversize or non-UTF-8 input) come back as
values so that one bad file never stops the run.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from floe_lint.findings import FILE_START, Span
from floe_lint.load import pointer as ptr
from floe_lint.load.reading import MAX_BYTES, ReadError, read_regular

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is present in every supported wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Kind = Literal["manifest", "floe"]
MAX_NODES = 200_000
MAX_DEPTH = 100  # nesting levels; no Floe document comes close, and deeper costs the stack
MAX_INT_DIGITS = 4300  # Python's limit for int <-> str
MAX_INT_BITS = 14_000  # about as many digits, for hexadecimal, octal and 1:2:3 integers

_SCALAR_TAGS = "tag:yaml.org,2002:"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_constructor = yaml.constructor.SafeConstructor()


@dataclass(frozen=True, slots=True)
class NodeSpans:
    """Where a node sits: its key (for mapping entries) and its value."""

    value: Span
    key: Span | None = None


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A problem found while reading a file; `rule` names the rule that reports it."""

    rule: Literal["yaml-syntax", "duplicate-key", "multiple-documents"]
    message: str
    span: Span
    pointer: str = ""
    related_span: Span | None = None


@dataclass(slots=True)
class Document:
    """One YAML document of a file, with its data and the span of every node.

    Spans are located on first use: most documents never get a finding, so loading records
    none and the first `span()` composes the file's text again to record them all. This
    halves the cost of loading and keeps large repositories small in memory.
    """

    path: Path
    index: int
    data: Any
    text: str = field(default="", repr=False)
    kind: Kind | None = None
    #: `adr-0010` or `floe`: which dialect the document is read in (see model.floe_dialect)
    dialect: str = "adr-0010"
    #: for a document mixing both dialects: (pointer of the marker not followed, of the one
    #: followed); None otherwise
    mixed: tuple[str, str] | None = None
    _spans: dict[str, NodeSpans] | None = field(default=None, repr=False)
    #: the model read from this document, keyed by (what was read, dialect): rules, the
    #: hierarchy and the reverse index all ask for it, so it is read once
    _models: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def spans(self) -> dict[str, NodeSpans]:
        if self._spans is None:
            self._spans = _locate(self.text, self.index)
        return self._spans

    def span(self, pointer: str, at: Literal["key", "value"] = "value") -> Span:
        """The span of `pointer`, falling back to the nearest ancestor that exists."""
        current = pointer
        while True:
            spans = self.spans.get(current)
            if spans is not None:
                if at == "key" and spans.key is not None:
                    return spans.key
                return spans.value
            if not current:
                return FILE_START
            current = ptr.parent(current)

    def node(self, pointer: str = "") -> Node:
        """The place `pointer` names in this document (it need not exist)."""
        return Node(self, pointer)

    def get(self, pointer: str, default: Any = None) -> Any:
        node = self.data
        if not pointer:
            return node
        for token in pointer.split("/")[1:]:
            key = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and key in node:
                node = node[key]
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

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Node) and other.doc is self.doc and other.pointer == self.pointer

    def __hash__(self) -> int:
        return hash((id(self.doc), self.pointer))


@dataclass(slots=True)
class SourceFile:
    path: Path
    text: str
    documents: list[Document] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


class _TooManyNodes(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node):
        super().__init__()
        self.node = node


def _span(node: yaml.Node, lines: list[str]) -> Span:
    start, end = node.start_mark, node.end_mark
    end_line, end_col = end.line + 1, end.column + 1
    # Block collections end at column 0 of the next line; clamp to the last real character.
    if end.column == 0 and end.line > start.line:
        end_line = end.line
        end_col = len(lines[end.line - 1]) + 1 if end.line - 1 < len(lines) else 1
    return Span(start.line + 1, start.column + 1, end_line, end_col)


class _Builder:
    """Turns a composed node tree into plain data, noting duplicate keys and, when given a
    `spans` dict, the span of every node."""

    def __init__(
        self,
        lines: list[str],
        problems: list[LoadProblem],
        spans: dict[str, NodeSpans] | None = None,
    ):
        self.lines, self.problems, self.spans = lines, problems, spans
        self.count = self.depth = 0

    def build(self, node: yaml.Node, pointer: str, key_node: yaml.Node | None = None) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooManyNodes
        if self.spans is not None and pointer not in self.spans:
            key_span = _span(key_node, self.lines) if key_node is not None else None
            self.spans[pointer] = NodeSpans(_span(node, self.lines), key_span)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pointer)
        self._enter(node)  # a sequence
        items = [self.build(item, ptr.join(pointer, i)) for i, item in enumerate(node.value)]
        self.depth -= 1
        return items

    def _enter(self, node: yaml.Node) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(node)

    def _mapping(self, node: yaml.MappingNode, pointer: str) -> dict[Any, Any]:
        self._enter(node)
        result: dict[Any, Any] = {}
        seen: dict[Any, yaml.Node] = {}
        merged: list[yaml.MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                merged.extend(s for s in sources if isinstance(s, yaml.MappingNode))
                continue
            key = (
                self._scalar(key_node)
                if isinstance(key_node, yaml.ScalarNode)
                else str(key_node.value)
            )
            if not isinstance(key, str | int | float | bool) and key is not None:
                key = str(key)
            child = ptr.join(pointer, str(key))
            if key in seen:
                key_span, first = _span(key_node, self.lines), _span(seen[key], self.lines)
                self.problems.append(
                    LoadProblem(
                        "duplicate-key",
                        f"duplicate key '{key}': YAML keeps only the last value, "
                        f"silently discarding the one at line {first.start_line}",
                        key_span,
                        child,
                        related_span=first,
                    )
                )
                if self.spans is not None:
                    self.spans[child] = NodeSpans(_span(value_node, self.lines), key_span)
            seen[key] = key_node
            result[key] = self.build(value_node, child, key_node)
        for source in merged:  # explicit keys win over merged ones, as in YAML 1.1
            for key, value in self._mapping(source, pointer).items():
                result.setdefault(key, value)
        self.depth -= 1
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        """The value of a scalar; a tagged or plain number that cannot be one is a problem."""
        tag = node.tag or ""
        if tag == _STR_TAG:  # most scalars: skip the checks below
            return sys.intern(node.value)
        construct = _CONSTRUCTORS.get(tag)
        if construct is None:
            # Timestamps, binary and custom tags stay the text the author wrote. Interned: keys
            # and values repeat across thousands of files, and one copy each keeps memory flat.
            return sys.intern(str(node.value))
        name = tag[len(_SCALAR_TAGS) :]
        text = str(node.value)
        if name == "int" and len(text) > MAX_INT_DIGITS:
            why = _TOO_BIG
        else:
            try:
                value = construct(node)
            except (ValueError, KeyError, TypeError, OverflowError):
                why = f"the value is tagged !!{name} but is not {_TAG_WORDS.get(name, name)}"
            else:
                if not (isinstance(value, int) and value.bit_length() > MAX_INT_BITS):
                    return value
                why = _TOO_BIG
        self.problems.append(LoadProblem("yaml-syntax", why, _span(node, self.lines)))
        return sys.intern(text)


_TOO_BIG = f"an integer must have at most {MAX_INT_DIGITS:,} digits"
_TAG_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false"}
_CONSTRUCTORS: dict[str, Callable[[yaml.ScalarNode], Any]] = {
    _SCALAR_TAGS + "int": _constructor.construct_yaml_int,
    _SCALAR_TAGS + "float": _constructor.construct_yaml_float,
    _SCALAR_TAGS + "bool": _constructor.construct_yaml_bool,
    _SCALAR_TAGS + "null": _constructor.construct_yaml_null,
}


def _problem_span(error: yaml.YAMLError, text: str) -> Span:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        if isinstance(error, yaml.reader.ReaderError):
            return _character_span(text, error.position)
        return FILE_START
    return Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)


def _inside(span: Span, lines: list[str]) -> Span:
    """`span` moved within the file's lines: libyaml counts lines its own way (NEL) and points
    past the last one at the end of the input; the place shown is then the last line's end."""
    if not lines:
        return FILE_START
    if span.start_line > len(lines):
        return Span(len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 1)
    line = span.start_line
    col = min(span.start_col, len(lines[line - 1]) + 1)
    end_line = min(max(span.end_line, line), len(lines))
    end_col = min(span.end_col, len(lines[end_line - 1]) + 1)
    if end_line == line:
        end_col = max(end_col, col)
    return Span(line, col, end_line, end_col)


def _character_span(text: str, byte_offset: int) -> Span:
    """The span of the character at a UTF-8 byte offset of `text` (libyaml's reader reports
    a forbidden character, such as NUL, by offset, not by line), in code-point columns."""
    index = len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return Span(line, col, line, col + 1)


def _syntax_message(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        return f"invalid YAML: {error.reason} (U+{error.character:04X})"
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    return f"invalid YAML: {problem}" + (f" ({context})" if context else "")


def _valid_json(text: str, source: SourceFile) -> bool:
    """JSON is read with the YAML parser (for its spans), which also accepts what JSON does not."""
    import json

    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        span = Span(error.lineno, error.colno, error.lineno, error.colno + 1)
        source.problems.append(LoadProblem("yaml-syntax", f"invalid JSON: {error.msg}", span))
        return False
    except RecursionError:
        source.problems.append(
            LoadProblem("yaml-syntax", "document is nested too deeply", FILE_START)
        )
        return False
    return True


def _explain(error: yaml.YAMLError, lines: list[str], text: str) -> tuple[str, Span]:
    """The message and place of a syntax error, in the terms of the mistakes people make.

    libyaml reports where it gave up; for a tab in indentation and for a quote that is never
    closed, the place to look is the tab and the opening quote."""
    mark = getattr(error, "problem_mark", None)
    if mark is not None and 0 <= mark.line < len(lines):
        line = lines[mark.line]
        if line[mark.column : mark.column + 1] == "\t" or "tab" in str(
            getattr(error, "problem", "")
        ):
            start = len(line) - len(line.lstrip(" \t"))
            tabs = line[:start]
            if "\t" in tabs:
                col = tabs.index("\t")
                return (
                    "invalid YAML: a tab in the indentation; YAML forbids tabs there, "
                    "indent with spaces",
                    Span(mark.line + 1, col + 1, mark.line + 1, start + 1),
                )
            if line[mark.column : mark.column + 1] == "\t":
                return (
                    "invalid YAML: a tab where YAML expects a value or a space; "
                    "YAML forbids tabs outside quoted text, use spaces",
                    Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2),
                )
    context = getattr(error, "context", None) or ""
    start_mark = getattr(error, "context_mark", None)
    problem = str(getattr(error, "problem", ""))
    unclosed = "end of stream" in problem or "document separator" in problem
    if "quoted scalar" in context and unclosed and start_mark is not None:
        end = "the end of the file"
        if "separator" in problem and mark is not None:
            end = f"the '---' on line {mark.line + 1}"
        quote = '"' if "double" in context else "'"
        if 0 <= start_mark.line < len(lines):
            quote = lines[start_mark.line][start_mark.column : start_mark.column + 1] or quote
        return (
            f"invalid YAML: the quoted value that starts here ({quote}) is never closed; "
            f"the parser reached {end} looking for its closing {quote}",
            Span(
                start_mark.line + 1,
                start_mark.column + 1,
                start_mark.line + 1,
                start_mark.column + 2,
            ),
        )
    return _syntax_message(error), _problem_span(error, text)


def parse(path: Path, raw: bytes) -> SourceFile:
    """Parse bytes into a SourceFile; every failure is recorded, nothing is raised."""
    if len(raw) > MAX_BYTES:
        source = SourceFile(path, "")
        source.problems.append(
            LoadProblem(
                "yaml-syntax", f"file is {len(raw)} bytes; the limit is {MAX_BYTES}", FILE_START
            )
        )
        return source
    try:
        text = raw.decode("utf-8-sig")
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
    if path.suffix.lower() == ".json" and not _valid_json(text, source):
        return source
    starts: list[Span] = []
    count = 0
    try:
        for index, root in enumerate(yaml.compose_all(text, Loader=_Loader)):
            if root is None:
                continue
            count += 1
            if count <= 2:
                starts.append(_span(root, lines))
            doc = Document(path, index, None, text)
            doc.data = _Builder(lines, source.problems).build(root, "")
            doc.kind = classify(doc.data, path)
            source.documents.append(doc)
    except yaml.YAMLError as error:
        message, span = _explain(error, lines, text)
        source.problems.append(LoadProblem("yaml-syntax", message, _inside(span, lines)))
    except _TooManyNodes:
        source.problems.append(
            LoadProblem(
                "yaml-syntax",
                f"document expands to more than {MAX_NODES} nodes (an alias bomb?)",
                FILE_START,
            )
        )
    except _TooDeep as error:
        source.problems.append(
            LoadProblem(
                "yaml-syntax",
                f"document is nested more than {MAX_DEPTH} levels deep (or an alias refers "
                "to a node that contains it)",
                _span(error.node, lines),
            )
        )
    if len(starts) > 1:
        source.problems.append(_several_documents(count, _inside(starts[1], lines), lines))
    return source


def _several_documents(count: int, second: Span, lines: list[str]) -> LoadProblem:
    """The second document's first line is where the file stops being one document."""
    line = second.start_line
    end = second.end_col if second.end_line == line else len(lines[line - 1]) + 1
    start = Span(line, second.start_col, line, max(end, second.start_col))
    return LoadProblem(
        "multiple-documents",
        f"this file holds {count} YAML documents (the second starts here); upstream Floe reads "
        "a manifest or floe.yaml with yaml.safe_load, which refuses more than one, so it "
        "would not run what floe-lint checked: keep one document per file",
        start,
    )


def _locate(text: str, index: int) -> dict[str, NodeSpans]:
    """The span of every node of the `index`-th document of `text` (see `Document`)."""
    spans: dict[str, NodeSpans] = {}
    try:
        for number, root in enumerate(yaml.compose_all(text, Loader=_Loader)):
            if number == index:
                if root is not None:
                    _Builder(text.splitlines(), [], spans).build(root, "")
                break
    except (yaml.YAMLError, _TooManyNodes, _TooDeep):
        pass  # parse() reported it; the spans found so far still serve
    return spans


def load(path: Path) -> SourceFile:
    """Read and parse a file; an unreadable file becomes a yaml-syntax problem."""
    try:
        raw = read_regular(path, MAX_BYTES)
    except ReadError as error:
        source = SourceFile(path, "")
        source.problems.append(LoadProblem("yaml-syntax", f"cannot read file: {error}", FILE_START))
        return source
    return parse(path, raw)


_MANIFEST_KEYS = frozenset({"plugins", "scope", "parent_manifest"})
_FLOE_KEYS = frozenset({"transforms", "platform"})
_KIND_NAMES: dict[str, Kind] = {"manifest": "manifest", "floespec": "floe", "floe": "floe"}
ENV_VARIANT = re.compile(
    r"^(?P<base>floe|manifest|.*[-_.]manifest)\.(?P<env>[A-Za-z0-9_-]+)\.ya?ml$"
)


def _misspelt_kind(kind: object) -> bool:
    """`kind: Manifset` is ours, misspelt (the schema says so); `kind: Deployment` is not."""
    from floe_lint.suggest import closest

    return isinstance(kind, str) and closest(kind, ("Manifest", "FloeSpec")) is not None


def classify(data: Any, path: Path) -> Kind | None:
    """A document's kind from `kind:`, else its keys, else its file name; None means 'not ours'.

    A document with a `kind:` of its own (`PlatformEnvironmentContract`, a Kubernetes resource)
    is not ours, unless the kind is a misspelling of ours. A sniffed `platform` key counts only
    in its Floe shape (holding `ref` or `manifest`): a Helm `values.yaml` with a `platform:`
    block is not a product.
    """
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    if isinstance(kind, str) and kind.lower() in _KIND_NAMES:
        return _KIND_NAMES[kind.lower()]
    if kind is not None and not _misspelt_kind(kind):
        return None
    keys = {k for k in data if k != "platform"}
    platform = data.get("platform")
    if isinstance(platform, dict) and ("ref" in platform or "manifest" in platform):
        keys.add("platform")
    if keys & _MANIFEST_KEYS and not keys & _FLOE_KEYS:
        return "manifest"
    if keys & _FLOE_KEYS and not keys & _MANIFEST_KEYS:
        return "floe"
    name = path.name.lower()
    if name.startswith("floe"):
        return "floe"
    if "manifest" in name:
        return "manifest"
    return None
