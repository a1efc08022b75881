"""What reading a file records: where each node sits, and the problems found on the way."""

from __future__ import annotations

from floe_lint.findings import Span
from floe_lint.record import Frozen, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal


class NodeSpans(Frozen):
    """Where a node sits: its key (for mapping entries) and its value."""

    __slots__ = ("key", "value")
    value: Span
    key: Span | None

    def __init__(self, value: Span, key: Span | None = None) -> None:
        set_field(self, "value", value)
        set_field(self, "key", key)


class LoadProblem(Frozen):
    """A problem found while reading a file; `rule` names the rule that reports it."""

    __slots__ = ("message", "pointer", "related_span", "rule", "span")
    rule: Literal["yaml-syntax", "duplicate-key", "multiple-documents", "merge-key"]
    message: str
    span: Span
    pointer: str
    related_span: Span | None

    def __init__(
        self,
        rule: Literal["yaml-syntax", "duplicate-key", "multiple-documents", "merge-key"],
        message: str,
        span: Span,
        pointer: str = "",
        related_span: Span | None = None,
    ) -> None:
        set_field(self, "rule", rule)
        set_field(self, "message", message)
        set_field(self, "span", span)
        set_field(self, "pointer", pointer)
        set_field(self, "related_span", related_span)


def collection_key(span: Span) -> LoadProblem:
    """A list or mapping used as a key (at `span`): PyYAML's loader refuses the file, so both
    builders (`yaml_tree.Builder`, `plain`) report it the same way."""
    return LoadProblem(
        "yaml-syntax",
        "a list or mapping as a key: upstream Floe's yaml.safe_load refuses the "
        "file (found unhashable key); use a plain key",
        span,
    )


def key_text(key_node: Any) -> str:
    """A key node's text as written, for messages (`~` stays `~`, not Python's 'None'; an
    empty null is 'null')."""
    text = key_node.value
    if not isinstance(text, str):  # (a list or mapping as a key)
        return str(text)
    return text or ("null" if str(key_node.tag).endswith(":null") else "")
