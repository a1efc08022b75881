"""Plain data that flows from rules to reporters: locations, findings and their fixes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")
#: ruff's model: `safe` keeps meaning and comments (`--fix`), `unsafe` may change behaviour
#: (only with `--unsafe-fixes`), `display-only` is shown and never applied
Applicability = Literal["safe", "unsafe", "display-only"]
APPLICABILITIES: tuple[Applicability, ...] = ("safe", "unsafe", "display-only")


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A 1-based region; the end column is exclusive, as in SARIF."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int


FILE_START = Span(1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Location:
    path: Path
    span: Span
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Related:
    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text at `span` of `path` by `text` (an empty span inserts, empty text
    deletes); columns count code points, as in every span."""

    path: Path
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """What would make a finding go away: minimal text edits and how safe they are."""

    applicability: Applicability
    title: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem. `sensitive` marks findings whose source text must never be shown."""

    rule_id: str
    name: str
    severity: Severity
    message: str
    location: Location
    related: tuple[Related, ...] = ()
    sensitive: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    fix: Fix | None = field(default=None, compare=False, hash=False)

    @property
    def path(self) -> Path:
        return self.location.path

    @property
    def pointer(self) -> str:
        return self.location.pointer

    def sort_key(self, display_path: str) -> tuple[str, int, int, str, str]:
        span = self.location.span
        return (display_path, span.start_line, span.start_col, self.rule_id, self.message)
