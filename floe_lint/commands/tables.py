"""Plain aligned tables for the listing commands (`plugins`, `check-connections`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO


def write_table(header: tuple[str, ...], table: Sequence[tuple[str, ...]], out: TextIO) -> None:
    """Aligned columns; cells come from plugins and drivers, so control characters are escaped."""
    from floe_lint.reporters import printable

    rows = [tuple(printable(cell) for cell in row) for row in table]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        out.write("  ".join([*cells, row[-1]]).rstrip() + "\n")
