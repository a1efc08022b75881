"""A level may not add a `policy_overrides` entry that the level above it does not have.

Why: an override excludes the models its `pattern` matches from policy enforcement or
downgrades their errors to warnings; it is a weakening by nature. floe-core compiles a domain
with its own governance (it never merges the parent's), so an override a domain adds takes
effect for its products, below an enterprise that allowed none. An entry identical to one
above (as floe-core's model reads it: `expires` and `policy_types` default to null, and
`policy_types` is the set a violation's type must be in, in any order) is kept, not added.

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
        - {pattern: 'legacy_*', action: downgrade, reason: JIRA-123, expires: 2027-06-01}
    # file: manifest.yaml
    scope: domain
    metadata: {name: sales}
    parent_manifest: enterprise.manifest.yaml
    plugins: {compute: {approved: [duckdb]}}
    governance:
      policy_overrides:
        - {pattern: 'legacy_*', action: downgrade, reason: JIRA-123, expires: 2027-06-01}
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level, governance_entry_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID, NAME, SEVERITY, SUBJECT = "FL610", "policy-overrides-added", "error", "manifest"
KEYS = ("governance",)  # only what the level writes under governance: can weaken

#: floe-core's `PolicyOverride` defaults, filled in before entries are compared
_DEFAULTS = {"expires": None, "policy_types": None}
_ACTIONS = ("downgrade", "exclude")


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    entries = level.node.child("governance", "policy_overrides")
    if level.parent is None or not isinstance(entries.value, list):
        return
    above = _above(level.parent)
    for index, entry in enumerate(entries.value):
        if not isinstance(entry, dict) or entry.get("action") not in _ACTIONS:
            continue  # not an override floe-core reads: the schema rules report it
        if _normalised(entry) in above:
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
