"""What every format's summary says besides the findings: how many were silenced (by a
suppression comment, by the baseline, excused by the config's exceptions), and the counts per
rule of `--statistics`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from floe_lint.findings import Finding
from floe_lint.record import Frozen, set_field
from floe_lint.reporters import printable


class Silenced(Frozen):
    """Findings a run found but does not report: `# floe-lint: disable=` comments (SARIF's
    `inSource`), baseline entries and the config's exceptions (both `external`)."""

    __slots__ = ("baselined", "excused", "suppressed")
    suppressed: int
    baselined: int
    excused: int

    def __init__(self, suppressed: int = 0, baselined: int = 0, excused: int = 0) -> None:
        set_field(self, "suppressed", suppressed)
        set_field(self, "baselined", baselined)
        set_field(self, "excused", excused)

    @classmethod
    def of(cls, by: Sequence[str]) -> Silenced:
        """From what silenced each finding: `comment`, `baseline` or `exception`."""
        return cls(by.count("comment"), by.count("baseline"), by.count("exception"))

    def clause(self) -> str:
        """`2 suppressed, 1 baselined, 1 excused by an exception not shown`, or empty when
        nothing was silenced."""
        parts = [f"{n} {word}" for n, word in self.counts() if n]
        if self.excused:
            parts[-1] += " by an exception" if self.excused == 1 else " by exceptions"
        return f"{', '.join(parts)} not shown" if parts else ""

    def counts(self) -> list[tuple[int, str]]:
        return [
            (self.suppressed, "suppressed"),
            (self.baselined, "baselined"),
            (self.excused, "excused"),
        ]


def line(
    findings: Sequence[Finding], files: int, dependents: int, silenced: Silenced, maybe: int = 0
) -> str:
    """The closing line on stderr: `floe-lint: 1 error, 2 warnings (3 files checked; ...)`.
    `maybe`: files taken by the dependents search because they were too large to read (whether
    they name a changed manifest cannot be told), not counted among `dependents`."""
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if dependents:
        checked += (
            f", {dependents} of them dependent{'s' if dependents != 1 else ''} "
            "of the changed manifests"
        )
    if maybe:
        kind = f"possible dependent{'s' if maybe != 1 else ''}"
        if dependents:
            checked += f" and {maybe} {kind} (too large to read)"
        else:
            checked += f", {maybe} of them {kind} of the changed manifests (too large to read)"
    if silenced.clause():
        checked += f"; {silenced.clause()}"
    if not findings:
        return f"floe-lint: no problems ({checked})"
    errors = sum(1 for f in findings if f.severity == "error")
    others = len(findings) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if others:
        parts.append(f"{others} warning{'s' if others != 1 else ''}")
    return f"floe-lint: {', '.join(parts)} ({checked})"


def by_rule(findings: Sequence[Finding]) -> dict[str, int]:
    """Findings per rule id, in id order."""
    return dict(sorted(Counter(f.rule_id for f in findings).items()))


def statistics(findings: Sequence[Finding]) -> list[str]:
    """`--statistics`: one line per rule that fired, most findings first, then by id:
    `    3  FL201  compute-not-approved  error`."""
    names = {f.rule_id: (f.name, f.severity) for f in findings}
    counts = Counter(f.rule_id for f in findings)
    if not counts:
        return []
    ids = max(len(i) for i in counts)
    width = max(len(name) for name, _ in names.values())
    return [
        f"{n:>5}  {printable(rule):<{ids}}  {printable(names[rule][0]):<{width}}  "
        f"{names[rule][1]}".rstrip()
        for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


NOTHING_SILENCED = Silenced()
