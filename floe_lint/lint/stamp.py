"""A rule's findings on one subject, stamped with its id, name and configured severity: the
call the engine (and floe_lint.lint.stream) makes for every rule on every subject it asks for,
so the common case, a rule that finds nothing, is kept cheap (`first`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from floe_lint.findings import Finding
from floe_lint.lint import selectors
from floe_lint.load.document import Document

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.config import Config
    from floe_lint.lint.context import Context
    from floe_lint.lint.local import Local
    from floe_lint.lint.mandatory import Control
    from floe_lint.lint.registry import Rule

#: whether a run without stored findings calls each rule's `check` directly (`first`); off,
#: every call goes through `checked`, as before (tests/test_rule_loop_direct.py compares both)
DIRECT = True


def checked(
    rule: Rule,
    subject: Any,
    ctx: Context,
    config: Config,
    control: Control | None = None,
    local: Local | None = None,
) -> Iterator[Finding]:
    """A rule's findings on one subject, stamped with its id, name and configured severity
    (a mandatory finding keeps at least its rule's own). `local`: the result cache's stored
    findings of local rules (floe_lint.lint.local)."""
    shared = ctx.shared
    if (shared is not None or local is not None) and (
        _reads_overlays(rule, subject, ctx) or _reads_parents(rule, subject, ctx)
    ):
        shared = local = None  # its findings depend on another file: no cache serves them

    def check() -> Iterable[Finding]:
        if shared is None:
            return rule.check(subject, ctx)
        return shared.findings(rule, subject, lambda: rule.check(subject, ctx), ctx)

    found = check() if local is None else local.findings(rule, subject, check)
    return stamped(rule, found, config, control)


def first(rule: Rule, subject: Any, ctx: Context) -> Iterator[Finding] | None:
    """A rule's own findings on one subject, or None when it finds none (most calls): what
    `checked` stamps without the result cache or a shared parse, at a fraction of its cost."""
    found = iter(rule.check(subject, ctx))
    head = next(found, NONE)
    # (not `next(found, None)`: a rule that yields None first would lose what follows and
    # pass, where `checked` stamps that None and the run stops with an internal error)
    return None if head is NONE else chain((head,), found)


NONE: Any = object()  # what `first` takes for the end of a rule's findings
#: floe_lint.lint.shared's OVERLAY_RULES, written here so that most calls need not import it
#: (tests/test_cache_local.py checks that the two are the same)
_OVERLAY_RULES = frozenset({"FL101", "FL102", "FL104"})
#: and its WITH_PARENTS (the same test checks them)
_PARENT_RULES = frozenset({"FL401"})


def stamped(
    rule: Rule, found: Iterable[Finding], config: Config, control: Control | None = None
) -> Iterator[Finding]:
    """`found`, a rule's findings on one subject, stamped (see `checked`)."""
    severity = None
    for finding in found:
        if severity is None:  # most subjects have no finding: looked up for those that do
            severity = selectors.most_specific(config.severity, rule) or rule.severity
        if type(finding) is Finding:  # `replace`, written out (a run may stamp thousands)
            f = finding
            done = Finding(
                rule.id, rule.name, severity, f.message, f.location, f.related, f.sensitive,
                f.extra, f.fix,
            )  # fmt: skip
        else:
            done = finding.replace(rule_id=rule.id, name=rule.name, severity=severity)
        yield control.severity(done, rule.severity) if control is not None else done


def _reads_overlays(rule: Rule, subject: Any, ctx: Context) -> bool:
    """Whether a local rule's findings on `subject` cover per-environment overlays too."""
    if rule.id not in _OVERLAY_RULES:  # (most calls: asked for every rule on every subject)
        return False
    from floe_lint.lint.shared import OVERLAY_RULES

    return (
        rule.id in OVERLAY_RULES
        and isinstance(subject, Document)
        and str(rule.module).startswith("floe_lint.rules.")
        and next(ctx.environment_overlays(subject), None) is not None
    )


def _reads_parents(rule: Rule, subject: Any, ctx: Context) -> bool:
    """Whether a rule's findings on `subject` read the manifests above it (`WITH_PARENTS`)."""
    if rule.id not in _PARENT_RULES:
        return False
    from floe_lint.lint.shared import reads_parents

    return reads_parents(rule, subject, ctx)
