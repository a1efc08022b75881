"""Report formats: one module per format, each turning findings into text on a stream.

Nothing but a reporter writes to stdout.
"""

from __future__ import annotations

import os
from pathlib import Path

from floe_lint.findings import Finding


def display_path(path: Path, cwd: Path | None = None) -> str:
    """Paths relative to the working directory, in POSIX form (outside it: relative with ..)."""
    base = cwd or Path.cwd()
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path.resolve().as_posix()


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key(display_path(f.path)))
