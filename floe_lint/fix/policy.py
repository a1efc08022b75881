"""Which findings' fixes a run may apply (`Policy`), apart from the fixer that applies them
(`floe_lint.fix.runner`): the summary of a check with fixable findings ("N fixable with
--fix") asks it of each, and a check that fixes nothing does not import the fixer (issue 17:
the start-up of a run that re-checks a domain's products)."""

from __future__ import annotations

from floe_lint.lint import selectors

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path

    from floe_lint.findings import Applicability, Finding


class Policy:
    """Which findings' fixes a run may apply: by applicability, `fixable`/`unfixable`
    selectors of the config, and the files it may change (`may_edit`)."""

    def __init__(
        self,
        allowed: Iterable[Applicability],
        fixable: Sequence[str],
        unfixable: Sequence[str],
        may_edit: Callable[[Path, Path], bool],
    ):
        self.allowed = frozenset(allowed)
        self.fixable = list(fixable) or ["ALL"]
        self.unfixable = list(unfixable)
        self.may_edit = may_edit

    def selects(self, finding: Finding) -> bool:
        def named(selector: str) -> bool:
            return selectors.names(selector, finding.rule_id, finding.name)

        return any(map(named, self.fixable)) and not any(map(named, self.unfixable))

    def applies(self, finding: Finding) -> bool:
        fix = finding.fix
        return (
            fix is not None
            and fix.applicability in self.allowed
            and self.selects(finding)
            and all(self.may_edit(finding.path, edit.path) for edit in fix.edits)
        )
