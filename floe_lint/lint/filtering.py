"""The filter stage, after the rules: include/exclude globs, per-path ignores, suppression
comments (and the unused-suppression rule), then the baseline.

What it removes is not lost: suppressed findings are kept with the reason, so SARIF can show
them with `--include-suppressed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from floe_lint.config import Config
from floe_lint.findings import Finding
from floe_lint.lint import suppressions
from floe_lint.lint.baseline import Baseline, Entry, data_reader
from floe_lint.lint.selectors import Named
from floe_lint.load.document import SourceFile
from floe_lint.load.paths import lines_reader, relative_posix


@dataclass(frozen=True)
class Suppressed:
    """A finding that was silenced; `kind` uses SARIF's words (inSource, external)."""

    finding: Finding
    kind: Literal["inSource", "external"]
    justification: str


@dataclass
class Filtered:
    findings: list[Finding]
    suppressed: list[Suppressed] = field(default_factory=list)
    stale: list[Entry] = field(default_factory=list)


def _glob_match(relative: str, patterns: Iterable[str]) -> bool:
    """fnmatch semantics (`*` also crosses `/`); a pattern without `/` also matches a base name."""
    from fnmatch import fnmatchcase

    name = relative.rsplit("/", 1)[-1]
    for pattern in patterns:
        pattern = pattern.removeprefix("./")
        if fnmatchcase(relative, pattern) or fnmatchcase(relative, pattern.rstrip("/") + "/*"):
            return True
        if "/" not in pattern and fnmatchcase(name, pattern):
            return True
    return False


def selected(path: Path, config: Config) -> bool:
    """Whether a discovered file passes the config's include and exclude globs."""
    if not config.include and not config.exclude:
        return True
    relative = relative_posix(path, config.root)
    if config.include and not _glob_match(relative, config.include):
        return False
    return not (config.exclude and _glob_match(relative, config.exclude))


def _path_ignored(finding: Finding, config: Config) -> bool:
    if not config.per_path_ignores:
        return False
    relative = relative_posix(finding.path, config.root)
    return any(
        _glob_match(relative, [pattern])
        and any(suppressions.code_matches(code, finding) for code in codes)
        for pattern, codes in config.per_path_ignores.items()
    )


def apply(
    findings: list[Finding],
    files: Sequence[SourceFile],
    config: Config,
    *,
    rule_keys: tuple[Sequence[Named], Sequence[Named]],
    check_unused: Callable[[suppressions.Unused], Iterable[Finding]] | None,
    baseline: Baseline | None = None,
    require_reason: bool = False,
) -> Filtered:
    """Filter `findings`. `rule_keys` is (the enabled rules, every known rule);
    `check_unused` runs the unused-suppression rule on one unused code (None when disabled)."""
    findings = [f for f in findings if not _path_ignored(f, config)]
    directives = [d for source in files for d in suppressions.directives(source)]
    kept, silenced = suppressions.apply(
        findings, directives, require_reason=require_reason or config.require_suppression_reason
    )
    suppressed = [
        Suppressed(s.finding, "inSource", s.directive.reason or "no reason given") for s in silenced
    ]
    if check_unused is not None:
        enabled, known = rule_keys
        for unused in suppressions.unused(directives, enabled, known):
            kept.extend(f for f in check_unused(unused) if not _path_ignored(f, config))
    stale: list[Entry] = []
    if baseline is not None:
        kept, known_findings, stale = baseline.match(
            kept, lines_reader(files), data_reader(files), [source.path for source in files]
        )
        suppressed.extend(
            Suppressed(f, "external", f"accepted in baseline {baseline.path.name}")
            for f in known_findings
        )
    return Filtered(kept, suppressed, stale)
