"""Which rules can find anything in a batch of subjects, decided before a rule's module is
imported (a rule's module is imported when its `check` is first asked for: floe_lint.lint.registry).

A rule with no subject of its kind in the batch finds nothing there: a run without suppressions
never imports `unused-suppression`, a product's group of a streamed run no manifest rule. A rule
with a `DIALECT` (its row of the static table) finds nothing on a subject whose own document (a
document itself, a product's or a level's) is in the other dialect; a rule with `KEYS` finds
nothing on a subject whose own document holds none of these top-level keys (the
governance-weakening rules: `governance`); a file rule `FROM_LOADER` reports only what the
loader noted for it in the file. None of them is asked about such a subject, and one with no
other subject in the batch is not imported: the rules of upstream's code dialect are not
imported for a tree written in ADR-0010's. Each subject is judged alone, so a file is checked
alike in whatever batch a streamed run puts it (the result cache stores which rules ran on each
file). tests/test_rules_applicable.py holds both halves: each such rule finds nothing on a
subject it is not asked about, and a run prints the same with this selection as without it.
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

    __slots__ = ("_noted", "_own", "subjects")

    def __init__(self, subjects: Mapping[Subject, Sequence[Any]]):
        self.subjects = subjects
        #: subject kind -> per subject, its own document's dialect and data (when asked)
        self._own: dict[str, list[tuple[str, Any]]] = {}
        #: per file subject, the rule names of the problems the loader noted in it (when asked)
        self._noted: list[frozenset[str]] | None = None

    def targets(self, rule: Rule) -> Sequence[Any]:
        """The subjects `rule` is to check: those of its kind, less those it can find nothing
        in (its `DIALECT` is not their own document's, their own document holds none of its
        `KEYS`, the loader noted no problem of its name in the file). Decided per subject, so
        that a file's subjects are checked alike in whatever batch they are (the result cache
        stores which rules ran on each file)."""
        found = self.subjects[rule.subject]
        if not found or not BY_DIALECT:
            return found
        if rule.from_loader:
            if self._noted is None:
                self._noted = [frozenset(p.rule for p in source.problems) for source in found]
            return [s for s, noted in zip(found, self._noted, strict=True) if rule.name in noted]
        if rule.dialect is None and rule.keys is None:
            return found
        own = self._own.get(rule.subject)
        if own is None:
            own = self._own[rule.subject] = [(doc.dialect, doc.data) for doc in _docs(rule, found)]
        dialect, keys = rule.dialect, rule.keys
        return [
            subject
            for subject, (its_dialect, data) in zip(found, own, strict=True)
            if (dialect is None or its_dialect == dialect)
            and (keys is None or (isinstance(data, dict) and any(key in data for key in keys)))
        ]


def _docs(rule: Rule, subjects: Sequence[Any]) -> Iterator[Any]:
    """The subjects' own documents: a document itself, a product's or a level's."""
    if rule.subject == "document":
        return iter(subjects)
    return (subject.doc for subject in subjects)
