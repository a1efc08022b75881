"""Which rules can find anything in a batch of subjects, decided before a rule's module is
imported (a rule's module is imported when its `check` is first asked for: floe_lint.lint.registry).

A rule with no subject of its kind in the batch finds nothing there: a run without suppressions
never imports `unused-suppression`, a product's group of a streamed run no manifest rule. A rule
with a `DIALECT` (its row of the static table) finds nothing on a subject whose own document (a
document itself, a product's or a level's) is in the other dialect, so where no subject of the
batch is in its dialect it is not asked either: the rules of upstream's code dialect are not
imported for a tree written in ADR-0010's. A rule with `KEYS` finds nothing on a subject whose
own document holds none of these top-level keys (the governance-weakening rules: `governance`),
so where no subject of the batch holds one it is not asked; a file rule `FROM_LOADER` reports
only what the loader noted for it, so where no file of the batch noted a problem of its name it
is not asked either. Otherwise every subject of the
batch is checked, as before. tests/test_rules_applicable.py holds both halves: each rule with a
`DIALECT` or `KEYS` finds nothing on a subject outside them, and a run prints the same with
this selection as without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.lint.registry import Rule, Subject

#: whether rules are selected by dialect (off: every rule with a subject is asked, as before;
#: tests/test_rules_applicable.py compares both)
BY_DIALECT = True


class Applicable:
    """The subjects of one batch by kind, and what each rule is to check among them."""

    __slots__ = ("_dialects", "_keys", "_noted", "subjects")

    def __init__(self, subjects: Mapping[Subject, Sequence[Any]]):
        self.subjects = subjects
        #: subject kind -> the dialects of its subjects' own documents (worked out when asked)
        self._dialects: dict[str, set[str]] = {}
        #: subject kind -> the top-level keys of its subjects' own documents (when asked)
        self._keys: dict[str, set[str]] = {}
        #: the rule names of the problems the loader noted in the batch's files (when asked)
        self._noted: set[str] | None = None

    def targets(self, rule: Rule) -> Sequence[Any]:
        """The subjects `rule` is to check: those of its kind, or none when it can find
        nothing in any of them (its `DIALECT` is none of theirs, or none holds one of its
        `KEYS`)."""
        found = self.subjects[rule.subject]
        if not found or not BY_DIALECT:
            return found
        if rule.from_loader:
            if self._noted is None:
                self._noted = {problem.rule for source in found for problem in source.problems}
            return found if rule.name in self._noted else ()
        if rule.dialect is None and rule.keys is None:
            return found
        if rule.dialect is not None:
            dialects = self._dialects.get(rule.subject)
            if dialects is None:
                dialects = self._dialects[rule.subject] = {d.dialect for d in _docs(rule, found)}
            if rule.dialect not in dialects:
                return ()
        if rule.keys is not None:
            keys = self._keys.get(rule.subject)
            if keys is None:
                keys = self._keys[rule.subject] = {
                    key
                    for doc in _docs(rule, found)
                    if isinstance(doc.data, dict)
                    for key in doc.data
                }
            if not any(key in keys for key in rule.keys):
                return ()
        return found


def _docs(rule: Rule, subjects: Sequence[Any]) -> Iterator[Any]:
    """The subjects' own documents: a document itself, a product's or a level's."""
    if rule.subject == "document":
        return iter(subjects)
    return (subject.doc for subject in subjects)
