"""Run configuration: `[tool.floe-lint]` in pyproject.toml or `.floe-lint.yaml`, plus CLI flags.

The working directory's project's config file wins (`find_config`: inside a repository its
outermost, else the nearest), or, for paths given outside its
workspace, the one their project's root reads; `--config FILE` overrides the search.
The config is validated by `schemas/config.json`: an unknown key or a bad value is an error
that names the file, the line and the closest valid key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path

from floe_lint.config_files import find_config, read_config, read_toml
from floe_lint.errors import ConfigError, ConfigErrors
from floe_lint.load.pyyaml import yaml
from floe_lint.record import Frozen, Value, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    from floe_lint.findings import Severity
    from floe_lint.lint.selectors import Named

    FailOn = Literal["error", "warning"]
    Dialect = Literal["auto", "adr-0010", "floe"]

__all__ = ["Config", "ConfigError", "load_config", "render"]


class RuleException(Frozen):
    """One entry of the config's `exceptions`: excuses `rule` findings in files matching
    `path` (a glob relative to the config file) until the end of `expires`."""

    __slots__ = ("expires", "path", "reason", "rule", "site")
    path: str
    rule: str
    reason: str
    expires: date
    #: where the entry is written: the config file, line and column
    site: tuple[Path, int, int]

    def __init__(
        self, path: str, rule: str, reason: str, expires: date, site: tuple[Path, int, int]
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "rule", rule)
        set_field(self, "reason", reason)
        set_field(self, "expires", expires)
        set_field(self, "site", site)

    def expired(self, today: date) -> bool:
        return today > self.expires


class Config(Value):
    __slots__ = (
        "baseline",
        "dialect",
        "exceptions",
        "exclude",
        "fail_on",
        "fail_on_empty",
        "fixable",
        "format",
        "ignore",
        "include",
        "mandatory",
        "manifest",
        "oci",
        "path",
        "per_path_ignores",
        "refs",
        "require_suppression_reason",
        "rule_folders",
        "select",
        "selectors",
        "severity",
        "trusted_roots",
        "unfixable",
    )

    def __init__(
        self,
        path: Path | None = None,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        severity: dict[str, Severity] | None = None,
        refs: dict[str, Path] | None = None,
        per_path_ignores: dict[str, list[str]] | None = None,
        include: list[str] | None = None,
        exclude: list[str] | None = None,
        rule_folders: list[Path] | None = None,
        fail_on: FailOn = "error",
        format: str | None = None,
        require_suppression_reason: bool = False,
        baseline: Path | None = None,
        oci: dict[str, Any] | None = None,
        dialect: Dialect = "auto",
        manifest: str | None = None,
        fail_on_empty: bool = False,
        trusted_roots: list[str] | None = None,
        mandatory: list[str] | None = None,
        exceptions: list[RuleException] | None = None,
        fixable: list[str] | None = None,
        unfixable: list[str] | None = None,
        selectors: list[tuple[str, str]] | None = None,
    ) -> None:
        self.path = path
        self.select = [] if select is None else select
        self.ignore = [] if ignore is None else ignore
        self.severity = {} if severity is None else severity
        self.refs = {} if refs is None else refs
        self.per_path_ignores = {} if per_path_ignores is None else per_path_ignores
        self.include = [] if include is None else include
        self.exclude = [] if exclude is None else exclude
        self.rule_folders = [] if rule_folders is None else rule_folders
        self.fail_on = fail_on
        self.format = format
        self.require_suppression_reason = require_suppression_reason
        self.baseline = baseline
        self.oci = {} if oci is None else oci
        #: how documents are read: per document (`auto`), or all in one dialect
        self.dialect = dialect
        #: the platform of products that name none (a path relative to the config file, or a ref)
        self.manifest = manifest
        self.fail_on_empty = fail_on_empty
        #: the sanctioned enterprise manifests: absolute paths, or oci:// refs as written
        self.trusted_roots = [] if trusted_roots is None else trusted_roots
        #: rule selectors whose findings nothing but `exceptions` can silence
        self.mandatory = [] if mandatory is None else mandatory
        self.exceptions = [] if exceptions is None else exceptions
        #: the rules whose fixes `--fix` applies (empty: all) and those it never applies
        self.fixable = [] if fixable is None else fixable
        self.unfixable = [] if unfixable is None else unfixable
        #: Every rule selector the config file writes, with where: (selector, "file:line:col").
        self.selectors = [] if selectors is None else selectors

    def check_selectors(self, rules: Sequence[Named]) -> None:
        """Every selector of the config must name at least one of `rules` (else exit 2)."""
        from floe_lint.lint import selectors

        messages = [
            f"{where}: {selectors.unknown_message(selector, rules)}"
            for selector, where in self.selectors
            if not selectors.names_a_rule(selector, rules)
        ]
        if messages:
            raise ConfigErrors(sorted(messages, key=_file_order))

    @property
    def root(self) -> Path:
        """The folder that relative paths and globs of the config are resolved against."""
        return self.path.parent if self.path is not None else Path.cwd()

    def relative(self, path: Path) -> str:
        """`path` as the config would write it: relative to the config's folder, POSIX form."""
        import os

        try:
            return Path(os.path.relpath(path, self.root)).as_posix()
        except ValueError:  # another drive on Windows
            return path.as_posix()

    def effective(self) -> dict[str, Any]:
        """Every key with its effective value, as plain data (for `floe-lint config`).

        Paths are written relative to the config's folder, as the config file itself takes
        them, so the output can be pasted into `.floe-lint.yaml` next to it."""
        return {
            "config-file": str(self.path) if self.path else None,
            "select": self.select or ["ALL"],
            "ignore": self.ignore,
            "severity": dict(self.severity),
            "per-path-ignores": self.per_path_ignores,
            "include": self.include,
            "exclude": self.exclude,
            "rule-folders": [self.relative(p) for p in self.rule_folders],
            "refs": {k: self.relative(v) for k, v in self.refs.items()},
            "fail-on": self.fail_on,
            "format": self.format or "text",
            "require-suppression-reason": self.require_suppression_reason,
            "baseline": self.relative(self.baseline) if self.baseline else None,
            "fail-on-empty": self.fail_on_empty,
            "fixable": self.fixable or ["ALL"],
            "unfixable": self.unfixable,
            "oci": self.oci,
            "dialect": self.dialect,
            "trusted-roots": [
                r if "://" in r else self.relative(Path(r)) for r in self.trusted_roots
            ],
            "mandatory": self.mandatory,
            "exceptions": [
                {
                    "path": e.path,
                    "rule": e.rule,
                    "reason": e.reason,
                    "expires": e.expires.isoformat(),
                }
                for e in self.exceptions
            ],
            "manifest": (
                self.relative(Path(self.manifest))
                if self.manifest and "://" not in self.manifest
                else self.manifest
            ),
        }


def _raw(path: Path) -> tuple[dict[str, Any], Any]:
    """The config table and a `where(pointer) -> (line, col)` function for messages."""
    if path.name == "pyproject.toml":
        table = read_toml(path).get("tool", {}).get("floe-lint", {})
        text = read_config(path)
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


@cache
def _table_head() -> re.Pattern[str]:
    return re.compile(r"\s*tool\s*\.\s*[\"']?floe-lint[\"']?\s*")


def _table_header(line: str) -> str | None:
    r"""The sub-table a `[tool.floe-lint...]` header names ('' for the table itself), else None.

    Plain string work around one anchored pattern: a lazy `(.*?)` before `\s*\]\s*$` took
    time quadratic in the length of a hostile header line.
    """
    text = line.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return None
    inner = text[1:-1]
    head = _table_head().match(inner)
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


def load_config(
    explicit: Path | None, cwd: Path, *, isolated: bool = False, targets: Sequence[Path] = ()
) -> Config:
    """The config: `explicit` (--config), else the discovered file, else defaults. The file
    is discovered from the paths a command was given (`targets`): `cwd`'s (`find_config`), or
    their own project's when they lie outside its workspace (floe_lint.load.root).

    Precedence is command line > `--config` > discovered file: a discovered file is read only
    when no `--config` is given, and never with `isolated` (`--isolated`: CI that passes its
    own config from a protected place must not take keys from files a pull request edits).
    """
    if explicit is not None or isolated:
        path = explicit
    elif targets:
        from floe_lint.load.root import project_config

        path = project_config(cwd, targets)
    else:
        path = find_config(cwd)
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
        if not table.get("rule-folders"):  # and every unknown selector with them
            lines += _unknown_selectors(_selectors(path, table, where))
        raise ConfigErrors(sorted(lines, key=_file_order))
    base = path.parent
    baseline = table.get("baseline")
    config = Config(
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
        dialect=table.get("dialect", "auto"),
        manifest=_manifest(base, table.get("manifest")),
        fail_on_empty=bool(table.get("fail-on-empty", False)),
        trusted_roots=[r if "://" in r else str(base / r) for r in table.get("trusted-roots", [])],
        mandatory=list(table.get("mandatory", [])),
        exceptions=_exceptions(path, table, where),
        fixable=list(table.get("fixable", [])),
        unfixable=list(table.get("unfixable", [])),
        selectors=_selectors(path, table, where),
    )
    if not config.rule_folders:  # rules of rule folders are known only once loaded (engine.run)
        from floe_lint.lint.registry import rules_for

        config.check_selectors(rules_for(key for key, _ in config.selectors))
    return config


def _file_order(message: str) -> tuple[int, int]:
    """`(line, column)` of a `path:line:col: message` line."""
    head = message.split(": ", 1)[0].rsplit(":", 2)
    return (int(head[1]), int(head[2])) if len(head) == 3 and head[1].isdigit() else (0, 0)


def _unknown_selectors(found: list[tuple[str, str]]) -> list[str]:
    from floe_lint.lint import selectors
    from floe_lint.lint.registry import rules_for

    rules = rules_for(key for key, _ in found)
    return [
        f"{where}: {selectors.unknown_message(selector, rules)}"
        for selector, where in found
        if not selectors.names_a_rule(selector, rules)
    ]


def _manifest(base: Path, text: str | None) -> str | None:
    """`manifest:` as a ref: an `oci://` ref stays as written, a path becomes absolute."""
    if text is None or "://" in text:
        return text
    return str(base / text)


def _exceptions(path: Path, table: dict[str, Any], where: Any) -> list[RuleException]:
    """The `exceptions` entries (the schema checked their keys); a day that does not exist
    (2026-02-30) is a config error at its line."""
    found = []
    for index, item in enumerate(table.get("exceptions", [])):
        line, col = where(f"/exceptions/{index}/expires")
        try:
            expires = date.fromisoformat(item["expires"])
        except ValueError as error:
            raise ConfigError(
                f"{path}:{line}:{col}: exception expires on '{item['expires']}', which is not a "
                f"day (YYYY-MM-DD): {error}"
            ) from error
        line, col = where(f"/exceptions/{index}")
        found.append(
            RuleException(
                item["path"], item["rule"], item["reason"].strip(), expires, (path, line, col)
            )
        )
    return found


def _selectors(path: Path, table: dict[str, Any], where: Any) -> list[tuple[str, str]]:
    """Every rule selector of the config with its `file:line:col`, for `check_selectors`."""

    def items(value: Any) -> list[Any]:  # the config may be invalid: take what has a shape
        return value if isinstance(value, list) else []

    def keys(value: Any) -> dict[Any, Any]:
        return value if isinstance(value, dict) else {}

    mentions = [
        (f"/{key}/{i}", v)
        for key in ("select", "ignore", "fixable", "unfixable", "mandatory")
        for i, v in enumerate(items(table.get(key)))
        if isinstance(v, str)
    ]
    mentions += [
        (f"/exceptions/{i}/rule", e["rule"])
        for i, e in enumerate(items(table.get("exceptions")))
        if isinstance(e, dict) and isinstance(e.get("rule"), str)
    ]
    mentions += [(f"/severity/{_token(k)}", k) for k in keys(table.get("severity"))]
    for glob, codes in keys(table.get("per-path-ignores")).items():
        mentions += [
            (f"/per-path-ignores/{_token(glob)}/{i}", c)
            for i, c in enumerate(items(codes))
            if isinstance(c, str)
        ]
    found = []
    for pointer, key in mentions:
        line, col = where(pointer)
        found.append((str(key), f"{path}:{line}:{col}"))
    return found


def _token(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def render(config: Config) -> str:
    """The effective config as YAML, ready to paste into `.floe-lint.yaml`."""
    data = config.effective()
    source = data.pop("config-file")
    from floe_lint.reporters import printable  # a folder name could hold a newline

    shown = printable(str(source)) if source else "defaults: no config file found"
    header = f"# effective floe-lint config (from {shown})\n"
    from floe_lint.secrets import mask_url_credentials  # a ref may hold user:password@

    return header + mask_url_credentials(
        yaml.safe_dump(data, sort_keys=False, default_flow_style=False)
    )
