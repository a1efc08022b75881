"""Human output: `path:line:col: SEVERITY FL### [name] message`, with optional source excerpts.

Colour is the caller's decision (`--color`, NO_COLOR); secrets are masked in excerpts; control
characters in anything taken from the input are escaped (`reporters.printable`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from floe_lint.findings import Finding
from floe_lint.masking import mask
from floe_lint.reporters import display_path, printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

_COLOURS = {"error": "\033[31;1m", "warning": "\033[33;1m", "note": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _excerpt(finding: Finding, lines: list[str]) -> list[str]:
    span = finding.location.span
    if not 0 < span.start_line <= len(lines):
        return []
    line = lines[span.start_line - 1]
    end = span.end_col if span.end_line == span.start_line else len(line) + 1
    end = max(end, span.start_col + 1)
    if finding.sensitive:
        line = line[: span.start_col - 1] + "*" * max(end - span.start_col, 1) + line[end - 1 :]
    line = mask(line)
    start, stop = span.start_col - 1, end - 1
    # The caret is placed under the escaped text, as wide as what it marks.
    indent, marked = len(printable(line[:start])), max(len(printable(line[start:stop])), 1)
    number = f"{span.start_line:>5} | "
    caret = " " * (len(number) - 2) + "| " + " " * indent + "^" * marked
    line = printable(line)
    return [number + line, caret]


def write(
    findings: list[Finding],
    out: TextIO,
    *,
    show_source: bool,
    colour: bool,
    read_lines: Callable[[Path], list[str]],
    concise: bool = False,
) -> None:
    """One line per finding; without `concise`, a dependent's cause on a note line below it
    (or, with `show_source`, the excerpt and every related location); with it, the cause at
    the end of the line and nothing else."""

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    for finding in findings:
        span = finding.location.span
        where = f"{printable(display_path(finding.path))}:{span.start_line}:{span.start_col}:"
        severity = paint(_COLOURS[finding.severity], finding.severity.upper())
        dependent = finding.extra.get("dependent")  # (`floe_lint.lint.dependents`)
        message = finding.message
        if concise and dependent:
            message += f" ({dependent})"
        out.write(
            f"{paint(_BOLD, where)} {severity} {printable(finding.rule_id)} "
            f"{paint(_DIM, f'[{printable(finding.name)}]')} {printable(message)}\n"
        )
        if concise and not show_source:
            continue
        if dependent and not show_source:
            out.write(f"      {paint(_DIM, 'note:')} {printable(dependent)}\n")
        if show_source:
            for line in _excerpt(finding, read_lines(finding.path)):
                out.write(line + "\n")
            for related in finding.related:
                rspan = related.location.span
                out.write(
                    f"      {paint(_DIM, 'note:')} {printable(display_path(related.location.path))}"
                    f":{rspan.start_line}:{rspan.start_col}: {printable(related.message)}\n"
                )
