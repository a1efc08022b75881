"""The oci:// fetcher that every command resolves refs with, built from the config.

oras is not imported here: the fetcher loads it only when a ref needs the network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from floe_lint.commands.usage import EXIT_FINDINGS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from floe_lint.config import Config
    from floe_lint.oci.pull import Fetcher
    from floe_lint.oci.settings import Settings


def settings(config: Config, *, offline: bool = False) -> Settings:
    from floe_lint.oci.settings import Settings

    where = str(config.path) if config.path else "config"
    return Settings.load(config.oci, config.root, where, offline=offline)


def fetcher(config: Config, paths: Sequence[Path], *, offline: bool = False) -> Fetcher:
    """The fetcher for `check`: locks from floe.lock files near `paths`, looked up lazily."""
    from floe_lint.oci import lockfile
    from floe_lint.oci.pull import Fetcher

    return Fetcher(settings(config, offline=offline), lambda: lockfile.collect(paths))


def reporting_ref_errors(command: Callable[[], int], stderr: TextIO) -> int:
    """Run a registry command; a ref that cannot be pulled or pushed is one line, exit 1."""
    from floe_lint.model.refs import RefError
    from floe_lint.reporters import printable

    try:
        return command()
    except RefError as error:
        stderr.write(f"floe-lint: error: {printable(str(error))}\n")
        return EXIT_FINDINGS
