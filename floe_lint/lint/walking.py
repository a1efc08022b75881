"""The files a command works on under the paths it was given, by the rules every command
shares: `discover`'s walk (a symbolic link out of a folder given is followed into the workspace,
`within`, never out of it) and the config's include/exclude globs, where a file they leave out
by its own name is kept when a link the walk met spells it as a path they select
(`filtering.selector`). check (floe_lint.lint.engine), lock, the language server's index and
`lockfile.collect` walk through here, so that none of them sees another set of files: `lock
products` missed a product linked from outside the folder that `check products` lints, and
the server left out one linked into a selected path from an excluded folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from floe_lint.load.linked import discover
from floe_lint.load.walk import Beside

TYPE_CHECKING = False
if TYPE_CHECKING:
    from floe_lint.config import Config


def selected_files(
    paths: Iterable[Path],
    config: Config | None,
    within: str | os.PathLike[str] | None,
    *,
    hook: bool = False,
    listing: Beside | None = None,
) -> list[tuple[Path, bool]]:
    """`discover(paths, within=within)` (each file with whether it was named), less what the
    config's globs leave out, knowing the links the walk met (none left out without `config`).
    `listing` notes what the walk listed (its own when None)."""
    listed = Beside() if listing is None else listing
    found = list(discover(paths, hook=hook, listing=listed, within=within))
    if config is None or not (config.include or config.exclude):
        return found
    from floe_lint.lint import filtering

    keep = filtering.selector(config, listed.links)
    return [(path, explicit) for path, explicit in found if keep(path)]
