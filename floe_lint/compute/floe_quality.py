"""Upstream's `quality_config` in the artifacts: the platform's `plugins.quality` as floe-core's
`QualityConfig` reads it, every default filled in.

`floe platform compile` writes `resolved_manifest.plugins.quality` (compilation/stages.py,
GENERATE), the pydantic model dumped whole, so a manifest that names only its provider gets
every gate, weight and threshold written out. The defaults are floe-core 0.1.0a1's
(schemas/quality_config.py); a tier the manifest writes starts from a tier's defaults (0,
no tests, 0), not from the silver or gold defaults, as there. A value of the wrong type is
read as pydantic's lax mode reads it (`floe_lint.load.lax`), as floe-core does.
"""

from __future__ import annotations

from typing import Any

from floe_lint.load.lax import read_as

#: (field, JSON type, default) of each model, in floe-core's field order
_TIER: tuple[tuple[str, str, Any], ...] = (
    ("min_test_coverage", "number", 0.0),
    ("required_tests", "tests", []),
    ("min_score", "integer", 0),
    ("overridable", "boolean", True),
)
_TIERS: dict[str, dict[str, Any]] = {
    "bronze": {},
    "silver": {
        "min_test_coverage": 80.0,
        "required_tests": ["not_null", "unique"],
        "min_score": 75,
    },
    "gold": {
        "min_test_coverage": 100.0,
        "required_tests": ["not_null", "unique", "accepted_values", "relationships"],
        "min_score": 90,
    },
}
_WEIGHTS = (
    ("completeness", "number", 0.25),
    ("accuracy", "number", 0.25),
    ("validity", "number", 0.2),
    ("consistency", "number", 0.15),
    ("timeliness", "number", 0.15),
)
_SEVERITY_WEIGHTS = {"critical": 3.0, "warning": 1.0, "info": 0.5}
_CALCULATION = (
    ("baseline_score", "integer", 70),
    ("max_positive_influence", "integer", 30),
    ("max_negative_influence", "integer", 50),
)
_THRESHOLDS = (("min_score", "integer", 70), ("warn_score", "integer", 85))


def _value(written: Any, kind: str) -> Any:
    if kind == "tests":
        return [str(test) for test in written] if isinstance(written, list) else written
    ok, read = read_as(written, kind)
    return read if ok else written


def _model(
    given: Any, fields: tuple[tuple[str, str, Any], ...], defaults: dict[str, Any] | None = None
) -> dict[str, Any]:
    written = given if isinstance(given, dict) else {}
    out: dict[str, Any] = {}
    for name, kind, default in fields:
        if name in written:
            out[name] = _value(written[name], kind)
        else:
            value = (defaults or {}).get(name, default)
            out[name] = list(value) if isinstance(value, list) else value
    return out


def quality_config(selected: dict[str, Any] | None) -> dict[str, Any] | None:
    """The `quality_config` of the artifacts for the platform's `plugins.quality` selection."""
    if selected is None:
        return None
    gates = selected.get("quality_gates")
    gates = gates if isinstance(gates, dict) else {}
    calculation = selected.get("calculation")
    calculation = calculation if isinstance(calculation, dict) else {}
    severity = calculation.get("severity_weights")
    weights = (
        {str(k): _value(v, "number") for k, v in severity.items()}
        if isinstance(severity, dict)
        else dict(_SEVERITY_WEIGHTS)
    )
    return {
        "provider": selected.get("provider"),
        "quality_gates": {
            tier: _model(gates[tier], _TIER) if tier in gates else _model({}, _TIER, defaults)
            for tier, defaults in _TIERS.items()
        },
        "dimension_weights": _model(selected.get("dimension_weights"), _WEIGHTS),
        "calculation": {**_model(calculation, _CALCULATION), "severity_weights": weights},
        "thresholds": _model(selected.get("thresholds"), _THRESHOLDS),
        "check_timeout_seconds": _value(selected.get("check_timeout_seconds", 300), "integer"),
        "enabled": _value(selected.get("enabled", True), "boolean"),
    }
