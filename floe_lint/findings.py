"""Plain data that flows from rules to reporters: locations, findings and their fixes."""

from __future__ import annotations

from floe_lint.record import Frozen, Ordered, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Literal

    Severity = Literal["error", "warning", "note"]
    #: ruff's model: `safe` keeps meaning and comments (`--fix`), `unsafe` may change behaviour
    #: (only with `--unsafe-fixes`), `display-only` is shown and never applied
    Applicability = Literal["safe", "unsafe", "display-only"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")
APPLICABILITIES: tuple[Applicability, ...] = ("safe", "unsafe", "display-only")


class Span(Ordered):
    """A 1-based region; the end column is exclusive, as in SARIF."""

    __slots__ = ("end_col", "end_line", "start_col", "start_line")
    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def __init__(self, start_line: int, start_col: int, end_line: int, end_col: int) -> None:
        set_field(self, "start_line", start_line)
        set_field(self, "start_col", start_col)
        set_field(self, "end_line", end_line)
        set_field(self, "end_col", end_col)


FILE_START = Span(1, 1, 1, 1)


class Location(Frozen):
    __slots__ = ("path", "pointer", "span")
    path: Path
    span: Span
    pointer: str

    def __init__(self, path: Path, span: Span, pointer: str = "") -> None:
        set_field(self, "path", path)
        set_field(self, "span", span)
        set_field(self, "pointer", pointer)


class Related(Frozen):
    __slots__ = ("location", "message")
    location: Location
    message: str

    def __init__(self, location: Location, message: str) -> None:
        set_field(self, "location", location)
        set_field(self, "message", message)


class Edit(Frozen):
    """Replace the text at `span` of `path` by `text` (an empty span inserts, empty text
    deletes); columns count code points, as in every span."""

    __slots__ = ("path", "span", "text")
    path: Path
    span: Span
    text: str

    def __init__(self, path: Path, span: Span, text: str) -> None:
        set_field(self, "path", path)
        set_field(self, "span", span)
        set_field(self, "text", text)


class Fix(Frozen):
    """What would make a finding go away: minimal text edits and how safe they are."""

    __slots__ = ("applicability", "edits", "title")
    applicability: Applicability
    title: str
    edits: tuple[Edit, ...]

    def __init__(self, applicability: Applicability, title: str, edits: tuple[Edit, ...]) -> None:
        set_field(self, "applicability", applicability)
        set_field(self, "title", title)
        set_field(self, "edits", edits)


class Finding(
    Frozen,
    compare=("rule_id", "name", "severity", "message", "location", "related", "sensitive"),
):
    """One problem. `sensitive` marks findings whose source text must never be shown.
    `extra` and `fix` are not compared."""

    __slots__ = (
        "extra",
        "fix",
        "location",
        "message",
        "name",
        "related",
        "rule_id",
        "sensitive",
        "severity",
    )
    rule_id: str
    name: str
    severity: Severity
    message: str
    location: Location
    related: tuple[Related, ...]
    sensitive: bool
    extra: dict[str, str]
    fix: Fix | None

    def __init__(
        self,
        rule_id: str,
        name: str,
        severity: Severity,
        message: str,
        location: Location,
        related: tuple[Related, ...] = (),
        sensitive: bool = False,
        extra: dict[str, str] | None = None,
        fix: Fix | None = None,
    ) -> None:
        set_field(self, "rule_id", rule_id)
        set_field(self, "name", name)
        set_field(self, "severity", severity)
        set_field(self, "message", message)
        set_field(self, "location", location)
        set_field(self, "related", related)
        set_field(self, "sensitive", sensitive)
        set_field(self, "extra", {} if extra is None else extra)
        set_field(self, "fix", fix)

    @property
    def path(self) -> Path:
        return self.location.path

    @property
    def pointer(self) -> str:
        return self.location.pointer

    def sort_key(self, display_path: str) -> tuple[str, int, int, str, str]:
        span = self.location.span
        return (display_path, span.start_line, span.start_col, self.rule_id, self.message)
