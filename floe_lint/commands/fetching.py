"""The oci:// fetcher that every command resolves refs with, built from the config.

oras is not imported here: the fetcher loads it only when a ref needs the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
