"""Command-line input errors and the small argument parsers that every command shares."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input to the command line itself; reported in one line with exit code 2."""


def split_list(values: Sequence[str]) -> list[str]:
    """Repeatable, comma-separated options (`--select FL201,FL202 --select FL3`) as one list."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def parse_ref_overrides(values: Sequence[str]) -> dict[str, Path]:
    """`--ref REF=PATH` options as a mapping; paths stay relative to the working directory."""
    refs: dict[str, Path] = {}
    for value in values:
        ref, sep, path = value.partition("=")
        if not sep or not ref or not path:
            raise UsageError(f"--ref expects REF=PATH, got '{value}'")
        refs[ref.strip()] = Path(path.strip())
    return refs
