"""A level may not add a `policy_overrides` entry that the level above it does not have.

Why: an override excludes the models its `pattern` matches from policy enforcement or
downgrades their errors to warnings; it is a weakening by nature. floe-core compiles a domain
with its own governance (it never merges the parent's, and its
`validate_security_policy_not_weakened` compares no override), so an override a domain adds
takes effect for its products, below an enterprise that allowed none. Each list is judged as
floe-core's enforcer applies it (`PolicyEnforcer.apply_overrides`: of the overrides
`_filter_expired_overrides` keeps, the first that `_find_matching_override` finds for a
violation wins): an entry is reported when, for some model name, policy type and day, it is the
one applied and the list of every level above does less to that violation. So an entry inside
one above (`legacy_orders_*` under `legacy_*`, a downgrade under an exclude, fewer
`policy_types`, an earlier expiry) is kept, one that never applies is not reported, and the
same entries reordered so that an exclude comes before the downgrade that shadowed it above are.
The `reason` is audit text only and may be reworded.

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

Fails:
    # expect: manifest.yaml:7:7 domain 'sales' orders governance.policy_overrides so that entry {pattern: 'legacy_orders_*', action: exclude, reason: 'JIRA-2'} excludes violations of model 'legacy_orders_', which enterprise 'acme' above it only downgrades; floe-core applies only the first override that matches, so a level may keep the overrides above it but not reorder them to act on more
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      policy_overrides:
        - {pattern: 'legacy_*', action: downgrade, reason: JIRA-1}
        - {pattern: 'legacy_orders_*', action: exclude, reason: JIRA-2}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      policy_overrides:
        - {pattern: 'legacy_orders_*', action: exclude, reason: JIRA-2}
        - {pattern: 'legacy_*', action: downgrade, reason: JIRA-1}

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

import collections
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
#: states walked comparing globs, and pairs of entries compared, in all, for one level: a list
#: of hundreds of overrides would otherwise walk every pair (28.7 s for 400 against 400), and
#: one of thousands compare every pair (45 s for 4,000 against 4,000); beyond either, entries not
#: yet shown inside one above are reported as too many to compare (never passed unproven)
_BUDGET, _PAIRS = 200_000, 1_000_000


class _Budget:
    """The states left to walk comparing globs for one level, and the pairs already decided."""

    @property
    def spent(self) -> bool:
        return self.left <= 0 or self.pairs <= 0

    def __init__(self) -> None:
        self.left, self.pairs = _BUDGET, _PAIRS
        self.decided: dict[tuple[str, str], bool | None] = {}
        self.prefixes: dict[tuple[int, int], int] = {}
        self.downgrades: dict[int, int] = {}
        self.equals: dict[int, set[frozenset[Any] | None]] = {}


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    entries = level.node.child("governance", "policy_overrides")
    if level.parent is None or not isinstance(entries.value, list):
        return
    mine = [
        (index, _normalised(entry))
        for index, entry in enumerate(entries.value)
        if isinstance(entry, dict) and entry.get("action") in _ACTIONS
    ]  # others are not overrides floe-core reads: the schema rules report them
    levels = _levels(level.parent)
    above = [entry for entries_above in levels for entry in entries_above]
    budget = _Budget()
    for index, entry, witness in _acting_more(mine, levels, budget):
        shown = governance_entry_text(entries.value[index])
        inside = _inside_any(entry, above, budget)
        if inside is False:
            message = (
                f"{level.label} adds governance.policy_overrides entry {shown}, which "
                f"{level.parent.label} above it does not have; an override excludes or "
                "downgrades models, so a level may keep the overrides above it but never add one"
            )
        elif witness is None:
            message = (
                f"{level.label} orders governance.policy_overrides so that entry {shown} may "
                f"act on models that {level.parent.label} above it treats more strictly (its "
                "globs are too many or too complex to compare exactly); floe-core applies only "
                "the first override that matches, so a level may keep the overrides above it but "
                "not reorder them to act on more"
            )
        else:
            name, kinds, theirs = witness
            message = (
                f"{level.label} orders governance.policy_overrides so that entry {shown} "
                f"{entry['action']}s {kinds} of model '{name}', which {level.parent.label} above "
                f"it {theirs}; floe-core applies only the first override that matches, so a "
                "level may keep the overrides above it but not reorder them to act on more"
            )
        yield ctx.finding(entries.child(index), message)


def _inside_any(entry: dict[str, Any], above: list[dict[str, Any]], budget: _Budget) -> bool | None:
    """Whether `entry` is inside an override above (`_within`); None when not shown inside any
    and the budget left some comparison undecided."""
    undecided = False
    for theirs in above:
        if budget.spent:
            return None
        inside = _within(entry, theirs, budget)
        if inside:
            return True
        undecided = undecided or inside is None
    return None if undecided else False


def _levels(level: Level) -> list[list[dict[str, Any]]]:
    """Each level's overrides along the chain from `level` up, as floe-core reads them."""
    found = []
    for each in level.chain():
        entries = each.node.child("governance", "policy_overrides").value
        if isinstance(entries, list):
            found.append([_normalised(e) for e in entries if isinstance(e, dict)])
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


def _acting_more(
    mine: list[tuple[int, dict[str, Any]]], levels: list[list[dict[str, Any]]], budget: _Budget
) -> list[tuple[int, dict[str, Any], tuple[str, str, str] | None]]:
    """The level's entries that floe-core's enforcer applies, on some model name, policy type and
    day, where every level above treats the violation more strictly, each with one such
    (model, types, what the level above does). Each level is judged as floe-core applies its
    own list (`PolicyEnforcer.apply_overrides`): the first active override that matches wins.
    Names are walked as classes of the globs they match (`_name_classes`); when that is beyond
    its bounds, an entry passes only inside one above that nothing milder shadows there."""
    readings = [(index, _reading(entry)) for index, entry in mine]
    above = [[_reading(entry) for entry in entries] for entries in levels]
    every = [reading for _, reading in readings] + [r for entries in above for r in entries]
    classes = _name_classes([reading[0] for reading in every])
    if classes is None:
        own = [entry for _, entry in mine]
        return [
            (i, e, None)
            for at, (i, e) in enumerate(mine)
            if not _kept_in_order(at, own, levels, budget)
        ]
    named = {kind for reading in every if isinstance(reading[2], frozenset) for kind in reading[2]}
    kinds: list[str | None] = [*sorted(named), None]  # None: a type no entry names
    dates = {reading[3] for reading in every if reading[3] is not None}
    days: list[datetime.date | None] = [
        *sorted(dates | {day + datetime.timedelta(days=1) for day in dates})
    ] or [None]
    found: dict[int, tuple[str, str, str]] = {}
    for name, matched in classes:
        for kind in kinds:
            for day in days:
                hit = _first([reading for _, reading in readings], matched, kind, day)
                if hit is None or readings[hit][0] in found:
                    continue
                allowed = max(
                    (_applied(entries, matched, kind, day) for entries in above), default=0
                )
                if readings[hit][1][1] > allowed:
                    kinds_text = "violations" if kind is None else f"'{kind}' violations"
                    found[readings[hit][0]] = (name, kinds_text, _THEIRS[allowed])
    return [(i, e, found[i]) for i, e in mine if i in found]


#: what floe-core does to a violation, by how mild it makes it (the enforcer's actions)
_MILDNESS = {"downgrade": 1, "exclude": 2}
_THEIRS = ("leaves as they are", "only downgrades")


def _reading(entry: dict[str, Any]) -> tuple[Any, int, Any, datetime.date | None]:
    """An override as the enforcer uses it: glob, mildness, policy types, expiry date (None:
    never; a date floe-core's model cannot read is refused there, by the schema rules here)."""
    expires = entry.get("expires")
    return (
        entry.get("pattern"),
        _MILDNESS.get(str(entry.get("action")), 0),
        entry.get("policy_types"),
        None if expires is None else _date(expires),
    )


def _first(
    readings: list[tuple[Any, int, Any, Any]], matched: frozenset[str], kind: Any, day: Any
) -> int | None:
    """The index of the override the enforcer applies (`_find_matching_override` after
    `_filter_expired_overrides`) to a violation of type `kind` on `day` of a model whose name
    the globs `matched` match."""
    for index, (pattern, _, types, expires) in enumerate(readings):
        if pattern not in matched or (expires is not None and day is not None and expires < day):
            continue
        if isinstance(types, frozenset) and kind not in types:
            continue
        return index
    return None


def _applied(
    readings: list[tuple[Any, int, Any, Any]], matched: frozenset[str], kind: Any, day: Any
) -> int:
    """How mild one level's list makes that violation (0: no override applies)."""
    hit = _first(readings, matched, kind, day)
    return 0 if hit is None else int(readings[hit][1])


def _kept_in_order(
    at: int, own: list[dict[str, Any]], levels: list[list[dict[str, Any]]], budget: _Budget
) -> bool:
    """Whether the level's entry `own[at]` does no more than the list above, whatever globs are
    written: the entries up to it are those of a list above in the same order (the reasons
    aside), or it is inside an override above that no downgrade before it shadows (an exclude
    or another downgrade first is as mild)."""
    if any(at < _kept_prefix(own, entries, budget) for entries in levels):
        return True
    if any(_has_equal(_equal_key(own[at]), entries, budget) for entries in levels):
        return True  # its equal above, looked up: the scan below would accept it too
    for entries in levels:
        first_downgrade = _first_downgrade(entries, budget)
        for k, theirs in enumerate(entries):
            if budget.spent:
                return False  # past the budget: reported as too many to compare, never passed
            if _within(own[at], theirs, budget) is True and (
                theirs["action"] == "downgrade" or k <= first_downgrade
            ):
                return True
    return False


def _has_equal(key: frozenset[Any] | None, entries: list[dict[str, Any]], budget: _Budget) -> bool:
    """Whether `_kept_in_order`'s scan accepts an entry of `entries` equal to `key`, the list indexed
    once (a scan for it each: 4,000 excludes reordered below them, 3,742 too many to compare)."""
    if id(entries) not in budget.equals:
        first = _first_downgrade(entries, budget)
        kept = (e for k, e in enumerate(entries) if e.get("action") == "downgrade" or k <= first)
        budget.equals[id(entries)] = {_equal_key(e) for e in kept} - {None}
    return key in budget.equals[id(entries)]


def _equal_key(entry: dict[str, Any]) -> frozenset[Any] | None:
    """An override but its reason, as `_within` compares them; None when a value is unhashable."""
    try:
        return frozenset((k, v) for k, v in entry.items() if k != "reason")
    except TypeError:
        return None


def _first_downgrade(entries: list[dict[str, Any]], budget: _Budget) -> int:
    """The index of a list's first downgrade (its length when it has none), found once per list
    (searched again for every entry, 4,000 excludes under 4,000 took 16 M steps)."""
    key = id(entries)
    if key not in budget.downgrades:
        budget.downgrades[key] = next(
            (k for k, e in enumerate(entries) if e.get("action") == "downgrade"), len(entries)
        )
    return budget.downgrades[key]


def _kept_prefix(own: list[dict[str, Any]], entries: list[dict[str, Any]], budget: _Budget) -> int:
    """How many of the level's first entries are those of the list above in the same order (the
    reasons aside), counted once per pair of lists (comparing the prefix again for every entry
    took a list of 4,000 kept as it is above 3 s)."""
    key = (id(own), id(entries))
    if key not in budget.prefixes:
        same = 0
        for mine, theirs in zip(own, entries, strict=False):  # the shorter list ends it
            if {**mine, "reason": None} != {**theirs, "reason": None}:
                break
            same += 1
        budget.prefixes[key] = same
    return budget.prefixes[key]


def _name_classes(patterns: list[Any]) -> list[tuple[str, frozenset[str]]] | None:
    """Each set of the globs `patterns` that some non-empty model name is matched by exactly,
    with the shortest such name: the globs walked together as automata over the characters they
    name and one standing for any other, never run. None beyond `_STEPS` states, `_LONGEST`
    characters, or with a `[...]` set."""
    globs = sorted({p for p in patterns if isinstance(p, str)})
    if sum(map(len, globs)) > _LONGEST or any("[" in glob for glob in globs):
        return None
    literals = sorted(set("".join(globs)) - {"*", "?"})
    other = next(c for c in "xyzq_0123456789abc\u00e9" if c not in literals or c == "\u00e9")
    symbols: list[str | None] = [*literals, None]
    start = tuple(_closure(glob, {0}) for glob in globs)
    seen, todo = {start}, collections.deque([(start, "")])
    found: dict[frozenset[str], str] = {}
    while todo:
        states, name = todo.popleft()
        for symbol in symbols:
            after = tuple(_step(g, s, symbol) for g, s in zip(globs, states, strict=True))
            longer = name + (other if symbol is None else symbol)
            matched = frozenset(g for g, s in zip(globs, after, strict=True) if len(g) in s)
            found.setdefault(matched, longer)
            if after not in seen:
                if len(seen) >= _STEPS:
                    return None
                seen.add(after)
                todo.append((after, longer))
    return [(name, matched) for matched, name in found.items()]


def _within(mine: dict[str, Any], theirs: dict[str, Any], budget: _Budget) -> bool | None:
    """Whether floe-core's enforcer, on any day and violation the override `mine` applies to,
    applies `theirs` too with an action at least as mild for the model (the reason aside);
    None when the globs' comparison is past the budget."""
    if {**mine, "reason": None} == {**theirs, "reason": None}:
        return True
    budget.pairs -= 1  # a list of thousands must not compare every pair
    if theirs.get("action") not in _ACTIONS or (mine["action"], theirs["action"]) == (
        "exclude",
        "downgrade",
    ):
        return False
    if not (
        _types_within(mine["policy_types"], theirs["policy_types"])
        and _expires_within(mine["expires"], theirs["expires"])
    ):
        return False
    return _glob_within(mine.get("pattern"), theirs.get("pattern"), budget)


def _glob_within(mine: Any, theirs: Any, budget: _Budget) -> bool | None:
    """Whether fnmatch's glob `mine` matches no name `theirs` does not. Decided on the two
    texts, never by running a pattern: both globs walked together as automata over the
    characters they name and one standing for any other, in at most `_STEPS` states (beyond,
    or with a `[...]` set, only the same text or `*` above counts); None once the level's
    budget of states is spent (each pair is walked once)."""
    if not isinstance(mine, str) or not isinstance(theirs, str):
        return False
    if mine == theirs or (theirs and set(theirs) == {"*"}):
        return True
    if "[" in mine or "[" in theirs or len(mine) + len(theirs) > _LONGEST:
        return False
    if not _ends_fit(mine, theirs):
        return False
    pair = (mine, theirs)
    if pair not in budget.decided:
        budget.decided[pair] = _walked_within(mine, theirs, budget)
    return budget.decided[pair]


def _ends_fit(mine: str, theirs: str) -> bool:
    """Whether the literal text `mine` starts and ends with (up to its first and after its last
    `*` or `?`) starts and ends with that of `theirs`: without, some name `mine` matches has
    another start or end than every name `theirs` matches (a glob without a set matches at
    least one name, and a wildcard there can be any character). Decided in linear time, so
    that most pairs of a long list need no walk."""
    return _literal_end(mine).startswith(_literal_end(theirs)) and _literal_end(
        mine[::-1]
    ).startswith(_literal_end(theirs[::-1]))


def _literal_end(glob: str) -> str:
    """`glob`'s text before its first wildcard."""
    cut = [at for at in (glob.find("*"), glob.find("?")) if at >= 0]
    return glob[: min(cut)] if cut else glob


def _walked_within(mine: str, theirs: str, budget: _Budget) -> bool | None:
    """`_glob_within` of two globs without a set, walked."""
    if budget.left <= 0:
        return None
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
                budget.left -= 1
                if budget.left <= 0:
                    return None
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
