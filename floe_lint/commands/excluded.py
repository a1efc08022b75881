"""A file named on the command line that the config's include/exclude globs leave out is not
checked (as ruff's --force-exclude: pre-commit hands every staged file, and an excluded one must
not fail the hook), but it is said on stderr, with the glob that left it out: 'check FILE' must
not print '0 files checked' and exit 0 as if the file had passed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from floe_lint.config import Config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO


def say_excluded(paths: Sequence[Path], config: Config, stderr: TextIO) -> None:
    """Name each file of `paths` the globs leave out, and why (nothing without globs)."""
    if not config.include and not config.exclude:
        return
    from floe_lint.lint.filtering import selector
    from floe_lint.load.paths import glob_match, relative_posix
    from floe_lint.reporters import printable

    keep = selector(config, ())
    source = printable(relative_posix(config.path)) if config.path is not None else "the config"
    for path in paths:
        if not path.is_file() or keep(path):
            continue
        relative = relative_posix(path.absolute(), config.root)
        matched = next((p for p in config.exclude if glob_match(relative, [p])), None)
        why = (
            f"exclude '{printable(matched)}'"
            if matched is not None
            else "include (no pattern of it matches)"
        )
        stderr.write(
            f"floe-lint: {printable(relative_posix(path))} is left out by {source}'s {why}: "
            "not checked\n"
        )
