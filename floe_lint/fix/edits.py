"""Edits at a node's span that change one value and nothing else.

Each builder reads the node's text as written and returns None rather than guess: a scalar
whose text is not plainly its value (escapes, folded lines), a list item that shares its line
with something else, a deletion that would swallow a comment. So an edit never reformats or
re-quotes what it does not change.
"""

from __future__ import annotations

import json
import re

from floe_lint.findings import Edit
from floe_lint.fix.text import LineTable
from floe_lint.load import pointer as ptr
from floe_lint.load.document import Document, Node
from floe_lint.load.problems import NodeSpans

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A plain scalar that reads back as this same string in block and flow context alike.
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./@+-]*(?::[A-Za-z0-9_./@+-]+)*")
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"})
_TRAILER = re.compile(r"[ \t]*(?:#[^\r\n]*)?")


def _table(doc: Document) -> LineTable:
    """The line table of the document's file, built once per file (on the first fix a rule
    states in it): every document of a file holds the whole file's text."""
    cache = doc.located.cache if doc.located is not None else doc._models
    table = cache.get(("fix-lines", ""))
    if not isinstance(table, LineTable) or table.text is not doc.text:
        table = cache[("fix-lines", "")] = LineTable(doc.text)
    return table


def _spans(doc: Document, pointer: str) -> NodeSpans:
    """The spans of a node that exists (KeyError otherwise, as a dict of them would raise)."""
    spans = doc.node_spans(pointer)
    if spans is None:
        raise KeyError(pointer)
    return spans


def raw_text(node: Node, at: str = "value") -> str | None:
    """The node's text as written (quotes included), or None when it cannot be located."""
    if not node.exists or not node.pointer:
        return None
    spans = node.doc.node_spans(node.pointer)
    if spans is None:
        return None
    span = spans.key if at == "key" else spans.value
    if span is None:
        return None
    where = _table(node.doc).offsets(span)
    return node.doc.text[where[0] : where[1]] if where is not None else None


def _scalar_style(raw: str, value: str) -> str | None:
    """`plain`, `'` or `"` when `raw` is `value` written on one line in that style."""
    if "\n" in raw or "\r" in raw:
        return None
    if raw[:1] == '"' and raw[-1:] == '"' and len(raw) >= 2:
        try:
            return '"' if json.loads(raw) == value else None
        except ValueError:
            return None
    if raw[:1] == "'" and raw[-1:] == "'" and len(raw) >= 2:
        return "'" if raw[1:-1].replace("''", "'") == value else None
    return "plain" if raw == value else None


def written(value: str, style: str) -> str:
    """`value` as a scalar in `style`, falling back to double quotes where plain is unsafe."""
    if style == "plain" and _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    if style == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


def replace_scalar(node: Node, value: str, at: str = "value") -> Edit | None:
    """Set a string scalar (or a mapping key, `at="key"`) to `value`, quoted as it was."""
    current: Any = node.key if at == "key" else node.value
    raw = raw_text(node, at)
    if not isinstance(current, str) or raw is None:
        return None
    style = _scalar_style(raw, current)
    if style is None:
        return None
    json_file = node.doc.path.suffix.lower() == ".json"
    new = written(value, '"' if json_file else style)
    spans = _spans(node.doc, node.pointer)
    span = spans.key if at == "key" else spans.value
    return Edit(node.doc.path, span, new) if span is not None else None


def remove_item(node: Node) -> Edit | None:
    """Delete one item of a list that keeps at least one other, with its separator (flow:
    `, item`; block: the item's whole lines). None when the deletion would take a comment, an
    anchor (`&name`: an alias later in the file may name it) or part of a line that holds
    something else."""
    parent = node.parent
    items = parent.value
    token = ptr.last(node.pointer)
    if not isinstance(items, list) or len(items) < 2 or not token.isdigit():
        return None
    index = int(token)
    raw = raw_text(parent)
    if raw is None or index >= len(items):
        return None
    doc = node.doc
    table = _table(doc)
    here = table.offsets(_spans(doc, node.pointer).value)
    if here is None:
        return None
    if raw.startswith("["):
        if index > 0:
            before = table.offsets(_spans(doc, ptr.join(parent.pointer, index - 1)).value)
            start, end = (before[1], here[1]) if before is not None else (-1, -1)
        else:
            after = table.offsets(_spans(doc, ptr.join(parent.pointer, 1)).value)
            start, end = (here[0], after[0]) if after is not None else (-1, -1)
        if start < 0 or "#" in doc.text[start:end] or "&" in doc.text[start:end]:
            return None
        return Edit(doc.path, table.span(start, end), "")
    span = _spans(doc, node.pointer).value
    line_start = table.starts[span.start_line - 1]
    lead = doc.text[line_start : here[0]]
    if lead.strip() != "-":
        return None
    tail_end = table.line_end(span.end_line)
    if not _TRAILER.fullmatch(doc.text[here[1] : tail_end]):
        return None
    end = table.starts[span.end_line] if span.end_line < len(table.starts) else len(doc.text)
    if "&" in doc.text[line_start:end]:
        return None  # an anchor an alias may name further on: deleting it breaks the file
    return Edit(doc.path, table.span(line_start, end), "")
