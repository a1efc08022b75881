"""The filter stage, after the rules: include/exclude globs, per-path ignores, suppression
comments (and the unused-suppression rule), then the baseline.

What it removes is not lost: suppressed findings are kept with the reason, so SARIF can show
them with `--include-suppressed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from floe_lint.config import Config
from floe_lint.findings import Finding, Span
from floe_lint.lint import suppressions
from floe_lint.lint.mandatory import Control, Refusal
from floe_lint.load.document import SourceFile, load
from floe_lint.load.paths import glob_match, relative_posix
from floe_lint.record import Frozen, Value, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    from floe_lint.lint.baseline import Baseline, Entry
    from floe_lint.lint.selectors import Named


class Suppressed(Frozen):
    """A finding that was silenced; `kind` uses SARIF's words (inSource, external), `by` says
    what silenced it: a disable comment, the config's exceptions or the baseline."""

    __slots__ = ("by", "finding", "justification", "kind")
    finding: Finding
    kind: Literal["inSource", "external"]
    justification: str
    by: Literal["comment", "exception", "baseline"]

    def __init__(
        self,
        finding: Finding,
        kind: Literal["inSource", "external"],
        justification: str,
        by: Literal["comment", "exception", "baseline"],
    ) -> None:
        set_field(self, "finding", finding)
        set_field(self, "kind", kind)
        set_field(self, "justification", justification)
        set_field(self, "by", by)


class Filtered(Value):
    __slots__ = ("findings", "stale", "suppressed")
    findings: list[Finding]
    suppressed: list[Suppressed]
    stale: list[Entry]

    def __init__(
        self,
        findings: list[Finding],
        suppressed: list[Suppressed] | None = None,
        stale: list[Entry] | None = None,
    ) -> None:
        self.findings = findings
        self.suppressed = [] if suppressed is None else suppressed
        self.stale = [] if stale is None else stale


def selected(path: Path | str, config: Config) -> bool:
    """Whether a discovered file (its `Path`, or its text) passes the config's include and
    exclude globs."""
    if not config.include and not config.exclude:
        return True
    relative = relative_posix(Path(path), config.root)
    if config.include and not glob_match(relative, config.include):
        return False
    return not (config.exclude and glob_match(relative, config.exclude))


def selector(config: Config, links: Sequence[str]) -> Callable[[Path | str], bool]:
    """`selected`, where a file the globs leave out by its own name is kept when it is also
    spelt, through one of the symbolic links a walk met (`links`) or as given, as a path they
    select: Floe reads a product through a link (`products/new -> ../sandbox/new`), so
    `exclude: [sandbox/**]` must not pass it unlinted (a forged pass)."""
    if not config.include and not config.exclude:
        return lambda path: True
    import os

    root = os.path.realpath(config.root)
    spellings = [(os.path.realpath(link), link) for link in links]

    def passes(spelt: str) -> bool:
        relative = Path(os.path.relpath(spelt, root)).as_posix()
        if config.include and not glob_match(relative, config.include):
            return False
        return not (config.exclude and glob_match(relative, config.exclude))

    def literal(path: str) -> str:  # its folder's links resolved, its own name kept
        return os.path.join(
            os.path.realpath(os.path.dirname(os.path.abspath(path))), os.path.basename(path)
        )

    def keep(path: Path | str) -> bool:
        if selected(path, config):
            return True
        text = os.fspath(path)
        if passes(os.path.abspath(text)):  # as given (a file named through a link)
            return True
        real = os.path.realpath(text)
        return any(
            passes(literal(link) + real[len(target) :])
            for target, link in spellings
            if real == target or real.startswith(target + os.sep)
        )

    return keep


def _path_ignored(finding: Finding, config: Config) -> bool:
    if not config.per_path_ignores:
        return False
    relative = relative_posix(finding.path, config.root)
    return any(
        glob_match(relative, [pattern])
        and any(suppressions.code_matches(code, finding) for code in codes)
        for pattern, codes in config.per_path_ignores.items()
    )


def _overlay_directives(
    findings: Sequence[Finding], files: Sequence[SourceFile]
) -> list[suppressions.Directive]:
    """The suppression comments of the per-environment files that hold findings but are no
    files of the run (beside a base given alone, as the pre-commit hook gives a staged
    floe.yaml), read as `check .` reads them: their findings are silenced alike."""
    from floe_lint.load.kinds import ENV_VARIANT
    from floe_lint.load.paths import resolved

    variants: dict[Path, Path] = {}  # (each file's first spelling, as findings come)
    for finding in findings:
        if ENV_VARIANT.match(finding.path.name):
            variants.setdefault(resolved(finding.path), finding.path)
    if not variants:
        return []  # (the run's files are not resolved for nothing: a Path each, issue 17)
    known = {resolved(source.path) for source in files}
    extra: dict[Path, SourceFile] = {}
    for key, path in variants.items():
        if key not in known:
            extra[key] = load(path)
    return [d for source in extra.values() for d in suppressions.directives(source)]


def apply(
    findings: list[Finding],
    files: Sequence[SourceFile],
    config: Config,
    *,
    rule_keys: tuple[Sequence[Named], Sequence[Named]],
    check_unused: Callable[[suppressions.Unused], Iterable[Finding]] | None,
    baseline: Baseline | None = None,
    require_reason: bool = False,
    control: Control | None = None,
    check_control: Callable[[Refusal], Iterable[Finding]] | None = None,
) -> Filtered:
    """Filter `findings`. `rule_keys` is (the enabled rules, every known rule);
    `check_unused` runs the unused-suppression rule on one unused code (None when disabled).

    `control` says which findings are mandatory: exceptions excuse them, nothing else does;
    `check_control` runs the control rules on each refused suppression and expired exception.
    """
    control = control or Control()
    findings, excused = control.excused(findings)
    suppressed = [Suppressed(f, "external", why, "exception") for f, why in excused]
    # (a path no per-path ignore names keeps its findings: why one is mandatory is not asked)
    findings = [f for f in findings if not _path_ignored(f, config) or control.why(f) is not None]
    directives = [d for source in files for d in suppressions.directives(source)]
    directives += _overlay_directives(findings, files)
    kept, silenced = suppressions.apply(
        findings, directives, require_reason=require_reason or config.require_suppression_reason
    )
    refusals: dict[tuple[Path, Span], Refusal] = {}
    for s in silenced:
        why = control.why(s.finding)
        if why is None:
            suppressed.append(
                Suppressed(
                    s.finding, "inSource", s.directive.reason or "no reason given", "comment"
                )
            )
            continue
        kept.append(s.finding)  # a mandatory finding: the comment is refused, not obeyed
        code = s.directive.code_for(s.finding) or s.directive.codes[0]
        index = s.directive.codes.index(code)
        spans = s.directive.code_spans
        span = spans[index] if index < len(spans) else s.directive.span
        refusals.setdefault(
            (s.directive.path, span), Refusal("suppression", s.directive.path, span, code, why)
        )
    if check_unused is not None:
        enabled, known = rule_keys
        for unused in suppressions.unused(directives, enabled, known):
            kept.extend(f for f in check_unused(unused) if not _path_ignored(f, config))
    if check_control is not None:
        for refusal in [*refusals.values(), *control.expired()]:
            kept.extend(check_control(refusal))
    stale: list[Entry] = []
    if baseline is not None:
        from floe_lint import masking  # hashed as written: credentials starred
        from floe_lint.lint.baseline import data_reader

        forced = [f for f in kept if control.why(f) is not None]  # a baseline cannot accept these
        optional = [f for f in kept if control.why(f) is None]
        optional, known_findings, stale = baseline.match(
            optional, masking.reader(files), data_reader(files), [source.path for source in files]
        )
        kept = [*forced, *optional]
        suppressed.extend(
            Suppressed(f, "external", f"accepted in baseline {baseline.path.name}", "baseline")
            for f in known_findings
        )
    return Filtered(kept, suppressed, stale)
