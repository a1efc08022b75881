"""The oci:// fetcher that every command resolves refs with, built from the config.

oras is not imported here: the fetcher loads it only when a ref needs the network. `check`
takes a `Deferred` one: the config's `oci` settings are read (and refused) at once, but the
fetcher, its cache and the floe.lock reader are made when a ref first needs them (a run
without oci:// refs, such as the pre-commit hook's usual one, never imports them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from floe_lint.commands.usage import EXIT_FINDINGS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

    from floe_lint.config import Config
    from floe_lint.model.refs import OciRef
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


class Deferred:
    """`fetcher(config, paths, offline=...)` made on first use: called with a ref, or asked
    for one of its attributes (the result cache asks for `resolved`, `locks`, ...)."""

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], Fetcher]) -> None:
        self._make = make
        self._made: Fetcher | None = None

    def fetcher(self) -> Fetcher:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __call__(self, ref: OciRef) -> Path:
        return self.fetcher()(ref)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fetcher(), name)


def deferred(
    config: Config, paths: Sequence[Path], *, offline: bool = False, within: Path | None = None
) -> Deferred:
    """`fetcher(config, paths, offline=...)`, made when a ref first needs it; the settings are
    read now, so a config they refuse fails the run as before. `within`: the workspace, where
    the walk of a folder given follows a link out of it (as `check`'s)."""
    oci = settings(config, offline=offline)

    def make() -> Fetcher:
        from floe_lint.oci import lockfile
        from floe_lint.oci.pull import Fetcher

        return Fetcher(oci, lambda: lockfile.collect(paths, within))

    return Deferred(make)


def reporting_ref_errors(command: Callable[[], int], stderr: TextIO) -> int:
    """Run a registry command; a ref that cannot be pulled or pushed is one line, exit 1."""
    from floe_lint.model.refs import RefError
    from floe_lint.reporters import printable

    try:
        return command()
    except RefError as error:
        stderr.write(f"floe-lint: error: {printable(str(error))}\n")
        return EXIT_FINDINGS
