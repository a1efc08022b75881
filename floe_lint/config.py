"""Run configuration: `[tool.floe-lint]` in pyproject.toml or `.floe-lint.yaml`, plus CLI flags.

The nearest config file to the working directory wins; `--config FILE` overrides the search.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from floe_lint.findings import Severity

CONFIG_NAMES = (".floe-lint.yaml", ".floe-lint.yml", "pyproject.toml")


class ConfigError(Exception):
    """A config problem; the message names the file and what is wrong."""


@dataclass
class Config:
    path: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    refs: dict[str, Path] = field(default_factory=dict)


def find_config(start: Path) -> Path | None:
    """The nearest config file upwards from `start` (pyproject.toml only with our table)."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or "floe-lint" in _read_toml(candidate).get("tool", {}):
                return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read config: {error}") from error


def _raw(path: Path) -> dict[str, Any]:
    if path.name == "pyproject.toml":
        table = _read_toml(path).get("tool", {}).get("floe-lint", {})
    else:
        try:
            table = yaml.load(path.read_text("utf-8"), Loader=yaml.SafeLoader) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise ConfigError(f"{path}: cannot read config: {error}") from error
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: the floe-lint config must be a mapping")
    return table


def _string_list(path: Path, table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: '{key}' must be a list of rule ids or names")
    return value


def load_config(explicit: Path | None, cwd: Path) -> Config:
    path = explicit if explicit is not None else find_config(cwd)
    if path is None:
        return Config()
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    table = _raw(path)
    known = {"select", "ignore", "severity", "refs"}
    for key in table:
        if key not in known:
            from floe_lint.suggest import did_you_mean

            raise ConfigError(f"{path}: unknown config key '{key}'{did_you_mean(str(key), known)}")
    refs = table.get("refs", {})
    severity = table.get("severity", {})
    if not isinstance(refs, dict) or not all(isinstance(v, str) for v in refs.values()):
        raise ConfigError(f"{path}: 'refs' must map each ref to a file path")
    if not isinstance(severity, dict) or not all(
        v in ("error", "warning", "note") for v in severity.values()
    ):
        raise ConfigError(
            f"{path}: 'severity' must map rule ids or names to error, warning or note"
        )
    return Config(
        path=path,
        select=_string_list(path, table, "select"),
        ignore=_string_list(path, table, "ignore"),
        severity=dict(severity),
        refs={str(k): (path.parent / v) for k, v in refs.items()},
    )
