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

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from floe_lint.findings import Finding, Span
from floe_lint.lint import selectors
from floe_lint.lint.selectors import Named
from floe_lint.load.document import SourceFile

_MARKER = "floe-lint:"


@cache
def _directive() -> re.Pattern[str]:
    """Compiled on first use: most files hold no directive, and the hook must start fast."""
    return re.compile(
        r"(?:^|\s)#\s*floe-lint:\s*(?P<kind>disable-file|disable)\s*=\s*"
        r"(?P<codes>[A-Za-z0-9_*\-]+(?:\s*,\s*[A-Za-z0-9_*\-]+)*)"
        r"(?:\s+--\s*(?P<reason>.*?))?\s*$"
    )


@dataclass
class Directive:
    """One `# floe-lint: disable...` comment and which of its codes silenced something."""

    source: SourceFile
    kind: Literal["line", "file"]
    codes: tuple[str, ...]
    reason: str
    span: Span
    own_line: bool
    used: set[str] = field(default_factory=set)

    @property
    def path(self) -> Path:
        return self.source.path

    def covers_line(self, line: int) -> bool:
        if self.kind == "file":
            return True
        return line == self.span.start_line or (self.own_line and line == self.span.start_line + 1)


@dataclass(frozen=True)
class Unused:
    """A code of a directive that silenced nothing; the subject of the unused-suppression rule."""

    directive: Directive
    code: str
    known: bool
    #: `; did you mean 'x'?` for a code that names no rule.
    suggestion: str = ""


def directives(source: SourceFile) -> list[Directive]:
    """Every directive in a file's comments, in line order."""
    if _MARKER not in source.text:
        return []
    found = []
    for number, line in enumerate(source.lines, start=1):
        if _MARKER not in line:
            continue
        match = _directive().search(line)
        if match is None:
            continue
        start = match.start() + (1 if line[match.start()] != "#" else 0)
        found.append(
            Directive(
                source=source,
                kind="file" if match["kind"] == "disable-file" else "line",
                codes=tuple(c.strip() for c in match["codes"].split(",")),
                reason=(match["reason"] or "").strip(),
                span=Span(number, start + 1, number, len(line.rstrip()) + 1),
                own_line=not line[:start].strip(),
            )
        )
    return found


def code_matches(code: str, finding: Finding) -> bool:
    """Whether a directive's code names the finding's rule (the grammar of `selectors`)."""
    return selectors.names(code, finding.rule_id, finding.name)


@dataclass
class Silenced:
    """A finding a directive silenced, with the directive's reason."""

    finding: Finding
    directive: Directive


def apply(
    findings: list[Finding], all_directives: list[Directive], *, require_reason: bool
) -> tuple[list[Finding], list[Silenced]]:
    """Split findings into those that stay and those a directive silences.

    With `require_reason`, a directive without `-- reason` silences nothing and the finding
    says why it was not silenced.
    """
    by_path: dict[Path, list[Directive]] = {}
    for directive in all_directives:
        by_path.setdefault(directive.path.resolve(), []).append(directive)
    kept: list[Finding] = []
    silenced: list[Silenced] = []
    for finding in findings:
        candidates = by_path.get(finding.path.resolve(), [])
        line = finding.location.span.start_line
        hit = None
        refused = None
        for directive in candidates:
            if not directive.covers_line(line):
                continue
            code = next((c for c in directive.codes if code_matches(c, finding)), None)
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
                dataclasses.replace(
                    finding,
                    message=f"{finding.message} (the suppression at line "
                    f"{refused.span.start_line} is ignored: it gives no reason after '--', "
                    "and reasons are required)",
                )
            )
        else:
            kept.append(finding)
    return kept, silenced


def unused(
    all_directives: list[Directive], enabled: Sequence[Named], known: Sequence[Named]
) -> list[Unused]:
    """Codes that silenced nothing, among codes naming rules that ran (others cannot be judged).

    `enabled` holds the rules that ran, `known` every rule; a code naming no known rule is
    always unused.
    """
    result = []
    for directive in all_directives:
        for code in directive.codes:
            if code in directive.used:
                continue
            is_known = selectors.names_a_rule(code, known)
            if is_known and not selectors.names_a_rule(code, enabled):
                continue
            hint = "" if is_known else selectors.suggestion(code, known)
            result.append(Unused(directive, code, is_known, hint))
    return result
