"""A level that writes its governance must keep every `custom_rules` and `policies` entry of
the levels above it.

Why: floe-core compiles a domain with its own governance and never merges its parent's; a
domain's `custom_rules` or `policies` list replaces the one above it, and a governance block
written without the list is floe-core's default, an empty list. An entry the domain drops
(a required meta field, a required tag) is then not checked on its products. Entries compare
by value, as floe-core's model reads them (`applies_to: '*'`, `required: true`,
`min_columns: 1` and `config: {}` when left out; `min_columns: "1"` is 1 and `required: "yes"`
true, as its lax mode reads them) and its validators use them (`required_tags` and
`test_types` in any order, each name once; a policy's `action: block` is `error`, the severity
`PolicyEvaluator._map_action_to_severity` gives both). A custom rule kept but tightened keeps
it: more `required_tags`, `required: true` for false, a higher `min_columns` (not other
`test_types`: floe-core counts the columns with any of them); so does a policy kept with
`error` or `block` for `warn`. A policy kept with `warn` for `error` or `block` is dropped:
its violations no longer fail the compile. A governance block not written at all, or
null, inherits the one above: nothing is dropped.

Fails:
    # expect: manifest.yaml:6:17 domain 'sales' drops governance.custom_rules entry {type: require_meta_field, field: owner} of enterprise 'acme'; floe-core compiles a level with its own list, not the one above it, so a level may add entries but must keep every entry above it
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      custom_rules: [{type: require_meta_field, field: owner}]
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      custom_rules: [{type: require_tests_of_type, test_types: [unique]}]

Passes:
    # file: enterprise.manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      custom_rules: [{type: require_meta_field, field: owner}]
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      custom_rules:
        - {type: require_meta_field, field: owner, required: true, applies_to: '*'}
        - {type: require_tests_of_type, test_types: [unique]}
"""

from __future__ import annotations

from collections.abc import Iterator

import floe_lint.api as api
from floe_lint.api import Context, Finding, Level, governance_entry_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID, NAME, SEVERITY, SUBJECT = "FL611", "governance-list-dropped", "error", "manifest"
KEYS = ("governance",)  # only a level that writes its governance replaces the lists above

#: floe-core's defaults per list and entry type (`CustomRule`, `PolicyDefinitionConfig`)
_DEFAULTS: dict[str, dict[str, dict[str, Any]]] = {
    "custom_rules": {
        "require_tags_for_prefix": {"applies_to": "*"},
        "require_meta_field": {"required": True, "applies_to": "*"},
        "require_tests_of_type": {"min_columns": 1, "applies_to": "*"},
    },
    "policies": {"": {"config": {}}},
}
#: the fields pydantic's lax mode reads into another type (`required: "yes"`, `min_columns:
#: "2"`), and the lists floe-core's validators use as sets (`required_tags`, `test_types`)
_READ_AS = {"required": "boolean", "min_columns": "integer"}
#: per custom rule type, the one field a level may tighten and still keep the entry (floe-core's
#: validator then fails every model the entry above fails): more tags required, a meta field
#: required non-empty, tests on more columns
_TIGHTER = {
    "require_tags_for_prefix": "required_tags",
    "require_meta_field": "required",
    "require_tests_of_type": "min_columns",
}
_SETS = ("required_tags", "test_types")
#: a policy's `action` as the violation severity floe-core's policy evaluator gives it
_SEVERITY = {"warn": "warning", "error": "error", "block": "error"}


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    governance = level.node.child("governance")
    if level.parent is None or not isinstance(governance.value, dict):
        return
    for key in _DEFAULTS:
        own = governance.child(key)
        kept = [_read(key, e) for e in own.value] if isinstance(own.value, list) else []
        where = own if own.exists else governance
        for entry, node, owner in _above(level.parent, key):
            read = _read(key, entry)
            if any(_covers(key, mine, read) for mine in kept):
                continue
            yield ctx.finding(
                where,
                f"{level.label} drops governance.{key} entry {governance_entry_text(entry)} of {owner.label}; "
                "floe-core compiles a level with its own list, not the one above it, so a level "
                "may add entries but must keep every entry above it",
                at="key" if where is governance else "value",
                related=[ctx.related(node, f"governance.{key} entry of {owner.label}")],
            )


def _above(level: Level, key: str) -> list[tuple[dict[str, Any], Any, Level]]:
    """The entries in force at `level`: those its chain writes, each at the highest level
    writing it (an entry a level drops stays in force; it is reported there)."""
    found: list[tuple[dict[str, Any], Any, Level]] = []
    seen: list[dict[str, Any]] = []
    for each in reversed(level.chain()):
        entries = each.node.child("governance", key)
        if not isinstance(entries.value, list):
            continue
        for index, entry in enumerate(entries.value):
            read = _read(key, entry)
            if isinstance(entry, dict) and read not in seen:
                seen.append(read)
                found.append((entry, entries.child(index), each))
    return found


def _read(key: str, entry: Any) -> Any:
    """An entry as floe-core reads and uses it: its defaults filled in, a value its lax mode
    reads into the field's type as that value, and the lists it checks as sets (a model must
    carry every tag or test named, in any order) as sets. Two entries floe-core reads the same
    are the same entry, whatever their spelling."""
    if not isinstance(entry, dict):
        return entry
    defaults = _DEFAULTS[key]
    kind = entry.get("type") if key == "custom_rules" else ""
    filled = defaults.get(kind, {}) if isinstance(kind, str) else {}
    read = {**filled, **entry}
    if key == "custom_rules":
        for name, wants in _READ_AS.items():
            if name in read:
                read[name] = _as_read(read[name], wants)
        for name in _SETS:
            if name in read:
                read[name] = _as_set(read[name])
        return read
    action = read.get("action")
    if isinstance(action, str) and action in _SEVERITY:
        read["action"] = _SEVERITY[action]
    if read.get("type") == "required_tags" and isinstance(read.get("config"), dict):
        tags = read["config"].get("required_tags")
        # floe-core's policy evaluator checks each tag of `config.required_tags` on each model
        if tags is not None:
            read["config"] = {**read["config"], "required_tags": _as_set(tags)}
    return read


def _covers(key: str, mine: Any, theirs: Any) -> bool:
    """Whether the entry `mine` (read) keeps `theirs`: the same, or a custom rule the same but
    in its `_TIGHTER` field, which is at least as strict (a superset of tags, `required: true`,
    as many columns or more; other test types are not stricter: floe-core counts a column
    with any of them), or a policy the same but failing with `error` where `theirs` warns."""
    if mine == theirs:
        return True
    if not isinstance(mine, dict) or not isinstance(theirs, dict):
        return False
    if key == "policies":
        same = {**mine, "action": None} == {**theirs, "action": None}
        return same and (mine.get("action"), theirs.get("action")) == ("error", "warning")
    if key != "custom_rules":
        return False
    kind = theirs.get("type")
    field = _TIGHTER.get(kind) if isinstance(kind, str) else None
    if field is None or {**mine, field: None} != {**theirs, field: None}:
        return False
    own: Any = mine.get(field)
    above: Any = theirs.get(field)
    if field == "required_tags":
        return isinstance(own, frozenset) and isinstance(above, frozenset) and own >= above
    if field == "required":
        return own is True and above is False
    whole = all(isinstance(n, int) and not isinstance(n, bool) for n in (own, above))
    return whole and own >= above


def _as_read(value: Any, wants: str) -> Any:
    """`value` as pydantic's lax mode reads it as `wants` (unchanged when it does not)."""
    if wants == "boolean" and isinstance(value, bool):
        return value
    if wants == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return value
    ok, read = api.floe_core_reads(value, wants)  # only a value of another type asks pydantic
    return read if ok else value


def _as_set(value: Any) -> Any:
    """A list of strings as the set floe-core checks (anything else as written)."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return frozenset(value)
    return value
