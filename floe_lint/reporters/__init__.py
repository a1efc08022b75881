"""Report formats: one module per format, each turning findings into text on a stream.

Nothing but a reporter writes to stdout.
"""

from __future__ import annotations

from pathlib import Path

from floe_lint.findings import Finding
from floe_lint.load.paths import relative_posix


def display_path(path: Path, cwd: Path | None = None) -> str:
    """Paths relative to the working directory, in POSIX form (outside it: relative with ..)."""
    return relative_posix(path, cwd)


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key(display_path(f.path)))
