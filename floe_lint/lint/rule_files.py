"""The files of the config's rule folders, which key the result cache (floe_lint.lint.cache,
floe_lint.lint.whole): a rule module may read a file beside it (a list of allowed names), and a
run replayed after that file changed printed the findings of its old text."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from floe_lint.load.bounded import read_bounded
from floe_lint.load.digests import digest


def rule_folder_files(folders: Iterable[Path]) -> list[Path]:
    """Every file of the rule folders and below (but `__pycache__`), in order, through
    symbolic links to folders too (a module may read `lists/` linked to a policy folder),
    each folder once (a link back up adds nothing)."""
    found: list[Path] = []
    for folder in folders:
        seen: set[str] = set()
        for top, dirs, files in os.walk(folder, followlinks=True):
            real = os.path.realpath(top)
            if real in seen:
                dirs[:] = []
                continue
            seen.add(real)
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            found.extend(Path(top, name) for name in sorted(files))
    return found


def content_hash(path: str) -> str | None:
    """The hash of a regular file's bytes (bounded); None when it cannot be read."""
    raw = read_bounded(path)
    return None if raw is None else digest(raw)
