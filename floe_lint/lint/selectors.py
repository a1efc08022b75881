"""Rule selectors: the one grammar that names rules everywhere.

`--select`/`--ignore`, the config's `select`, `ignore`, `severity` and `per-path-ignores`,
and `# floe-lint: disable=` comments all name rules the same way, through this module, so a
selector accepted in one place can never mean something else (or nothing) in another:

    ALL                     every rule
    FL201                   a rule id
    FL2, fl20               an id prefix: every rule whose id starts with it
    compute-not-approved    a rule name
    compute, schema-        a name prefix: every rule whose name starts with it
    schema-*                the same; a trailing `*` is allowed and changes nothing

Case never matters. A selector that names no rule is an error wherever it is written (exit
2 for the command line and the config; an `unused-suppression` finding for a comment).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol, TypeVar

    class Named(Protocol):
        """What a selector is matched against: a rule's id and name."""

        @property
        def id(self) -> str: ...

        @property
        def name(self) -> str: ...

    R = TypeVar("R", bound=Named)
    V = TypeVar("V")

GRAMMAR = "a rule id (FL201), id prefix (FL2), name (compute-not-approved), name prefix " + (
    "(compute, schema-, schema-*) or ALL; case-insensitive"
)


def _bare(selector: str) -> str:
    return selector.strip().removesuffix("*").lower()


def matches(selector: str, rule: Named) -> bool:
    """Whether `selector` names `rule` (see the module docstring for the grammar)."""
    return names(selector, rule.id, rule.name)


def names(selector: str, rule_id: str, rule_name: str) -> bool:
    """Whether `selector` names the rule with this id and name (a finding carries both)."""
    bare = _bare(selector)
    if not bare:
        return False
    if bare == "all":
        return True
    return rule_id.lower().startswith(bare) or rule_name.lower().startswith(bare)


def matches_any(selectors: Iterable[str], rule: Named) -> bool:
    return any(matches(selector, rule) for selector in selectors)


def matching(selector: str, rules: Iterable[R]) -> list[R]:
    return [rule for rule in rules if matches(selector, rule)]


def names_a_rule(selector: str, rules: Iterable[Named]) -> bool:
    return any(matches(selector, rule) for rule in rules)


def prefixes(rules: Iterable[Named]) -> frozenset[str]:
    """Every selector that names at least one of `rules`, bare (see `names_any`): each prefix of
    each id and name, and `all` when there is a rule. One set lookup then answers
    `names_a_rule` for a code, where a comment may name twenty thousand codes against every rule.
    """
    found = set()
    for rule in rules:
        found.add("all")
        for key in (rule.id.lower(), rule.name.lower()):
            found.update(key[:end] for end in range(1, len(key) + 1))
    return frozenset(found)


def names_any(selector: str, known: frozenset[str]) -> bool:
    """`names_a_rule(selector, rules)` for `known = prefixes(rules)`, in constant time."""
    return _bare(selector) in known


def specificity(selector: str, rule: Named) -> tuple[int, int]:
    """How precisely `selector` names `rule`: exact beats prefix, longer beats shorter, ALL last."""
    bare = _bare(selector)
    if bare == "all":
        return (0, 0)
    exact = bare in (rule.id.lower(), rule.name.lower()) and not selector.strip().endswith("*")
    return (2 if exact else 1, len(bare))


def most_specific(table: Mapping[str, V], rule: Named) -> V | None:
    """The value of the key of `table` that names `rule` most precisely (for `severity`)."""
    best: tuple[int, int] | None = None
    value: V | None = None
    for selector, candidate in table.items():
        if matches(selector, rule):
            rank = specificity(selector, rule)
            if best is None or rank > best:
                best, value = rank, candidate
    return value


def select(rules: Sequence[R], select: Sequence[str], ignore: Sequence[str]) -> list[R]:
    """The rules that `select` names (all when empty), minus those `ignore` names."""
    chosen = [r for r in rules if not select or matches_any(select, r)]
    return [r for r in chosen if not matches_any(ignore, r)]


def suggestion(selector: str, rules: Iterable[Named]) -> str:
    """`; did you mean 'x'?` for a selector that names no rule, or an empty string."""
    from floe_lint.suggest import did_you_mean

    keys = [k for r in rules for k in (r.id, r.name)]
    return did_you_mean(_bare(selector) or selector, keys)


def unknown_message(selector: str, rules: Iterable[Named]) -> str:
    """`unknown rule 'x'; did you mean 'y'?` and the grammar, for a selector naming no rule."""
    rules = list(rules)
    return (
        f"unknown rule '{selector}'{suggestion(selector, rules)}: a selector is {GRAMMAR}; "
        "see 'floe-lint rules'"
    )


def find(key: str, rules: Iterable[R]) -> R | None:
    """The one rule whose id or name is exactly `key` (any case), for `floe-lint rule`."""
    lowered = key.strip().lower()
    for rule in rules:
        if lowered in (rule.id.lower(), rule.name.lower()):
            return rule
    return None
