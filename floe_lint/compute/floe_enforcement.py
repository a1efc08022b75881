"""Upstream's `enforcement_result` in the artifacts, where the files decide it.

`floe platform compile` (floe-core 0.1.0a1, compilation/stages.py, ENFORCE and post-COMPILE)
writes a summary of two passes. The first always runs: its level is the given manifest's
`governance.policy_enforcement_level` (a FloeSpec has no governance), else `warn`; it checks
`plugin_instrumentation`, and `sink_whitelist` when the manifest has `approved_sinks` and the
product `destinations`. The second runs when that manifest has a `governance` block: at level
`off` it is skipped; otherwise its policy checks run over a dbt graph of the product's transforms
(the same one `upstream_enforcement` describes), and with no violation it reports the default
`coverage`, `documentation`, `naming` and one validated model per transform name.

Decided here only where nothing but the two files can add a violation: no naming, quality
gates, custom rules, policies, data contracts, enabled RBAC, secret scanning or network
policies (their checks count tests, descriptions, tokens and the working directory), and no
dependency that names no transform or closes a cycle. Elsewhere the summary is null, as before.
One count the files never decide: upstream's first pass adds a warning per *installed* plugin
package that lacks tracing instrumentation (none of the published ones does); written as 0.
"""

from __future__ import annotations

from typing import Any

from floe_lint.load.document import Document
from floe_lint.model.upstream_enforcement import depends_on

_LEVELS = ("off", "warn", "strict")
_DEFAULT_TYPES = ("coverage", "documentation", "naming")
#: governance settings whose checks need more than the files (or count violations floe-lint
#: does not reproduce)
_UNDECIDED = ("naming", "quality_gates", "custom_rules", "policies", "data_contracts")
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


def _decided(governance: dict[str, Any], product: Document) -> bool:
    if any(governance.get(key) for key in _UNDECIDED):
        return False
    for key in _SWITCHED:
        block = governance.get(key)
        if isinstance(block, dict) and block.get("enabled"):
            return False
    return _graph_is_clean(product)


def enforcement_result(manifest: Document, product: Document) -> dict[str, Any] | None:
    """The summary upstream's compile writes for `product` under `manifest`, or None."""
    governance = manifest.get("/governance")
    written = governance.get("policy_enforcement_level") if isinstance(governance, dict) else None
    level = written if written in _LEVELS else "warn"
    types = ["plugin_instrumentation"]
    if manifest.get("/approved_sinks") is not None and product.get("/destinations") is not None:
        types.append("sink_whitelist")
    models = 0
    if isinstance(governance, dict) and level != "off":
        if not _decided(governance, product):
            return None
        types = sorted({*types, *_DEFAULT_TYPES})
        names = product.get("/transforms")
        models = len(
            {i["name"] for i in names if isinstance(i, dict) and isinstance(i.get("name"), str)}
            if isinstance(names, list)
            else set()
        )
    elif isinstance(governance, dict):
        types = sorted(types)
    return {
        "passed": True,
        "error_count": 0,
        "warning_count": 0,
        "policy_types_checked": types,
        "models_validated": models,
        "enforcement_level": level,
        "rbac_principal": None,
        "secrets_scanned": 0,
    }
