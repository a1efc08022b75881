"""Upstream's `enforcement_result` in the artifacts, where the files decide it.

`floe platform compile` (floe-core 0.1.0a1, compilation/stages.py, ENFORCE and post-COMPILE)
writes a summary of two passes. The first always runs: its level is the given manifest's
`governance.policy_enforcement_level` (a FloeSpec has no governance), else `warn`; it checks
`plugin_instrumentation`, and `sink_whitelist` when the manifest has `approved_sinks` and the
product `destinations`. The second runs when that manifest has a `governance` block: at level
`off` it is skipped; otherwise its policy checks run over a dbt graph of the product's transforms
(the same one `upstream_enforcement` describes), and with no violation it reports the default
`coverage`, `documentation`, `naming` and one validated model per transform name.

Its violations are counted as upstream counts them over that graph: one per transform name
outside a medallion or kimball `naming` pattern (an error under `enforcement: strict`, else a
warning; none at `off`), one error per transform when `quality_gates.require_descriptions` is
on (the graph has no descriptions); coverage never fails there (no model has columns) and
column descriptions have no columns to miss. At level `warn` every error counts as a warning.
Decided only where nothing else can add a violation: no custom naming pattern, custom rules,
policies, data contracts, enabled RBAC, secret scanning or network policies (their checks read
tokens and the working directory), and no dependency that names no transform or closes a
cycle. Elsewhere the summary is null. One count the files never decide: upstream's first pass
adds a warning per *installed* plugin package that lacks tracing instrumentation (none of the
published ones does); it is not counted.
"""

from __future__ import annotations

from typing import Any

from floe_lint.load.document import Document
from floe_lint.load.lax import read_as
from floe_lint.model.upstream_enforcement import NAMING_PATTERNS, depends_on, matches_naming

_LEVELS = ("off", "warn", "strict")
_DEFAULT_TYPES = ("coverage", "documentation", "naming")
#: governance settings whose checks need more than the files (or count violations floe-lint
#: does not reproduce)
_UNDECIDED = ("custom_rules", "policies")
_SWITCHED = ("rbac", "secret_scanning", "network_policies")


def _graph_is_clean(product: Document) -> bool:
    """Every dependency names a transform and none closes a cycle (upstream's FLOE-E301/302)."""
    items = product.get("/transforms")
    edges: dict[str, list[Any]] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            edges.setdefault(item["name"], []).extend(depends_on(item)[1])
    if any(d not in edges for deps in edges.values() for d in deps):
        return False
    waiting = {name: len(set(deps)) for name, deps in edges.items()}
    users: dict[str, list[str]] = {}
    for name, deps in edges.items():
        for dep in set(deps):
            users.setdefault(dep, []).append(name)
    ready = [name for name, count in waiting.items() if count == 0]
    seen = 0
    while ready:
        seen += 1
        for user in users.get(ready.pop(), []):
            waiting[user] -= 1
            if waiting[user] == 0:
                ready.append(user)
    return seen == len(edges)


def _names(product: Document) -> list[str]:
    items = product.get("/transforms")
    found = [i["name"] for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    return list(dict.fromkeys(n for n in found if isinstance(n, str) and n))


def _violations(governance: dict[str, Any], product: Document) -> list[tuple[str, str]] | None:
    """(policy type, severity) of each violation upstream finds, None where it is not decided."""
    if (
        any(governance.get(key) for key in _UNDECIDED)
        or governance.get("data_contracts") is not None
    ):
        return None
    for key in _SWITCHED:
        block = governance.get(key)
        if isinstance(block, dict) and block.get("enabled"):
            return None
    if not _graph_is_clean(product):
        return None
    names, found = _names(product), list[tuple[str, str]]()
    naming = governance.get("naming")
    if isinstance(naming, dict) and naming.get("enforcement", "warn") != "off":
        pattern = naming.get("pattern", "medallion")
        if pattern not in NAMING_PATTERNS:
            return None
        severity = "error" if naming.get("enforcement", "warn") == "strict" else "warning"
        found += [("naming", severity) for n in names if not matches_naming(n, pattern)]
    gates = governance.get("quality_gates")
    if isinstance(gates, dict) and gates.get("require_descriptions") is not None:
        ok, required = read_as(gates["require_descriptions"], "boolean")
        if not ok:
            return None
        found += [("documentation", "error") for _ in names] if required else []
    return found


def enforcement_result(manifest: Document, product: Document) -> dict[str, Any] | None:
    """The summary upstream's compile writes for `product` under `manifest`, or None."""
    governance = manifest.get("/governance")
    written = governance.get("policy_enforcement_level") if isinstance(governance, dict) else None
    level = written if written in _LEVELS else "warn"
    types = ["plugin_instrumentation"]
    if manifest.get("/approved_sinks") is not None and product.get("/destinations") is not None:
        types.append("sink_whitelist")
    models, errors, warnings = 0, 0, 0
    if isinstance(governance, dict) and level != "off":
        found = _violations(governance, product)
        if found is None:
            return None
        if level == "warn":
            found = [(kind, "warning") for kind, _ in found]
        errors = sum(severity == "error" for _, severity in found)
        warnings = len(found) - errors
        types = sorted({*types, *({kind for kind, _ in found} or _DEFAULT_TYPES)})
        models = len(_names(product))
    elif isinstance(governance, dict):
        types = sorted(types)
    return {
        "passed": errors == 0,
        "error_count": errors,
        "warning_count": warnings,
        "policy_types_checked": types,
        "models_validated": models,
        "enforcement_level": level,
        "rbac_principal": None,
        "secrets_scanned": 0,
    }
