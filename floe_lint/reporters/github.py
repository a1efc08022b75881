"""GitHub Actions workflow commands: one `::error file=…,line=…::message` annotation per finding.

GitHub turns at most 10 annotations per level and step into inline comments, so the report
ends with a plain count of everything and says where the full list is.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from floe_lint.findings import Finding
from floe_lint.reporters import display_path, printable
from floe_lint.reporters.summary import NOTHING_SILENCED, Silenced

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
SHOWN_PER_LEVEL = 10


def escape_data(text: str) -> str:
    """Workflow-command data: GitHub's %-encoding of `%`, CR and LF (so no line of the input
    can become a command of its own), every other control character escaped as in text."""
    encoded = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(encoded)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, root: Path) -> str:
    span = finding.location.span
    properties = {
        "file": display_path(finding.path, root),
        "line": span.start_line,
        "col": span.start_col,
        "endLine": span.end_line,
        "endColumn": span.end_col,
        "title": f"{finding.rule_id} {finding.name}",
    }
    if span.end_line != span.start_line:
        del properties["endColumn"]  # GitHub honours columns only within one line
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
    message = finding.message
    dependent = finding.extra.get("dependent")  # (`floe_lint.lint.dependents`)
    if dependent:
        message += f" ({dependent})"
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def write(
    findings: Sequence[Finding],
    out: TextIO,
    *,
    files_checked: int,
    full_report: str | None = None,
    root: Path | None = None,
    silenced: Silenced = NOTHING_SILENCED,
) -> None:
    """Annotations for `findings`, then the closing count (a plain line, not a command)."""
    base = root or Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())
    for finding in findings:
        out.write(annotation(finding, base) + "\n")
    counts = {level: sum(1 for f in findings if f.severity == level) for level in COMMANDS}
    parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in counts.items() if n]
    summary = ", ".join(parts) if parts else "no problems"
    out.write(f"floe-lint: {summary} in {files_checked} file{'s' if files_checked != 1 else ''}")
    if silenced.clause():
        out.write(f"; {silenced.clause()}")
    if any(n > SHOWN_PER_LEVEL for n in counts.values()):
        where = full_report or "the list above in this step's log"
        out.write(
            f"; GitHub shows only {SHOWN_PER_LEVEL} annotations per level, "
            f"every finding is in {where}"
        )
    elif findings and full_report:
        out.write(f"; full report: {full_report}")
    out.write("\n")
