"""`check --diff`: what `--fix` would change, as a unified diff, with every credential starred.

The lines are those of the files before and after, masked as any report masks them (a
context line next to a fixed one may hold a password), and escaped for the terminal.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TextIO

from floe_lint.fix.runner import FileText
from floe_lint.load.document import parse
from floe_lint.masking import mask, shown_lines
from floe_lint.reporters import display_path, printable


def _shown(file: FileText, data: bytes) -> list[str]:
    return [printable(mask(line)) + "\n" for line in shown_lines(parse(file.path, data))]


def write(files: Iterable[FileText], out: TextIO) -> None:
    for file in files:
        name = printable(display_path(file.path))
        out.writelines(
            difflib.unified_diff(
                _shown(file, file.original),
                _shown(file, file.data),
                f"a/{name}",
                f"b/{name}",
            )
        )
