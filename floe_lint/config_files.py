"""Where floe-lint's config file is: the nearest `.floe-lint.yaml`, `.floe-lint.yml` or
`pyproject.toml` with a `[tool.floe-lint]` table above a folder, and its bounded read. Apart
from floe_lint.config, so that finding a project's root (floe_lint.load.root) does not import
the config's whole model (and the rule registry it reaches).
"""

from __future__ import annotations

from pathlib import Path

from floe_lint.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CONFIG_NAMES = (".floe-lint.yaml", ".floe-lint.yml", "pyproject.toml")


def find_config(start: Path) -> Path | None:
    """The config file of `start`'s project (pyproject.toml only with our table): inside a
    repository (a folder at or above `start` holding `.git`), the outermost one from `start`
    up to its root, so that a folder below the root's config (a product's own) cannot relax
    the repository's mandatory rules from a run there; else the nearest upwards."""
    folders = (start, *start.parents)
    root = next((at for at, f in enumerate(folders) if (f / ".git").exists()), None)
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
        candidate = folder / name
        if not candidate.is_file():
            continue
        if name != "pyproject.toml" or "floe-lint" in read_toml(candidate).get("tool", {}):
            return candidate
    return None


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
