"""Stores written by a test, damaged in SHAPE but sealed as a run seals them
(floe_lint.lint.lines.sealed): a line whose seal did not match would be ignored before the
shape checks a test means to reach (a test that could not fail)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from floe_lint.lint import cache
from floe_lint.lint.lines import sealed


def rewrite_store(path: Path, edit: Callable[[str, dict[str, object]], str]) -> None:
    """Write the store at `path` again, each entry's line the text `edit(key, entry)` returns
    (`"key":{entry}`, unsealed: the entry read without its seal), sealed and laid out as
    `cache.Store` writes it."""
    entries = json.loads(path.read_text("utf-8"))["entries"]
    lines = []
    for key, entry in entries.items():
        entry.pop("#", None)
        lines.append(sealed(edit(key, entry)))
    head = f'{{"version":{cache.STORE_VERSION},"entries":{{\n'
    path.write_text(head + ",\n".join(lines) + "\n}}", "utf-8")


def line_of(key: str, entry: dict[str, object]) -> str:
    """An entry's unsealed line, as `cache.entry_line` makes it before sealing."""
    return json.dumps(key) + ":" + json.dumps(entry, separators=(",", ":"))
