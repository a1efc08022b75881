"""Installed entry points of floe-lint's groups, without paying for `importlib.metadata`
when none is installed.

`importlib.metadata` costs ~100 ms to import and `entry_points()` reads every package's
metadata; a pre-commit hook runs floe-lint on every commit, and most environments have no
plugin at all. One scan of `sys.path` for `entry_points.txt` files finds out which groups any
package declares (a few milliseconds); only then is `importlib.metadata` asked.
"""

from __future__ import annotations

import os
import sys
from functools import cache

from floe_lint.load.reading import read_regular

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

#: Something on sys.path this scan cannot read (a zip): every group may be there.
_ANY = "*"
#: More than any real entry_points.txt; a larger one is skipped.
_MAX_BYTES = 1 << 20


@cache
def _declared_groups() -> frozenset[str]:
    """The section names of every installed package's entry_points.txt."""
    groups: set[str] = set()
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                groups.add(_ANY)
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:  # a regular file only: sys.path may hold the cwd, and a FIFO there would block
                path = os.path.join(folder, name, "entry_points.txt")
                text = read_regular(path, _MAX_BYTES).decode("utf-8", errors="replace")
            except OSError:
                continue
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("[") and line.endswith("]"):
                    groups.add(line[1:-1].strip())
    return frozenset(groups)


def installed(group: str) -> list[EntryPoint]:
    """The entry points of `group`, ordered by name."""
    declared = _declared_groups()
    if group not in declared and _ANY not in declared:
        return []
    from importlib import metadata

    return sorted(metadata.entry_points(group=group), key=lambda e: e.name)


def source(entry: EntryPoint) -> str:
    """Where an entry point comes from, for messages: `distribution (module:attr)`."""
    return f"{entry.dist.name if entry.dist else '?'} ({entry.value})"
