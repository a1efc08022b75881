"""Central control of silencing: which findings nothing but a config exception can silence.

A finding is mandatory when its rule is named by the config's `mandatory` selectors, when it
is `untrusted-root` (a root of trust that a pull request could silence would protect
nothing), or when it is a policy rule's (FL2xx, FL3xx, FL4xx, FL5xx, and
`upstream-storage-config`, which also refuses Jinja in a storage or catalog setting that lands
in the dbt profile) in a file governed by a platform whose effective
`governance.policy_enforcement_level` is `strict`. The reading rules
(`yaml-syntax`, `multiple-documents`, `merge-key`: floe-lint and upstream Floe's
`yaml.safe_load` would read the file differently, or Floe refuses it) are mandatory wherever
anything is (any `mandatory` selector, trusted roots, a strict file): every verdict on a file
rests on reading it as Floe does, so silencing them would forge the rest. So are the
resolving rules (`unresolved-ref`, `ref-integrity`) wherever anything is mandatory or some
platform of the run is strict: a file whose hierarchy floe-lint cannot resolve (an `oci://`
ref it cannot pull, which Floe's runtime may) is judged by no other rule, and a disable comment
on its ref would pass it whatever it runs. A mandatory
finding is not silenced by suppression comments (each such comment is itself a
`suppression-not-allowed` error), `per-path-ignores`, `ignore`/`select`, a lowered
`severity` or a baseline. The config's `exceptions` (files, rule, reason, expiry) are the one
way to excuse it; an expired exception excuses nothing and is an `exception-expired` warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from floe_lint.config import Config, RuleException
from floe_lint.findings import Finding, Span
from floe_lint.lint import selectors
from floe_lint.load.document import ENV_VARIANT
from floe_lint.load.kinds import overlay_base
from floe_lint.load.paths import glob_match, relative_posix, resolved
from floe_lint.record import Frozen, Value, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    from floe_lint.lint.selectors import Named

#: The policy rules: what a strict enforcement level makes mandatory.
POLICY_PREFIXES = ("FL2", "FL3", "FL4", "FL5")
#: Rules outside those prefixes that hold policy too: FL709 refuses Jinja in a storage or
#: catalog setting (upstream's compile writes it into the dbt profile, where dbt runs it), the
#: policy FL208 holds a compute's config to; silenced in a strict domain, it ran there.
POLICY_NAMES = frozenset({"upstream-storage-config"})
#: Rules that are always mandatory.
ALWAYS = frozenset({"untrusted-root"})
#: Rules whose findings say that Floe would not read the file as floe-lint did.
READING = frozenset({"yaml-syntax", "multiple-documents", "merge-key"})
#: Rules whose findings say that floe-lint could not follow the file's hierarchy.
RESOLVING = frozenset({"unresolved-ref", "ref-integrity"})
_RANK = {"note": 0, "warning": 1, "error": 2}


class Refusal(Frozen):
    """Something central control refused, the subject of the filter stage's control rules:
    a suppression comment of a mandatory rule (`code` at `span`), or an expired exception."""

    __slots__ = ("code", "exception", "kind", "path", "span", "why")
    kind: Literal["suppression", "expired-exception"]
    path: Path
    span: Span
    code: str
    why: str
    exception: RuleException | None

    def __init__(
        self,
        kind: Literal["suppression", "expired-exception"],
        path: Path,
        span: Span,
        code: str,
        why: str,
        exception: RuleException | None = None,
    ) -> None:
        set_field(self, "kind", kind)
        set_field(self, "path", path)
        set_field(self, "span", span)
        set_field(self, "code", code)
        set_field(self, "why", why)
        set_field(self, "exception", exception)


def is_policy_rule(rule_id: str, name: str = "") -> bool:
    return rule_id.upper().startswith(POLICY_PREFIXES) or name in POLICY_NAMES


class Control(Value):
    """The mandatory rules of a run and its exceptions."""

    __slots__ = ("exceptions", "root", "selectors", "strict", "today", "trusted")
    selectors: Sequence[str]
    #: resolved paths of the documents a strict platform governs
    strict: frozenset[Path]
    exceptions: Sequence[RuleException]
    root: Path
    today: date
    #: whether trusted roots are given (then untrusted-root, and so the reading rules, count)
    trusted: bool

    def __init__(
        self,
        selectors: Sequence[str] = (),
        strict: frozenset[Path] = frozenset(),
        exceptions: Sequence[RuleException] = (),
        root: Path | None = None,
        today: date | None = None,
        trusted: bool = False,
    ) -> None:
        self.selectors = selectors
        self.strict = strict
        self.exceptions = exceptions
        self.root = Path.cwd() if root is None else root
        self.today = datetime.now(UTC).date() if today is None else today
        self.trusted = trusted

    @classmethod
    def of(cls, config: Config, strict: Iterable[Path] = ()) -> Control:
        return cls(
            config.mandatory,
            frozenset(resolved(p) for p in strict),
            config.exceptions,
            config.root,
            trusted=bool(config.trusted_roots),
        )

    @property
    def _guarded(self) -> bool:
        """Whether some finding may be mandatory anywhere, whatever its file."""
        return bool(self.selectors) or self.trusted

    def names_mandatory(self, code: str, rule_id: str, rule_name: str) -> bool:
        """Whether the rule is mandatory wherever its findings are (not only where strict)."""
        return rule_name in ALWAYS or any(
            selectors.names(s, rule_id, rule_name) for s in self.selectors
        )

    def may_be_mandatory(self, rule: Named) -> bool:
        """Whether some finding of `rule` could be mandatory in this run (so it must run)."""
        return self.names_mandatory("", rule.id, rule.name) or (
            (bool(self.strict) or self._guarded)
            and (is_policy_rule(rule.id, rule.name) or rule.name in READING)
        )

    def why(self, finding: Finding) -> str | None:
        """Why `finding` is mandatory, or None when it is not."""
        if finding.name in ALWAYS:
            return f"'{finding.name}' is a root-of-trust check and can never be silenced"
        if any(selectors.names(s, finding.rule_id, finding.name) for s in self.selectors):
            return "the config makes this rule mandatory"
        if finding.name in READING and (self._guarded or self._strict_file(finding.path)):
            return (
                "floe-lint and upstream Floe would not read this file alike, and mandatory "
                "verdicts rest on how it is read"
            )
        if finding.name in RESOLVING and (self._guarded or self.strict):
            return (
                "floe-lint cannot follow this file's hierarchy, so no mandatory rule can judge "
                "it; Floe may resolve it otherwise"
            )
        if is_policy_rule(finding.rule_id, finding.name) and self._strict_file(finding.path):
            return (
                "its platform enforces policy strictly (governance.policy_enforcement_level: "
                "strict)"
            )
        return None

    def _strict_file(self, path: Path) -> bool:
        if not self.strict:
            return False
        if resolved(path) in self.strict:
            return True
        if ENV_VARIANT.match(path.name) is None:
            return False
        base = overlay_base(path)  # an overlay is governed as its base file
        return base is not None and resolved(base) in self.strict

    def severity(self, finding: Finding, default: str) -> Finding:
        """A mandatory finding keeps at least its rule's own severity."""

        if _RANK.get(finding.severity, 2) >= _RANK.get(default, 2) or self.why(finding) is None:
            return finding
        return finding.replace(severity=default)

    def excused(self, findings: list[Finding]) -> tuple[list[Finding], list[tuple[Finding, str]]]:
        """(findings no exception excuses, (finding, justification) of those one does)."""
        live = [e for e in self.exceptions if not e.expired(self.today)]
        if not live:
            return findings, []
        kept, excused = [], []
        for finding in findings:
            relative = relative_posix(finding.path, self.root)
            hit = next(
                (
                    e
                    for e in live
                    if selectors.names(e.rule, finding.rule_id, finding.name)
                    and glob_match(relative, [e.path])
                ),
                None,
            )
            if hit is None:
                kept.append(finding)
            else:
                excused.append((finding, f"exception until {hit.expires}: {hit.reason}"))
        return kept, excused

    def expired(self) -> list[Refusal]:
        """Every expired exception, as the subject of `exception-expired`."""
        found = []
        for exception in self.exceptions:
            if exception.expired(self.today):
                path, line, col = exception.site
                found.append(
                    Refusal(
                        "expired-exception",
                        path,
                        Span(line, col, line, col + 1),
                        exception.rule,
                        f"expired on {exception.expires.isoformat()}",
                        exception,
                    )
                )
        return found
