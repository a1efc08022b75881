"""Properties of the list and naming rules (FL610 policy-overrides-added, FL611
governance-list-dropped, FL612 naming-pattern-replaced) against floe-core 0.1.0a1.

floe-core compiles a domain with its own governance and compares none of these in its
`validate_security_policy_not_weakened`; what it does judge is what an entry *is*: its models
read each entry (defaults filled in, lax-mode values such as `min_columns: "2"`), and its
validators use some lists as sets (`required_tags`, `test_types`, `policy_types`: membership) and
match a name against any custom naming pattern. So floe-core's models are the oracle of which
entries are the same, and the documented rule of each (an override added, an entry dropped, a
naming pattern added) is the strictness floe-lint adds beyond floe-core.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import structlog
import yaml
from floe_core.enforcement.patterns import get_pattern_for_type, matches_custom_patterns
from floe_core.enforcement.policy_enforcer import PolicyEnforcer
from floe_core.enforcement.result import Violation
from floe_core.governance.policy_evaluator import PolicyEvaluator
from floe_core.schemas.governance import (
    CustomRule,
    NamingConfig,
    PolicyDefinitionConfig,
    PolicyOverride,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from floe_lint.cli import main
from floe_lint.lint.governance import shown_entry
from tests.test_governance_defaults import manifest

PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def findings(parent: dict[str, Any], child: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    """floe-lint's findings of `rule` on an enterprise with governance `parent` and a domain
    with governance `child`, through the real CLI on real files."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, doc in (
            ("enterprise.yaml", manifest("enterprise", parent)),
            ("manifest.yaml", manifest("domain", child)),
        ):
            Path(tmp, name).write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", tmp, "--format", "json", "--no-cache"], stdout=out, stderr=err)
        assert code in (0, 1), err.getvalue()
        return [f for f in json.loads(out.getvalue())["findings"] if f["rule"] == rule]


def as_sets(read: dict[str, Any], *names: str) -> dict[str, Any]:
    """A model's dump with the lists floe-core uses as sets made sets."""
    return {k: frozenset(v) if k in names and isinstance(v, list) else v for k, v in read.items()}


def as_read(entry: dict[str, Any]) -> dict[str, Any]:
    """`entry` as floe-lint loads it from the file written, a message quoting that (its loader
    keeps a YAML date as its text)."""
    loaded: dict[str, Any] = yaml.safe_load(yaml.safe_dump(entry, sort_keys=False))
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in loaded.items()}


def frozen(value: Any) -> Any:
    """A hashable value equal exactly when `value`s are (a set compares as its sorted items)."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, frozen(v)) for k, v in value.items())))
    if isinstance(value, frozenset | set):
        return ("set", tuple(sorted(repr(v) for v in value)))
    if isinstance(value, list | tuple):
        return ("list", tuple(frozen(v) for v in value))
    return (type(value).__name__, repr(value))


_SPELLINGS: dict[Any, list[Any]] = {
    True: [True, "yes", "true", 1, "on"],
    False: [False, "no", "false", 0, "off"],
}


@st.composite
def respelled(draw: st.DrawFn, entry: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """`entry` spelled another way floe-core reads the same: lax-mode values, lists in another
    order or with a name twice, a default written out or left out."""
    out: dict[str, Any] = {}
    for key, value in {**defaults, **entry}.items():
        if key in defaults and key not in entry and draw(st.booleans()):
            continue  # a default left out stays left out
        if key in entry and defaults.get(key, object()) == value and draw(st.booleans()):
            continue  # a default written out is left out
        if isinstance(value, bool):
            value = draw(st.sampled_from(_SPELLINGS[value]))
        elif isinstance(value, int):
            value = draw(st.sampled_from([value, str(value), float(value)]))
        elif isinstance(value, list) and value:
            value = draw(st.permutations(value))
            value = [*value, value[0]] if draw(st.booleans()) else list(value)
        elif isinstance(value, datetime.date):
            value = draw(st.sampled_from([value, value.isoformat()]))
        elif isinstance(value, str) and key == "expires":
            value = draw(st.sampled_from([value, datetime.date.fromisoformat(value)]))
        out[key] = value
    keys = draw(st.permutations(list(out)))
    return {key: out[key] for key in keys}


@st.composite
def pair(
    draw: st.DrawFn, entries: st.SearchStrategy[Any], defaults: Any, tighten: Any = None
) -> tuple[list[Any], list[Any]]:
    """Lists above and below: below keeps, respells, tightens or drops each entry above, and
    adds some."""
    above = draw(st.lists(entries, max_size=3))
    below = []
    fates = ["keep", "respell", "drop", *(["tighten"] if tighten else [])]
    for entry in above:
        fate = draw(st.sampled_from(fates))
        if fate == "keep":
            below.append(entry)
        elif fate == "respell":
            below.append(draw(respelled(entry, defaults(entry))))
        elif fate == "tighten":
            below.append(tighten(entry))
    below += draw(st.lists(entries, max_size=2))
    return above, list(draw(st.permutations(below)))


# -- FL610: an override the level above does not have ---------------------------------------

TODAY = datetime.date.today()
#: globs whose inclusions the model names of `_NAMES` decide (each pair that differs has a
#: name one matches and the other does not); a `[...]` set is compared as text only
_GLOBS = [
    "legacy_*",
    "tmp_*",
    "legacy_orders_*",
    "legacy_orders",
    "legacy*",
    "*",
    "leg?cy_*",
    "?egacy_*",
    "*_x",
]
_NAMES = [
    "legacy_",
    "legacy_x",
    "legacy_orders",
    "legacy_orders_x",
    "legacyx",
    "legxcy_x",
    "tmp_x",
    "tmp_y",
    "pegacy_x",
    "legacy_orders_y",
    "x",
    "_x",
    "_egacy_",
    "leg_cy_",
    "legacya_x",
]
_DAYS = [TODAY + datetime.timedelta(days=n) for n in (-30, 0, 20, 50)]
_EXPIRES = [None, *(TODAY + datetime.timedelta(days=n) for n in (-10, 10, 40))]
_TYPES = [None, ["naming"], ["naming", "coverage"], ["coverage", "naming", "naming"], ["custom"]]
OVERRIDE = st.fixed_dictionaries(
    {
        "pattern": st.sampled_from(_GLOBS),
        "action": st.sampled_from(["downgrade", "exclude"]),
        "reason": st.sampled_from(["JIRA-1", "JIRA-2"]),
    },
    optional={
        "expires": st.sampled_from(_EXPIRES).map(
            lambda day: day if day is None else st_date_or_text(day)
        ),
        "policy_types": st.sampled_from(_TYPES),
    },
)


def st_date_or_text(day: datetime.date) -> Any:
    """A day as YAML writes it (a date) or quoted (its ISO text): floe-core reads both."""
    return day if day.day % 2 else day.isoformat()


@st.composite
def overrides_pair(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Overrides above and below: below narrows or widens entries above in one field (glob,
    action, types, expiry, reason) or adds fresh ones."""
    above = draw(st.lists(OVERRIDE, max_size=3))
    below = []
    for entry in above:
        fate = draw(st.sampled_from(["keep", "drop", "field"]))
        if fate == "keep":
            below.append(entry)
        elif fate == "field":
            key = draw(st.sampled_from(["pattern", "action", "expires", "policy_types", "reason"]))
            other = draw(OVERRIDE)
            changed = {**entry, key: other.get(key)}
            below.append({k: v for k, v in changed.items() if v is not None or k in entry})
    below += draw(st.lists(OVERRIDE, max_size=2))
    return above, list(draw(st.permutations(below)))


def _violation(name: str, kind: str) -> Violation:
    return Violation(
        error_code="FLOE-E201",
        severity="error",
        policy_type=kind,
        model_name=name,
        message="m",
        expected="e",
        actual="a",
        suggestion="s",
        documentation_url="https://floe.dev/docs",
    )


def _on(entries: list[PolicyOverride], day: datetime.date) -> list[PolicyOverride]:
    """`entries` as floe-core's enforcer sees them on `day`: it compares expiries with the real
    today, so each expiry is moved by as much."""
    shift = day - TODAY
    return [
        e.model_copy(update={"expires": None if e.expires is None else e.expires - shift})
        for e in entries
    ]


def acting_more(above: list[dict[str, Any]], below: list[dict[str, Any]]) -> list[int]:
    """The entries below that floe-core's enforcer applies (`_find_matching_override` on the
    overrides `_filter_expired_overrides` keeps: the first match wins) to some violation of the
    universe, where `apply_overrides` with the list above leaves it stricter (an error kept, or
    a warning where below removes it)."""
    own = [PolicyOverride.model_validate(e) for e in below]
    theirs = [PolicyOverride.model_validate(e) for e in above]
    log = structlog.get_logger()
    found: set[int] = set()
    for day in _DAYS:
        mine, up = _on(own, day), _on(theirs, day)
        for name in _NAMES:
            for kind in ("naming", "coverage", "custom"):
                violation = _violation(name, kind)
                hit = PolicyEnforcer._find_matching_override(
                    violation, PolicyEnforcer._filter_expired_overrides(mine, log)
                )
                if hit is None:
                    continue
                if _mildness(PolicyEnforcer.apply_overrides([violation], mine)) > _mildness(
                    PolicyEnforcer.apply_overrides([violation], up)
                ):
                    found.add(next(i for i, e in enumerate(mine) if e is hit))
    return sorted(found)


def _mildness(out: list[Violation]) -> int:
    """0: the error kept, 1: made a warning, 2: removed."""
    return 2 if not out else int(out[0].severity != "error")


def reported_entry(message: str) -> str:
    """The entry an FL610 message quotes."""
    found = re.match(r".*? entry (.*?)(?:, which | (?:excludes|downgrades) | may act )", message)
    assert found, message
    return found.group(1)


@PROPERTY
@given(lists=overrides_pair())
def test_fl610_reports_exactly_the_overrides_floe_core_applies_where_the_level_above_is_stricter(
    lists: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """Each list is applied as floe-core's enforcer applies it, the first matching active
    override winning: an entry below is reported when, for some model, policy type and day, it
    is the one applied below and does more than the list above does (a narrower glob, a
    downgrade under an exclude, fewer types, an earlier expiry, another reason do not; an entry
    moved before one that shadowed it above, or out from under one above, does)."""
    above, below = lists
    expected = Counter(shown_entry(as_read(below[i])) for i in acting_more(above, below))
    reported = findings({"policy_overrides": above}, {"policy_overrides": below}, "FL610")
    assert Counter(reported_entry(f["message"]) for f in reported) == expected, (
        above,
        below,
        reported,
    )


# -- FL611: an entry of the level above that the level drops --------------------------------

SPELLED_TRUE = st.sampled_from([True, "yes", "true", 1])
RULE = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("require_meta_field"), "field": st.sampled_from(["owner", "team"])},
        optional={
            "required": st.one_of(SPELLED_TRUE, st.sampled_from([False, "no"])),
            "applies_to": st.sampled_from(["*", "gold_*"]),
        },
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("require_tests_of_type"),
            "test_types": st.sampled_from(
                [["unique"], ["unique", "not_null"], ["not_null", "unique", "unique"]]
            ),
        },
        optional={"min_columns": st.sampled_from([1, "1", 1.0, 2, "2"])},
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("require_tags_for_prefix"),
            "prefix": st.just("gold_"),
            "required_tags": st.sampled_from([["a"], ["a", "b"], ["b", "a"]]),
        },
        optional={"applies_to": st.just("*")},
    ),
)
POLICY = st.fixed_dictionaries(
    {
        "name": st.just("tags"),
        "type": st.just("required_tags"),
        "action": st.sampled_from(["error", "warn", "block"]),
        "message": st.just("tag it"),
    },
    optional={
        "config": st.sampled_from(
            [{}, {"required_tags": ["a", "b"]}, {"required_tags": ["b", "a"]}]
        )
    },
)
#: floe-core's defaults of each entry (`CustomRule` by type, `PolicyDefinitionConfig`)
RULE_DEFAULTS = {
    "require_meta_field": {"required": True, "applies_to": "*"},
    "require_tests_of_type": {"min_columns": 1, "applies_to": "*"},
    "require_tags_for_prefix": {"applies_to": "*"},
}


def tightened(entry: dict[str, Any]) -> dict[str, Any]:
    """A custom rule made stricter in its one field: another tag, required, more columns; or,
    for tests, another test type (not stricter: floe-core counts a column with any of them)."""
    kind = entry["type"]
    if kind == "require_tags_for_prefix":
        return {**entry, "required_tags": [*entry["required_tags"], "c"]}
    if kind == "require_meta_field":
        return {**entry, "required": True}
    if len(set(entry["test_types"])) == 1:
        return {**entry, "test_types": [*entry["test_types"], "accepted_values"]}
    return {**entry, "min_columns": int(float(entry.get("min_columns", 1))) + 1}


def stricter_policy(entry: dict[str, Any]) -> dict[str, Any]:
    """A policy with the other failing action (`error` and `block`), or one for `warn`."""
    return {**entry, "action": "error" if entry["action"] == "block" else "block"}


def covers(key: str, mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Whether an entry below keeps one above, by floe-core's validators: the same entry, or a
    custom rule failing every model the one above fails (more required tags; required non-empty;
    the same test types on at least as many columns), or a policy the same but its violations
    errors where the one above's are warnings (floe-core's severity of each action)."""
    if frozen(mine) == frozen(theirs):
        return True
    if key == "policies":
        same = frozen({**mine, "action": None}) == frozen({**theirs, "action": None})
        return same and (mine["action"], theirs["action"]) == ("error", "warning")
    if key != "custom_rules" or mine["type"] != theirs["type"]:
        return False
    field = {
        "require_tags_for_prefix": "required_tags",
        "require_meta_field": "required",
        "require_tests_of_type": "min_columns",
    }[theirs["type"]]
    if frozen({**mine, field: None}) != frozen({**theirs, field: None}):
        return False
    if field == "required_tags":
        return bool(mine[field] >= theirs[field])
    if field == "required":
        return bool(mine[field] or not theirs[field])
    return bool(mine[field] >= theirs[field])


@st.composite
def lists_pair(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Governance above and below; below leaves a list out now and then (floe-core: empty)."""
    rules = draw(pair(RULE, lambda entry: RULE_DEFAULTS[entry["type"]], tightened))
    policies = draw(pair(POLICY, lambda entry: {"config": {}}, stricter_policy))
    above: dict[str, Any] = {}
    below: dict[str, Any] = {}
    for key, (up, down) in (("custom_rules", rules), ("policies", policies)):
        if up or draw(st.booleans()):
            above[key] = up
        if down or draw(st.booleans()):
            below[key] = down
    return above, below


_RULE = TypeAdapter(CustomRule)


def entry_read(key: str, entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as floe-core's model reads it, with the lists its validators use as sets."""
    if key == "custom_rules":
        return as_sets(_RULE.validate_python(entry).model_dump(), "required_tags", "test_types")
    read = PolicyDefinitionConfig.model_validate(entry).model_dump()
    read["action"] = PolicyEvaluator(policies=[])._map_action_to_severity(read["action"])
    if read["type"] == "required_tags" and "required_tags" in read["config"]:
        read["config"] = as_sets(read["config"], "required_tags")
    return read


@PROPERTY
@given(blocks=lists_pair())
def test_fl611_reports_exactly_the_entries_floe_core_reads_below_no_more(
    blocks: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """A written governance block replaces each list (left out: floe-core's empty default); an
    entry above is dropped unless the level writes one floe-core reads the same, or a custom
    rule its validator holds at least as strictly."""
    above, below = blocks
    expected: Counter[str] = Counter()
    for key in ("custom_rules", "policies"):
        kept = [entry_read(key, e) for e in below.get(key) or []]
        seen = set()
        for entry in above.get(key) or []:
            read = entry_read(key, entry)
            if frozen(read) not in seen and not any(covers(key, k, read) for k in kept):
                expected[f"{key} entry {shown_entry(as_read(entry))}"] += 1
            seen.add(frozen(read))
    reported = findings(above, below, "FL611")
    got = Counter(
        f["message"].split("governance.", 1)[1].split(" of enterprise", 1)[0] for f in reported
    )
    assert got == expected, (above, below, reported)


# -- FL612: naming patterns of the level's own ---------------------------------------------

CUSTOM = ["^raw_", "^agg_", ".*", get_pattern_for_type("medallion")]
NAMING = st.fixed_dictionaries(
    {},
    optional={
        "enforcement": st.sampled_from(["off", "warn", "strict"]),
        "pattern": st.sampled_from(["medallion", "kimball", "custom"]),
        "custom_patterns": st.lists(st.sampled_from(CUSTOM), max_size=3),
    },
)


def naming_read(naming: dict[str, Any] | None) -> NamingConfig | None:
    """floe-core's reading of a naming block (None: absent, or refused by its model)."""
    if naming is None:
        return None
    try:
        return NamingConfig.model_validate(naming)
    except ValidationError:
        return None


def allowed(naming: NamingConfig) -> set[str]:
    """The regexes a name may match to pass (floe-core: any custom pattern, or the preset's)."""
    if naming.pattern == "custom":
        return set(naming.custom_patterns or ())
    return {get_pattern_for_type(naming.pattern)}


@st.composite
def naming_pair(
    draw: st.DrawFn, vocabulary: list[str] = CUSTOM
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Naming above and below; below is often the patterns above reordered, thinned or grown,
    or a preset."""
    NAMING = st.fixed_dictionaries(
        {},
        optional={
            "enforcement": st.sampled_from(["off", "warn", "strict"]),
            "pattern": st.sampled_from(["medallion", "kimball", "custom"]),
            "custom_patterns": st.lists(st.sampled_from(vocabulary), max_size=3),
        },
    )
    CUSTOM = vocabulary
    above = draw(st.one_of(st.none(), NAMING))
    patterns = list((above or {}).get("custom_patterns") or [])
    near = st.fixed_dictionaries(
        {
            "pattern": st.just("custom"),
            "custom_patterns": st.permutations(patterns).flatmap(
                lambda kept: st.lists(st.sampled_from(CUSTOM), max_size=1).map(
                    lambda extra: list(kept[: max(1, len(kept) - 1)]) + extra
                )
            ),
        },
        optional={"enforcement": st.sampled_from(["off", "warn", "strict"])},
    )
    preset = st.fixed_dictionaries(
        {"pattern": st.sampled_from(["medallion", "kimball"])},
        optional={"enforcement": st.sampled_from(["warn", "strict"])},
    )
    below = draw(st.one_of(st.none(), NAMING, near, preset))
    return above, below


@PROPERTY
@given(blocks=naming_pair())
def test_fl612_reports_a_custom_pattern_added_below_an_enforced_convention(
    blocks: tuple[dict[str, Any] | None, dict[str, Any] | None],
) -> None:
    """floe-core orders `naming.enforcement` only; floe-lint adds: while naming is enforced
    above, a level's custom patterns must be among the regexes the convention above allows (a
    preset, upstream's fixed regex, always passes; so do fewer patterns)."""
    above, below = blocks
    parent, child = naming_read(above), naming_read(below)
    expected = (
        parent is not None
        and child is not None
        and parent.enforcement != "off"
        and child.pattern == "custom"
        and not set(child.custom_patterns or ()) <= allowed(parent)
        and ".*" not in allowed(parent)  # a pattern above that every name matches: nothing wider
    )
    reported = findings(
        {} if above is None else {"naming": above},
        {} if below is None else {"naming": below},
        "FL612",
    )
    assert len(reported) == int(expected), (above, below, reported)


#: patterns stricter, looser or other than those of `CUSTOM`, as people write them
RICHER = [
    *CUSTOM,
    "^raw_[a-z]+$",
    "(?=.*_v2$)^raw_",
    "^(raw|agg)_",
    "^r.w_",
    "^stg_",
    "agg_.*",
    "^bronze_",
]
#: model names that tell those patterns apart (each wider pair has one here)
UNIVERSE = [
    "x",
    "zz_x",
    "raw_",
    "raw_x",
    "raw_orders",
    "raw_orders_v2",
    "agg_",
    "agg_x",
    "stg_",
    "stg_x",
    "rxw_x",
    "bronze_",
    "bronze_orders",
    "dim_x",
    "raw_X",
]


def passes(naming: NamingConfig, name: str) -> bool:
    """floe-core's naming check of one model name (`NamingValidator._matches_pattern`)."""
    if naming.pattern == "custom":
        return matches_custom_patterns(name, list(naming.custom_patterns or ()))
    return re.match(get_pattern_for_type(naming.pattern), name) is not None


@PROPERTY
@given(blocks=naming_pair(RICHER))
@example(
    blocks=(
        {"enforcement": "strict", "pattern": "custom", "custom_patterns": ["^raw_"]},
        {"pattern": "custom", "custom_patterns": ["^raw_[a-z]+$"]},
    )
)
@example(
    blocks=(
        {"pattern": "custom", "custom_patterns": [".*"]},
        {"pattern": "custom", "custom_patterns": ["^r.w_"]},
    )
)
def test_fl612_is_sure_fl614_is_unsure_and_no_wider_convention_passes_silently(
    blocks: tuple[dict[str, Any] | None, dict[str, Any] | None],
) -> None:
    """Against floe-core's own matching of a universe of names: an FL612 error only when a name
    passes below that fails above (no false error); a convention below that lets such a name
    pass gets FL612 or FL614 (no silent weakening); never both; neither where floe-lint has no
    business (no convention above, `off` there, a preset below)."""
    above, below = blocks
    parent, child = naming_read(above), naming_read(below)
    wider = [
        name
        for name in UNIVERSE
        if parent is not None
        and child is not None
        and passes(child, name)
        and not passes(parent, name)
    ]
    applies = (
        parent is not None
        and child is not None
        and parent.enforcement != "off"
        and child.pattern == "custom"
    )
    governance = (
        {} if above is None else {"naming": above},
        {} if below is None else {"naming": below},
    )
    errors = findings(*governance, "FL612")
    warnings = findings(*governance, "FL614")
    assert applies or not (errors or warnings), (above, below, errors, warnings)
    assert not (errors and warnings), (above, below)
    if errors:
        assert wider, (above, below, errors)
    if applies and wider:
        assert errors or warnings, (above, below, wider)
