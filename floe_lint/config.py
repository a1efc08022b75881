"""Run configuration: `[tool.floe-lint]` in pyproject.toml or `.floe-lint.yaml`, plus CLI flags.

The nearest config file to the working directory wins; `--config FILE` overrides the search.
The config is validated by `schemas/config.json`: an unknown key or a bad value is an error
that names the file, the line and the closest valid key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from floe_lint.errors import ConfigError
from floe_lint.findings import Severity

__all__ = ["Config", "ConfigError", "load_config", "render"]

CONFIG_NAMES = (".floe-lint.yaml", ".floe-lint.yml", "pyproject.toml")
FailOn = Literal["error", "warning"]


@dataclass
class Config:
    path: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    refs: dict[str, Path] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    rule_folders: list[Path] = field(default_factory=list)
    fail_on: FailOn = "error"
    format: str | None = None
    require_suppression_reason: bool = False
    baseline: Path | None = None
    oci: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        """The folder that relative paths and globs of the config are resolved against."""
        return self.path.parent if self.path is not None else Path.cwd()

    def effective(self) -> dict[str, Any]:
        """Every key with its effective value, as plain data (for `floe-lint config`)."""
        return {
            "config-file": str(self.path) if self.path else None,
            "select": self.select or ["ALL"],
            "ignore": self.ignore,
            "severity": dict(self.severity),
            "per-path-ignores": self.per_path_ignores,
            "include": self.include,
            "exclude": self.exclude,
            "rule-folders": [str(p) for p in self.rule_folders],
            "refs": {k: str(v) for k, v in self.refs.items()},
            "fail-on": self.fail_on,
            "format": self.format or "text",
            "require-suppression-reason": self.require_suppression_reason,
            "baseline": str(self.baseline) if self.baseline else None,
            "oci": self.oci,
        }


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
    import tomllib  # only when a pyproject.toml is read; a hook's start-up counts

    text = _read(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    except (ValueError, RecursionError) as error:  # an integer too long, nesting too deep
        raise ConfigError(
            f"{path}: invalid TOML: it is nested too deeply or holds a number too large"
        ) from error


def _read(path: Path) -> str:
    """The text of a config file: a regular UTF-8 file within the size limit."""
    from floe_lint.load.reading import read_text

    try:
        return read_text(path)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read config: {error}") from error


def _raw(path: Path) -> tuple[dict[str, Any], Any]:
    """The config table and a `where(pointer) -> (line, col)` function for messages."""
    if path.name == "pyproject.toml":
        table = _read_toml(path).get("tool", {}).get("floe-lint", {})
        text = _read(path)
        return table, lambda pointer: (_toml_line(text, pointer), 1)
    from floe_lint.load import document
    from floe_lint.load.reading import read_regular

    try:
        raw = read_regular(path)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read config: {error}") from error
    source = document.parse(path, raw)
    if source.problems:
        problem = source.problems[0]
        span = problem.span
        raise ConfigError(f"{path}:{span.start_line}:{span.start_col}: {problem.message}")
    if not source.documents:
        return {}, lambda pointer: (1, 1)
    doc = source.documents[0]

    def where(pointer: str) -> tuple[int, int]:
        span = doc.span(pointer, "key")
        return span.start_line, span.start_col

    if not isinstance(doc.data, dict):
        raise ConfigError(f"{path}:1:1: the floe-lint config must be a mapping")
    return doc.data, where


_TABLE_HEAD = re.compile(r"\s*tool\s*\.\s*[\"']?floe-lint[\"']?\s*")


def _table_header(line: str) -> str | None:
    r"""The sub-table a `[tool.floe-lint...]` header names ('' for the table itself), else None.

    Plain string work around one anchored pattern: a lazy `(.*?)` before `\s*\]\s*$` took
    time quadratic in the length of a hostile header line.
    """
    text = line.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return None
    inner = text[1:-1]
    head = _TABLE_HEAD.match(inner)
    if head is None:
        return None
    rest = inner[head.end() :]
    if not rest:
        return ""
    return rest[1:].strip() if rest.startswith(".") else None


def _toml_line(text: str, pointer: str) -> int:
    """The line of a key of `[tool.floe-lint]` (best effort: tomllib gives no positions)."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    lines = text.splitlines()
    best, in_table = 1, False
    for number, line in enumerate(lines, start=1):
        header = _table_header(line)
        if header is not None:
            in_table = True
            sub = header.strip("\"'")
            if not tokens or (sub and sub == tokens[0]):
                best = number
            if not tokens and best > 1:
                return best
            continue
        if line.lstrip().startswith("["):
            in_table = False
        if in_table and tokens:
            for token in tokens:
                key = re.escape(token)
                if re.match(rf"^\s*[\"']?{key}[\"']?\s*=", line) or re.search(
                    rf"[{{,]\s*[\"']?{key}[\"']?\s*=", line
                ):
                    best = number
    return best


def load_config(explicit: Path | None, cwd: Path) -> Config:
    path = explicit if explicit is not None else find_config(cwd)
    if path is None:
        return Config()
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    table, where = _raw(path)
    from floe_lint.load.validation import validate

    problems = validate(table, "config")
    if problems:
        lines = []
        for problem in problems:
            line, col = where(problem.pointer)
            message = problem.message.replace("in the document", "in the floe-lint config")
            lines.append(f"{path}:{line}:{col}: {message}")
        raise ConfigError("\n".join(lines))
    if not table.get("rule-folders"):  # rules of rule folders are known only once loaded
        _check_rule_keys(path, table, where)
    base = path.parent
    baseline = table.get("baseline")
    return Config(
        path=path,
        select=list(table.get("select", [])),
        ignore=list(table.get("ignore", [])),
        severity=dict(table.get("severity", {})),
        refs={str(k): base / v for k, v in table.get("refs", {}).items()},
        per_path_ignores={str(k): list(v) for k, v in table.get("per-path-ignores", {}).items()},
        include=list(table.get("include", [])),
        exclude=list(table.get("exclude", [])),
        rule_folders=[base / p for p in table.get("rule-folders", [])],
        fail_on=table.get("fail-on", "error"),
        format=table.get("format"),
        require_suppression_reason=bool(table.get("require-suppression-reason", False)),
        baseline=base / baseline if baseline else None,
        oci=dict(table.get("oci", {})),
    )


def _check_rule_keys(path: Path, table: dict[str, Any], where: Any) -> None:
    """Every rule id, prefix or name the config mentions must name at least one rule."""
    from floe_lint.lint.registry import builtin_rules
    from floe_lint.suggest import did_you_mean

    rules = builtin_rules()
    names = [r.id for r in rules] + [r.name for r in rules]
    mentions = [
        (f"/{key}/{i}", v) for key in ("select", "ignore") for i, v in enumerate(table.get(key, []))
    ]
    mentions += [(f"/severity/{k}", k) for k in table.get("severity", {})]
    for glob, codes in table.get("per-path-ignores", {}).items():
        glob_token = glob.replace("~", "~0").replace("/", "~1")
        mentions += [(f"/per-path-ignores/{glob_token}/{i}", c) for i, c in enumerate(codes)]
    for pointer, key in mentions:
        bare = str(key).rstrip("*").upper()
        if bare == "ALL" or any(
            r.id.startswith(bare) or r.name.upper().startswith(bare) for r in rules
        ):
            continue
        line, col = where(pointer)
        raise ConfigError(
            f"{path}:{line}:{col}: unknown rule '{key}'{did_you_mean(str(key), names)}; "
            "see 'floe-lint rules'"
        )


def render(config: Config) -> str:
    """The effective config as YAML, ready to paste into `.floe-lint.yaml`."""
    data = config.effective()
    source = data.pop("config-file")
    header = f"# effective floe-lint config (from {source or 'defaults: no config file found'})\n"
    return header + yaml.safe_dump(data, sort_keys=False, default_flow_style=False)
