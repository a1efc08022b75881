"""FL610 on long `policy_overrides` lists: every entry below was compared with every entry above
by walking both globs as automata (up to 4,096 states a pair), so 400 random globs under 400 took
28.7 s of CPU from a 36 KB manifest (a red team's denial of a CI job). Now a pair whose literal
start or end cannot fit is decided without a walk, each pair is walked once, and a level's walks
share a budget of states: past it, an entry not yet shown inside one above is reported as too
many to compare, never passed unproven."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_governance_defaults import domain, governance_findings
from tests.test_policy_overrides_added import TAIL

ENTERPRISE_HEAD = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  policy_overrides:
"""


def _entries(globs: list[str], action: str = "downgrade") -> str:
    return "".join(
        f"    - {{pattern: '{glob}', action: {action}, reason: R{i}}}\n"
        for i, glob in enumerate(globs)
    )


def _red_team_list(draw: random.Random, count: int) -> str:
    """The red team's generator: random globs, actions and expiry dates."""
    lines = []
    for i in range(count):
        glob = "".join(draw.choice("*ab?_") for _ in range(draw.randint(3, 30)))
        action = draw.choice(["exclude", "downgrade"])
        lines.append(
            f"    - {{pattern: '{glob}', action: {action}, reason: R{i}, "
            f"expires: 2027-0{draw.randint(1, 9)}-01}}\n"
        )
    return "".join(lines)


def test_hostile_long_lists_walk_a_bounded_number_of_states(
    lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 random globs under 400: main before walked about 25 M glob steps (28.7 s)."""
    from floe_lint.rules import policy_overrides_added as rule

    steps = 0
    step = rule._step

    def counted(glob: str, states: frozenset[int], symbol: str | None) -> frozenset[int]:
        nonlocal steps
        steps += 1
        return step(glob, states, symbol)

    monkeypatch.setattr(rule, "_step", counted)
    draw = random.Random(1)
    above = _red_team_list(draw, 400)
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE_HEAD + above,
            "manifest.yaml": domain("  policy_overrides:\n" + _red_team_list(draw, 400)),
        },
        "--select",
        "FL610",
    )
    assert run.code == 1
    assert 0 < steps <= 20 * rule._BUDGET, steps
    # the unbounded comparison reported 289 of these entries; past the budget, more are reported
    assert len(governance_findings(run)) >= 289


def test_a_long_list_of_narrower_entries_is_still_judged_exactly(lint) -> None:
    """150 team overrides above, each narrowed below in the same order, and one entry added at
    the end: only that entry is reported, with the message that says so (a budget spent on
    pairs that cannot fit would report the narrower ones too)."""
    teams = [f"team{i:03d}" for i in range(150)]
    above = _entries([f"{team}_*" for team in teams])
    below = _entries([f"{team}_legacy_*" for team in teams]) + (
        "    - {pattern: 'orders_*', action: exclude, reason: new}\n"
    )
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE_HEAD + above,
            "manifest.yaml": domain("  policy_overrides:\n" + below),
        },
        "--select",
        "FL610",
    )
    assert governance_findings(run) == [
        (
            "FL610",
            159,
            7,
            "domain 'sales' adds governance.policy_overrides entry {pattern: 'orders_*', action: "
            f"exclude, reason: new}}, which enterprise 'acme' {TAIL}",
        )
    ]


@pytest.mark.parametrize(
    ("mine", "theirs", "fits"),
    [
        ("legacy_orders_*", "legacy_*", True),
        ("ab?", "abc", False),  # ab? matches abd
        ("a*c", "ab*", False),  # a*c matches ac
        ("x_*_y", "x*y", True),
        ("abc", "a*c", True),
        ("*_legacy", "*legacy", True),
        ("*legacy", "*_legacy", False),
    ],
)
def test_the_literal_ends_never_refuse_a_glob_inside(mine: str, theirs: str, fits: bool) -> None:
    """`_ends_fit` refuses only pairs the walk refuses too (it is a shortcut, not a judge)."""
    from floe_lint.rules import policy_overrides_added as rule

    walked = rule._walked_within(mine, theirs, rule._Budget())
    assert walked is fits
    assert rule._ends_fit(mine, theirs) or not walked


@given(st.text("*?ab_", min_size=1, max_size=12), st.text("*?ab_", min_size=1, max_size=12))
@settings(max_examples=400, deadline=None)
def test_a_pair_the_ends_refuse_is_one_the_walk_refuses(mine: str, theirs: str) -> None:
    from floe_lint.rules import policy_overrides_added as rule

    if not rule._ends_fit(mine, theirs):
        assert rule._walked_within(mine, theirs, rule._Budget()) is False


def test_thousands_of_entries_compare_a_bounded_number_of_pairs(
    lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1,200 random globs under 1,200: every entry was compared with every entry above (1.4 M
    pairs here; 4,000 under 4,000 took 45 s of CPU). Past the level's allowance of pairs, an
    entry not yet shown inside one above is reported as too many to compare."""
    from floe_lint.rules import policy_overrides_added as rule

    pairs = 0
    within = rule._within

    def counted(mine: dict[str, object], theirs: dict[str, object], budget: object) -> object:
        nonlocal pairs
        pairs += 1
        return within(mine, theirs, budget)  # type: ignore[arg-type]

    monkeypatch.setattr(rule, "_within", counted)
    draw = random.Random(7)
    above = _red_team_list(draw, 1200)
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE_HEAD + above,
            "manifest.yaml": domain("  policy_overrides:\n" + _red_team_list(draw, 1200)),
        },
        "--select",
        "FL610",
    )
    assert run.code == 1
    assert 0 < pairs <= rule._PAIRS + 2 * 1200, pairs
    findings = governance_findings(run)
    assert len(findings) >= 900
    too_many = [f for f in findings if "too many or too complex to compare exactly" in f[3]]
    assert too_many, findings[:3]


def test_a_long_list_kept_as_above_is_compared_once(lint, monkeypatch: pytest.MonkeyPatch) -> None:
    """4,000 overrides kept below in the enterprise's order (reasons reworded): no finding, and
    the two lists' common start is found once, not again for every entry (3.1 s before)."""
    from floe_lint.rules import policy_overrides_added as rule

    prefixes = []
    budgets = set()
    kept_prefix = rule._kept_prefix

    def counted(
        own: list[dict[str, object]], entries: list[dict[str, object]], budget: object
    ) -> int:
        found = kept_prefix(own, entries, budget)  # type: ignore[arg-type]
        prefixes.append(found)
        budgets.add(budget)
        return found

    monkeypatch.setattr(rule, "_kept_prefix", counted)
    globs = [f"team{i:04d}_*" for i in range(4000)]
    below = _entries(globs).replace("reason: R", "reason: kept R")
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE_HEAD + _entries(globs),
            "manifest.yaml": domain("  policy_overrides:\n" + below),
        },
        "--select",
        "FL610",
    )
    assert governance_findings(run) == []
    assert run.code == 0
    assert len(prefixes) == 4000 and set(prefixes) == {4000}, sorted(set(prefixes))[:5]
    # one level above, one budget: its common start with the level's list worked out once
    assert [len(budget.prefixes) for budget in budgets] == [1]  # type: ignore[attr-defined]


def test_a_lists_first_downgrade_is_found_once(lint, monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 excludes below, each inside the enterprise's first entry ('*', then 1,999 more
    excludes): no finding, and the enterprise's first downgrade (none) is searched for once,
    not again for every entry (2,000 searches of 2,000 entries here; 4,000 such entries took 2.1 s of CPU, 0.6 s
    after)."""
    from floe_lint.rules import policy_overrides_added as rule

    searches = 0

    def counted(found: Iterator[int], default: int) -> int:
        nonlocal searches
        searches += 1
        return next(found, default)

    monkeypatch.setattr(rule, "next", counted, raising=False)  # the module's builtin
    globs = [f"team{i:04d}_*" for i in range(2000)]
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE_HEAD + _entries(["*", *globs[1:]], "exclude"),
            "manifest.yaml": domain("  policy_overrides:\n" + _entries(globs, "exclude")),
        },
        "--select",
        "FL610",
    )
    assert (run.code, governance_findings(run)) == (0, [])
    assert searches == 1, searches  # one level above: its list searched once, to its end


def test_a_long_list_reordered_below_compares_no_pair(
    lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    """4,000 excludes kept below in another order: each is one above (an exclude before any
    downgrade), so none acts on more. Each entry scanned the list above for its equal, so the
    level's allowance of pairs ran out and 3,742 entries were reported as too many to compare
    (8.4 s of CPU); an entry's equal above is now looked up, and no pair is compared."""
    from floe_lint.rules import policy_overrides_added as rule

    pairs = 0
    within = rule._within

    def counted(mine: dict[str, object], theirs: dict[str, object], budget: object) -> object:
        nonlocal pairs
        pairs += 1
        return within(mine, theirs, budget)  # type: ignore[arg-type]

    monkeypatch.setattr(rule, "_within", counted)
    globs = [f"team{i:04d}_*" for i in range(4000)]
    shuffled = list(globs)
    random.Random(3).shuffle(shuffled)
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE_HEAD + _entries(globs, "exclude"),
            "manifest.yaml": domain("  policy_overrides:\n" + _entries(shuffled, "exclude")),
        },
        "--select",
        "FL610",
    )
    assert (run.code, governance_findings(run)) == (0, [])
    assert pairs == 0, pairs


def test_an_entry_whose_equal_follows_a_downgrade_above_is_still_reported(lint) -> None:
    """The looked-up equal counts only where the scan accepted it: an exclude equal to one that
    a downgrade above shadows is not kept by it. A glob longer than the names walked (256
    characters) leaves the entries to `_kept_in_order`, which reports the exclude reordered
    before the downgrade (at 10:7), and keeps the downgrade (its equal above)."""
    long = "x" * 300 + "*"
    above = (
        f"    - {{pattern: '{long}', action: exclude, reason: A}}\n"
        "    - {pattern: 'legacy_*', action: downgrade, reason: A}\n"
        "    - {pattern: 'legacy_orders_*', action: exclude, reason: B}\n"
    )
    below = (
        f"    - {{pattern: '{long}', action: exclude, reason: A}}\n"
        "    - {pattern: 'legacy_orders_*', action: exclude, reason: B}\n"
        "    - {pattern: 'legacy_*', action: downgrade, reason: A}\n"
    )
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE_HEAD + above,
            "manifest.yaml": domain("  policy_overrides:\n" + below),
        },
        "--select",
        "FL610",
    )
    assert governance_findings(run) == [
        (
            "FL610",
            10,
            7,
            "domain 'sales' orders governance.policy_overrides so that entry {pattern: "
            "'legacy_orders_*', action: exclude, reason: B} may act on models that enterprise "
            "'acme' above it treats more strictly (its globs are too many or too complex to "
            "compare exactly); floe-core applies only the first override that matches, so a "
            "level may keep the overrides above it but not reorder them to act on more",
        )
    ]


_OVERRIDE = st.fixed_dictionaries(
    {
        "pattern": st.sampled_from(["*", "a*", "ab*", "a?", "b", "*b", "[ab]*"]),
        "action": st.sampled_from(["exclude", "downgrade"]),
        "reason": st.sampled_from(["R1", "R2"]),
        "expires": st.sampled_from([None, "2027-01-01", "2027-06-01"]),
        "policy_types": st.sampled_from([None, ["naming"], ["naming", "coverage"], [["x"]]]),
    }
)


def _kept_in_order_scanned(
    at: int, own: list[dict[str, object]], levels: list[list[dict[str, object]]]
) -> bool:
    """`_kept_in_order` as it was defined before the look-up: every entry above scanned."""
    from floe_lint.rules import policy_overrides_added as rule

    budget = rule._Budget()
    for entries in levels:
        same = 0
        for mine, theirs in zip(own, entries, strict=False):
            if {**mine, "reason": None} != {**theirs, "reason": None}:
                break
            same += 1
        if at < same:
            return True
    for entries in levels:
        first = next(
            (k for k, e in enumerate(entries) if e.get("action") == "downgrade"), len(entries)
        )
        for k, theirs in enumerate(entries):
            if rule._within(own[at], theirs, budget) is True and (
                theirs["action"] == "downgrade" or k <= first
            ):
                return True
    return False


@given(st.lists(st.lists(_OVERRIDE, max_size=6), min_size=1, max_size=3), st.data())
@settings(max_examples=300, deadline=None)
def test_kept_in_order_is_the_scan_over_every_entry_above(
    levels: list[list[dict[str, object]]], data: st.DataObject
) -> None:
    """On small lists (no budget spent), the look-up of an entry's equal above decides as the
    scan of every entry above did; the level's entries are often those above, reordered."""
    from floe_lint.rules import policy_overrides_added as rule

    pool = [entry for entries in levels for entry in entries]
    drawn = st.sampled_from(pool) | _OVERRIDE if pool else _OVERRIDE
    own = data.draw(st.lists(drawn, min_size=1, max_size=6))
    mine = [rule._normalised(e) for e in own]
    above = [[rule._normalised(e) for e in entries] for entries in levels]
    for at in range(len(mine)):
        assert rule._kept_in_order(at, mine, above, rule._Budget()) is _kept_in_order_scanned(
            at, mine, above
        )
