"""YAML comment directives that silence findings, with the reason the author gave.

    key: value  # floe-lint: disable=FL201 -- approved by the platform team, TICKET-12
    # floe-lint: disable=secret-literal -- test fixture, not a real password
    password: hunter2
    # floe-lint: disable-file=FL304 -- legacy product, migrating in Q3

`disable=` covers findings that start on its own line or, when the comment stands alone on
its line, on the next line. `disable-file=` covers the whole file. Codes are rule selectors
(`floe_lint.lint.selectors`: id, id prefix, name, name prefix or ALL), comma-separated. A
directive that silences nothing is reported by the `unused-suppression` rule, so stale
suppressions do not pile up.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from floe_lint.findings import Finding, Span
from floe_lint.lint import selectors
from floe_lint.load.document import SourceFile
from floe_lint.load.paths import resolved
from floe_lint.record import Frozen, Value, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    from floe_lint.lint.selectors import Named

_MARKER = "floe-lint:"
MAX_SUGGESTIONS = 20


# Runs of one character class, matched at a given position: each reads its run once and
# never backtracks, so the scanner below stays linear. (Compiled when first used, through
# `re`'s own cache: most runs have no suppression comment to read.)
_SPACES = r"\s*"
_CODE = r"[A-Za-z0-9_*\-]*"


class _Parsed(Frozen):
    __slots__ = ("codes", "columns", "kind", "reason", "start")
    start: int  # index of the '#'
    kind: Literal["line", "file"]
    codes: tuple[str, ...]
    columns: tuple[tuple[int, int], ...]  # [start, end) of each code
    reason: str

    def __init__(
        self,
        start: int,
        kind: Literal["line", "file"],
        codes: tuple[str, ...],
        columns: tuple[tuple[int, int], ...],
        reason: str,
    ) -> None:
        set_field(self, "start", start)
        set_field(self, "kind", kind)
        set_field(self, "codes", codes)
        set_field(self, "columns", columns)
        set_field(self, "reason", reason)


def _parse(line: str, is_comment: Callable[[int], bool] = lambda at: True) -> _Parsed | None:
    """The first `# floe-lint: disable[-file]=CODES [-- reason]` comment of a line whose '#'
    `is_comment` accepts (one inside a quoted or block string is text, not a comment).

    A hand-written scanner, not a regular expression: each attempt starts at a '#' and stops
    at the first character that does not fit, before the next '#', so a line is read once
    however it is built (a backtracking pattern took seconds on a 40 KB comment).
    """
    at = line.find("#")
    while at >= 0:
        if at == 0 or line[at - 1].isspace():
            parsed = _parse_at(line, at)
            if parsed is not None and is_comment(at):
                return parsed
        at = line.find("#", at + 1)
    return None


def _run_end(pattern: str, line: str, i: int) -> int:
    """Where the run of `pattern` (a character class with `*`) starting at `i` ends."""
    match = re.compile(pattern).match(line, i)
    return match.end() if match else i


def _skip_space(line: str, i: int) -> int:
    return _run_end(_SPACES, line, i)


def _parse_at(line: str, at: int) -> _Parsed | None:
    i = _skip_space(line, at + 1)
    if not line.startswith(_MARKER, i):
        return None
    i = _skip_space(line, i + len(_MARKER))
    kind: Literal["line", "file"]
    if line.startswith("disable-file", i):
        kind, i = "file", i + len("disable-file")
    elif line.startswith("disable", i):
        kind, i = "line", i + len("disable")
    else:
        return None
    i = _skip_space(line, i)
    if not line.startswith("=", i):
        return None
    codes: list[str] = []
    columns: list[tuple[int, int]] = []
    while True:
        i = _skip_space(line, i + 1)  # past the '=' or the ','
        end = _run_end(_CODE, line, i)
        if end == i:
            return None
        codes.append(line[i:end])
        columns.append((i, end))
        i = _skip_space(line, end)
        if not line.startswith(",", i):
            break
    if i == len(line):
        return _Parsed(at, kind, tuple(codes), tuple(columns), "")
    if i > end and line.startswith("--", i):
        return _Parsed(at, kind, tuple(codes), tuple(columns), line[i + 2 :].strip())
    return None


class Directive(
    Value, show=("source", "kind", "codes", "reason", "span", "own_line", "code_spans", "used")
):
    """One `# floe-lint: disable...` comment and which of its codes silenced something."""

    __slots__ = (
        "_matches",
        "code_spans",
        "codes",
        "kind",
        "own_line",
        "reason",
        "source",
        "span",
        "used",
    )
    source: SourceFile
    kind: Literal["line", "file"]
    codes: tuple[str, ...]
    reason: str
    span: Span
    own_line: bool
    code_spans: tuple[Span, ...]  # where each code is written, in the order of `codes`
    used: set[str]
    _matches: dict[tuple[str, str], str | None]

    def __init__(
        self,
        source: SourceFile,
        kind: Literal["line", "file"],
        codes: tuple[str, ...],
        reason: str,
        span: Span,
        own_line: bool,
        code_spans: tuple[Span, ...] = (),
        used: set[str] | None = None,
        _matches: dict[tuple[str, str], str | None] | None = None,
    ) -> None:
        self.source = source
        self.kind = kind
        self.codes = codes
        self.reason = reason
        self.span = span
        self.own_line = own_line
        self.code_spans = code_spans
        self.used = set() if used is None else used
        self._matches = {} if _matches is None else _matches

    @property
    def path(self) -> Path:
        return self.source.path

    def code_for(self, finding: Finding) -> str | None:
        """The first code that names the finding's rule; remembered per rule, so that many
        findings and a comment naming many codes cost their sum, not their product."""
        key = (finding.rule_id, finding.name)
        if key not in self._matches:
            self._matches[key] = next((c for c in self.codes if code_matches(c, finding)), None)
        return self._matches[key]

    def covers_line(self, line: int) -> bool:
        if self.kind == "file":
            return True
        return line == self.span.start_line or (self.own_line and line == self.span.start_line + 1)


class Unused(Frozen):
    """A code of a directive that silenced nothing; the subject of the unused-suppression rule."""

    __slots__ = ("code", "directive", "known", "span", "suggestion")
    directive: Directive
    code: str
    known: bool
    span: Span  # the code in the comment (not the whole comment: it may name thousands)
    #: `; did you mean 'x'?` for a code that names no rule.
    suggestion: str

    def __init__(
        self, directive: Directive, code: str, known: bool, span: Span, suggestion: str = ""
    ) -> None:
        set_field(self, "directive", directive)
        set_field(self, "code", code)
        set_field(self, "known", known)
        set_field(self, "span", span)
        set_field(self, "suggestion", suggestion)


def directives(source: SourceFile) -> list[Directive]:
    """Every directive in a file's comments, in line order: only YAML comments count, not
    text inside a string that looks like one (see `floe_lint.load.comments`)."""
    if not source.mentions(_MARKER):  # a released file answers without being read again
        return []
    from floe_lint.load.comments import Comments, yaml_lines

    comments = Comments(source.text)
    found = []
    for number, line in enumerate(yaml_lines(source.text), start=1):
        if _MARKER not in line:
            continue
        parsed = _parse(line, functools.partial(comments.at, number - 1))
        if parsed is None:
            continue
        found.append(
            Directive(
                source=source,
                kind=parsed.kind,
                codes=parsed.codes,
                reason=parsed.reason,
                span=Span(number, parsed.start + 1, number, len(line.rstrip()) + 1),
                own_line=not line[: parsed.start].strip(),
                code_spans=tuple(Span(number, a + 1, number, b + 1) for a, b in parsed.columns),
            )
        )
    return found


def code_matches(code: str, finding: Finding) -> bool:
    """Whether a directive's code names the finding's rule (the grammar of `selectors`)."""
    return selectors.names(code, finding.rule_id, finding.name)


class Silenced(Value):
    """A finding a directive silenced, with the directive's reason."""

    __slots__ = ("directive", "finding")
    finding: Finding
    directive: Directive

    def __init__(self, finding: Finding, directive: Directive) -> None:
        self.finding = finding
        self.directive = directive


def apply(
    findings: list[Finding], all_directives: list[Directive], *, require_reason: bool
) -> tuple[list[Finding], list[Silenced]]:
    """Split findings into those that stay and those a directive silences.

    With `require_reason`, a directive without `-- reason` silences nothing and the finding
    says why it was not silenced.
    """
    index = _Index(all_directives)
    kept: list[Finding] = []
    silenced: list[Silenced] = []
    for finding in findings:
        hit = None
        refused = None
        for directive in index.candidates(finding):
            code = directive.code_for(finding)
            if code is None:
                continue
            if require_reason and not directive.reason:
                directive.used.add(code)  # matched: the finding says why it stays
                refused = directive
                continue
            directive.used.add(code)
            hit = directive
            break
        if hit is not None:
            silenced.append(Silenced(finding, hit))
        elif refused is not None:
            kept.append(
                finding.replace(
                    message=f"{finding.message} (the suppression at line "
                    f"{refused.span.start_line} is ignored: it gives no reason after '--', "
                    "and reasons are required)",
                )
            )
        else:
            kept.append(finding)
    return kept, silenced


class _Index:
    """The directives that may silence a finding, in the order they are written: those of its
    line (and the own-line ones just above it), and its file's file-wide ones that name its
    rule. Looked up, not scanned: a file of 80,000 comments and as many findings must cost
    their sum, not their product."""

    def __init__(self, all_directives: list[Directive]):
        self._order = {id(d): i for i, d in enumerate(all_directives)}
        self._lines: dict[tuple[Path, int], list[Directive]] = {}
        self._files: dict[Path, list[Directive]] = {}
        self._naming: dict[tuple[Path, str, str], list[Directive]] = {}
        for directive in all_directives:
            path = resolved(directive.path)
            if directive.kind == "file":
                self._files.setdefault(path, []).append(directive)
                continue
            line = directive.span.start_line
            self._lines.setdefault((path, line), []).append(directive)
            if directive.own_line:
                self._lines.setdefault((path, line + 1), []).append(directive)

    def candidates(self, finding: Finding) -> list[Directive]:
        path = resolved(finding.path)
        line = self._lines.get((path, finding.location.span.start_line), [])
        files = self._files.get(path)
        if not files:
            return line
        key = (path, finding.rule_id, finding.name)
        naming = self._naming.get(key)
        if naming is None:
            naming = self._naming[key] = [d for d in files if d.code_for(finding) is not None]
        if not line:
            return naming
        return sorted([*line, *naming], key=lambda d: self._order[id(d)])


def unused(
    all_directives: list[Directive], enabled: Sequence[Named], known: Sequence[Named]
) -> list[Unused]:
    """Codes that silenced nothing, among codes naming rules that ran (others cannot be judged).

    `enabled` holds the rules that ran, `known` every rule; a code naming no known rule is
    always unused. Only the first MAX_SUGGESTIONS unknown codes of a comment get a "did you
    mean": finding one compares the code with every rule's id and name, and a comment may
    name twenty thousand codes.
    """
    result = []
    known_names, enabled_names = selectors.prefixes(known), selectors.prefixes(enabled)
    for directive in all_directives:
        suggested = 0
        for index, code in enumerate(directive.codes):
            if code in directive.used:
                continue
            is_known = selectors.names_any(code, known_names)
            if is_known and not selectors.names_any(code, enabled_names):
                continue
            hint = ""
            if not is_known and suggested < MAX_SUGGESTIONS:
                hint, suggested = selectors.suggestion(code, known), suggested + 1
            span = directive.code_spans[index] if directive.code_spans else directive.span
            result.append(Unused(directive, code, is_known, span, hint))
    return result
