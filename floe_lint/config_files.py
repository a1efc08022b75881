"""Where floe-lint's config file is: the nearest `.floe-lint.yaml`, `.floe-lint.yml` or
`pyproject.toml` with a `[tool.floe-lint]` table above a folder, and its bounded read. Apart
from floe_lint.config, so that finding a project's root (floe_lint.load.root) does not import
the config's whole model (and the rule registry it reaches).
"""

from __future__ import annotations

import os
from errno import EBADF, ELOOP, ENOENT, ENOTDIR
from pathlib import Path
from stat import S_ISREG

from floe_lint.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    T = TypeVar("T")

CONFIG_NAMES = (".floe-lint.yaml", ".floe-lint.yml", "pyproject.toml")


def find_config(start: Path) -> Path | None:
    """The config file of `start`'s project (pyproject.toml only with our table): inside a
    repository (a folder at or above `start` holding `.git`), the outermost one from `start`
    up to its root, so that a folder below the root's config (a product's own) cannot relax
    the repository's mandatory rules from a run there; else the nearest upwards."""
    folders = (start, *start.parents)
    root = next((at for at, f in enumerate(folders) if probe(f, ".git") is not None), None)
    if root is not None:
        for folder in reversed(folders[: root + 1]):
            config = _config_in(folder)
            if config is not None:
                return config
        folders = folders[root + 1 :]
    for folder in folders:
        config = _config_in(folder)
        if config is not None:
            return config
    return None


def _config_in(folder: Path) -> Path | None:
    """The config file `folder` holds, if any."""
    for name in CONFIG_NAMES:
        info = probe(folder, name)
        if info is None or not S_ISREG(info.st_mode):
            continue
        candidate = folder / name
        if name != "pyproject.toml" or "floe-lint" in read_toml(candidate).get("tool", {}):
            return candidate
    return None


#: what `Path.exists` and `Path.is_file` take for "not there" (pathlib's `_IGNORED_ERRNOS`)
_ABSENT = frozenset({ENOENT, ENOTDIR, EBADF, ELOOP})


def probe(folder: Path, name: str) -> os.stat_result | None:
    """`(folder / name).stat()`, None where `Path.exists` says it is not there (any other
    error is raised, as it raises it): a walk up the folders asks this of every level, and
    joining strings costs a tenth of making a Path (issue 17: a pre-commit run outside a
    repository walks each file's folders up to `/`)."""
    path = os.path.join(os.fspath(folder), name)
    return remembered(("stat", path), _stat)


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError as error:
        if error.errno not in _ABSENT:
            raise
        return None
    except ValueError:  # (a NUL in the path)
        return None


class Remembered:
    """Within it (`with Remembered():`), each folder's `.git` and config files are looked for
    once, and each folder's git root and config file found once (floe_lint.load.root): one
    command's choice of its config and of its workspace asks them of the same folders again
    and again (outside any repository, each file's folders up to `/`: 5 M instructions and 110
    system calls of a pre-commit run's 190 M, issue 17). For the span of one command's set-up
    only, never a long-running process's: a `.git` or config made later is seen."""

    __slots__ = ("outer",)

    def __enter__(self) -> Remembered:
        global _remembered
        self.outer = _remembered
        if _remembered is None:
            _remembered = {}
        return self

    def __exit__(self, *exc: object) -> None:
        global _remembered
        _remembered = self.outer


#: (what was asked, of what) -> the answer, while a `Remembered` is entered
_remembered: dict[tuple[str, Any], Any] | None = None


def remembered(key: tuple[str, Any], find: Callable[[Any], T]) -> T:
    """`find(key[1])`, asked once while a `Remembered` is entered."""
    if _remembered is None:
        return find(key[1])
    if key not in _remembered:
        _remembered[key] = find(key[1])
    return _remembered[key]  # type: ignore[no-any-return]


def read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when a pyproject.toml is read; a hook's start-up counts

    text = read_config(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    except (ValueError, RecursionError) as error:  # an integer too long, nesting too deep
        raise ConfigError(
            f"{path}: invalid TOML: it is nested too deeply or holds a number too large"
        ) from error


def read_config(path: Path) -> str:
    """The text of a config file: a regular UTF-8 file within the size limit."""
    from floe_lint.load.reading import read_text

    try:
        return read_text(path)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read config: {error}") from error
