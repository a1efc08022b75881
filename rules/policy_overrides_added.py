"""A level may not add a `policy_overrides` entry that the level above it does not have.

Why: an override excludes the models its `pattern` matches from policy enforcement or
downgrades their errors to warnings; it is a weakening by nature. floe-core compiles a domain
with its own governance (it never merges the parent's, and its
`validate_security_policy_not_weakened` compares no override), so an override a domain adds
takes effect for its products, below an enterprise that allowed none. An entry is kept, not
added, when one override above already allows all it does, as floe-core's enforcer applies
them (`PolicyEnforcer._find_matching_override`, `_filter_expired_overrides`): its glob matches
no model the one above does not (`legacy_orders_*` under `legacy_*`), it downgrades or the one
above excludes too, its `policy_types` are among those above (null: every type), and it
expires no later (null: never). The `reason` is audit text only and may be reworded.

Fails:
    # expect: manifest.yaml:7:7 domain 'sales' adds governance.policy_overrides entry {pattern: '*', action: exclude, reason: legacy}, which enterprise 'acme' above it does not have; an override excludes or downgrades models, so a level may keep the overrides above it but never add one
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      audit_logging: enabled
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      policy_overrides:
        - {pattern: '*', action: exclude, reason: legacy}

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      policy_overrides:
        - {pattern: 'legacy_*', action: exclude, reason: JIRA-123, expires: 2027-06-01}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      policy_overrides:
        - {pattern: 'legacy_*', action: exclude, reason: JIRA-123, expires: 2027-06-01}
        - pattern: 'legacy_orders_*'
          action: downgrade
          reason: JIRA-456
          expires: 2027-01-01
          policy_types: [naming]
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, floe_core_reads, governance_entry_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID, NAME, SEVERITY, SUBJECT = "FL610", "policy-overrides-added", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can weaken

#: floe-core's `PolicyOverride` defaults, filled in before entries are compared
_DEFAULTS = {"expires": None, "policy_types": None}
_ACTIONS = ("downgrade", "exclude")
#: bounds of comparing two globs: their text, and the states walked
_LONGEST, _STEPS = 256, 4096


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    entries = level.node.child("governance", "policy_overrides")
    if level.parent is None or not isinstance(entries.value, list):
        return
    above = _above(level.parent)
    for index, entry in enumerate(entries.value):
        if not isinstance(entry, dict) or entry.get("action") not in _ACTIONS:
            continue  # not an override floe-core reads: the schema rules report it
        mine = _normalised(entry)
        if any(_within(mine, theirs) for theirs in above):
            continue
        yield ctx.finding(
            entries.child(index),
            f"{level.label} adds governance.policy_overrides entry {governance_entry_text(entry)}, which "
            f"{level.parent.label} above it does not have; an override excludes or "
            "downgrades models, so a level may keep the overrides above it but never add one",
        )


def _above(level: Level) -> list[dict[str, Any]]:
    """Every override written along the chain from `level` up, as floe-core reads it."""
    found: list[dict[str, Any]] = []
    for each in level.chain():
        entries = each.node.child("governance", "policy_overrides").value
        if isinstance(entries, list):
            found.extend(_normalised(e) for e in entries if isinstance(e, dict))
    return found


def _normalised(entry: dict[str, Any]) -> dict[str, Any]:
    """An override as floe-core reads and uses it: defaults filled in, a YAML date as its ISO
    text, `policy_types` as the set its enforcer asks a violation's type to be in."""
    read = {**_DEFAULTS, **entry}
    expires = read["expires"]
    if expires is not None and not isinstance(expires, str):
        read["expires"] = str(expires)  # a YAML date reads as the ISO date floe-core parses
    types = read["policy_types"]
    if isinstance(types, list) and all(isinstance(t, str) for t in types):
        read["policy_types"] = frozenset(types)
    return read


def _within(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Whether floe-core's enforcer, on any day and violation the override `mine` applies to,
    applies `theirs` too with an action at least as mild for the model (the reason aside)."""
    if {**mine, "reason": None} == {**theirs, "reason": None}:
        return True
    if theirs.get("action") not in _ACTIONS or (mine["action"], theirs["action"]) == (
        "exclude",
        "downgrade",
    ):
        return False
    return (
        _glob_within(mine.get("pattern"), theirs.get("pattern"))
        and _types_within(mine["policy_types"], theirs["policy_types"])
        and _expires_within(mine["expires"], theirs["expires"])
    )


def _glob_within(mine: Any, theirs: Any) -> bool:
    """Whether fnmatch's glob `mine` matches no name `theirs` does not. Decided on the two
    texts, never by running a pattern: both globs walked together as automata over the
    characters they name and one standing for any other, in at most `_STEPS` states (beyond,
    or with a `[...]` set, only the same text or `*` above counts)."""
    if not isinstance(mine, str) or not isinstance(theirs, str):
        return False
    if mine == theirs or (theirs and set(theirs) == {"*"}):
        return True
    if "[" in mine or "[" in theirs or len(mine) + len(theirs) > _LONGEST:
        return False
    symbols: list[str | None] = [*sorted(set(mine + theirs) - {"*", "?"}), None]
    start = (_closure(mine, {0}), _closure(theirs, {0}))
    seen, todo = {start}, [start]
    while todo:
        own, above = todo.pop()
        if len(mine) in own and len(theirs) not in above:
            return False  # a name `mine` matches and `theirs` does not
        for symbol in symbols:
            pair = (_step(mine, own, symbol), _step(theirs, above, symbol))
            if pair[0] and pair not in seen:
                if len(seen) >= _STEPS:
                    return False
                seen.add(pair)
                todo.append(pair)
    return True


def _closure(glob: str, states: set[int]) -> frozenset[int]:
    """The positions of `glob` reached from `states` by letting each `*` match nothing."""
    reached = set(states)
    for position in sorted(states):
        while position < len(glob) and glob[position] == "*":
            position += 1
            reached.add(position)
    return frozenset(reached)


def _step(glob: str, states: frozenset[int], symbol: str | None) -> frozenset[int]:
    """The positions of `glob` after one character (`None`: one no literal of either glob)."""
    after = set()
    for position in states:
        if position == len(glob):
            continue
        token = glob[position]
        if token == "*":
            after.add(position)
        elif token == "?" or token == symbol:
            after.add(position + 1)
    return _closure(glob, after)


def _types_within(mine: Any, theirs: Any) -> bool:
    """Whether the policy types `mine` applies to are among those of `theirs` (None: all)."""
    if theirs is None:
        return True
    return isinstance(mine, frozenset) and isinstance(theirs, frozenset) and mine <= theirs


def _expires_within(mine: Any, theirs: Any) -> bool:
    """Whether `mine` stops applying no later than `theirs` (None: never expires); floe-core
    ignores an override once its date is past."""
    if theirs is None:
        return True
    own, above = _date(mine), _date(theirs)
    return own is not None and above is not None and own <= above


def _date(value: Any) -> datetime.date | None:
    """The date floe-core's model reads from `value` (None when it reads none)."""
    if value is None:
        return None
    ok, read = floe_core_reads(value, "date")
    return read if ok and isinstance(read, datetime.date) else None
