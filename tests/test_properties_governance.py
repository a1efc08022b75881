"""Property: for generated parent/child governance pairs, a finding is reported exactly when the
child writes a value weaker than its parent's by upstream's ordering, at the child's value.

The ordering here is written out again from upstream Floe (floe-core's `GovernanceConfig`,
`validate_security_policy_not_weakened` and `DataContractsConfig`), not imported from
floe-lint, so a wrong table in floe-lint fails this test. Values are drawn from upstream's
domains; each side writes a random subset of the fields, in either dialect. A nested field a
written block leaves out is what floe-core's own model fills in (`effective`, asked of
floe-core's `GovernanceConfig`), reported at the block.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from floe_core.schemas.manifest import GovernanceConfig
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main

PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ENFORCEMENT = ["off", "warn", "strict"]
SWITCH = [False, True]
PERCENT = st.integers(0, 100)
#: dotted field -> (values weakest first, or a strategy of numbers, higher stricter), rule name
ORDERED: dict[str, tuple[Any, str]] = {
    "pii_encryption": (["optional", "required"], "pii-encryption-weakened"),
    "audit_logging": (["disabled", "enabled"], "audit-logging-weakened"),
    "policy_enforcement_level": (ENFORCEMENT, "enforcement-level-weakened"),
    "data_retention_days": (st.integers(1, 3650), "retention-weakened"),
    "naming.enforcement": (ENFORCEMENT, "naming-enforcement-weakened"),
    "quality_gates.minimum_test_coverage": (PERCENT, "quality-gates-weakened"),
    "quality_gates.require_descriptions": (SWITCH, "quality-gates-weakened"),
    "quality_gates.require_column_descriptions": (SWITCH, "quality-gates-weakened"),
    "quality_gates.block_on_failure": (SWITCH, "quality-gates-weakened"),
    "quality_gates.layer_thresholds.bronze": (PERCENT, "quality-gates-weakened"),
    "quality_gates.layer_thresholds.silver": (PERCENT, "quality-gates-weakened"),
    "quality_gates.layer_thresholds.gold": (PERCENT, "quality-gates-weakened"),
    "data_contracts.enforcement": (ENFORCEMENT, "data-contracts-weakened"),
    "data_contracts.auto_generation.enabled": (SWITCH, "data-contracts-weakened"),
    "data_contracts.drift_detection.enabled": (SWITCH, "data-contracts-weakened"),
}


def strength(field: str, value: Any) -> int:
    order = ORDERED[field][0]
    return order.index(value) if isinstance(order, list) else int(value)


def value_of(field: str) -> st.SearchStrategy[Any]:
    order = ORDERED[field][0]
    return st.sampled_from(order) if isinstance(order, list) else order


governance = st.lists(st.sampled_from(sorted(ORDERED)), unique=True).flatmap(
    lambda fields: st.fixed_dictionaries({f: value_of(f) for f in fields})
)


def nested(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for dotted, value in flat.items():
        *parents, last = dotted.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


def effective(flat: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    """Each ordered field floe-core reads from `flat`, with the pointer floe-lint reports it at:
    the value where it is written, the innermost mapping written around a default floe-core fills
    into a written block."""
    read = GovernanceConfig.model_validate(nested(flat)).model_dump()
    out: dict[str, tuple[Any, str]] = {}
    for dotted in ORDERED:
        if dotted in flat:
            out[dotted] = (flat[dotted], "/governance/" + dotted.replace(".", "/"))
            continue
        value: Any = read
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            continue
        parts = dotted.split(".")[:-1]
        while len(parts) > 1 and not any(k.startswith(".".join(parts) + ".") for k in flat):
            parts = parts[:-1]  # the innermost mapping the level writes around the field
        out[dotted] = (value, "/governance/" + "/".join(parts))
    return out


def manifest(dialect: str, scope: str, flat: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any]
    if dialect == "floe":
        doc = {
            "apiVersion": "floe.dev/v1",
            "kind": "Manifest",
            "metadata": {"name": scope, "version": "1.0.0", "owner": "data@acme.example"},
            "scope": scope,
            "plugins": {"compute": {"type": "duckdb"}},
        }
    else:
        doc = {"scope": scope, "metadata": {"name": scope}}
        doc["plugins"] = {"compute": {"approved": ["duckdb"], "default": "duckdb"}}
    if scope == "domain":
        doc["parent_manifest"] = "enterprise.yaml"
    if flat:
        doc["governance"] = nested(flat)
    return doc


def lint(files: dict[str, dict[str, Any]]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        for name, doc in files.items():
            Path(tmp, name).write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", tmp, "--format", "json"], stdout=out, stderr=err)
        assert code in (0, 1), err.getvalue()
        report: dict[str, Any] = json.loads(out.getvalue())
        return report


@PROFILE
@given(
    dialect=st.sampled_from(["adr-0010", "floe"]),
    parent=governance,
    child=governance,
)
def test_a_finding_exactly_when_the_child_is_weaker(
    dialect: str, parent: dict[str, Any], child: dict[str, Any]
) -> None:
    report = lint(
        {
            "enterprise.yaml": manifest(dialect, "enterprise", parent),
            "manifest.yaml": manifest(dialect, "domain", child),
        }
    )
    above, own = effective(parent), effective(child)
    expected = sorted(
        (ORDERED[field][1], pointer)
        for field, (value, pointer) in own.items()
        if field in above and strength(field, value) < strength(field, above[field][0])
    )
    found = sorted(
        (f["name"], f["pointer"])
        for f in report["findings"]
        if f["rule"].startswith("FL6")
        and f["file"].endswith("manifest.yaml")
        and not f["file"].endswith("enterprise.yaml")
    )
    assert found == expected
    assert not [f for f in report["findings"] if f["file"].endswith("enterprise.yaml")]
    assert [f["name"] for f in report["findings"] if not f["rule"].startswith("FL6")] == []


@PROFILE
@given(
    dialect=st.sampled_from(["adr-0010", "floe"]),
    chain=st.lists(governance, min_size=3, max_size=3),
)
def test_each_level_is_compared_with_the_strictest_value_above_it(
    dialect: str, chain: list[dict[str, Any]]
) -> None:
    """enterprise -> sales -> emea: a weaker value is reported where it is written and does not
    take effect, so a level below is still compared with the strictest value above it."""
    top, middle, bottom = chain
    files = {
        "enterprise.yaml": manifest(dialect, "enterprise", top),
        "sales.yaml": manifest(dialect, "domain", middle),
        "emea.yaml": manifest(dialect, "domain", bottom),
    }
    files["emea.yaml"]["parent_manifest"] = "sales.yaml"
    if dialect == "floe":
        files["sales.yaml"]["metadata"]["name"] = "sales"
        files["emea.yaml"]["metadata"]["name"] = "emea"
    else:
        files["sales.yaml"]["metadata"] = {"name": "sales"}
        files["emea.yaml"]["metadata"] = {"name": "emea"}
    report = lint(files)
    expected = []
    for name, own, above in (("sales.yaml", middle, [top]), ("emea.yaml", bottom, [top, middle])):
        for field, (value, pointer) in effective(own).items():
            strongest = max(
                (strength(field, a[field][0]) for a in map(effective, above) if field in a),
                default=None,
            )
            if strongest is not None and strength(field, value) < strongest:
                expected.append((name, ORDERED[field][1], pointer))
    found = [
        (Path(f["file"]).name, f["name"], f["pointer"])
        for f in report["findings"]
        if f["rule"].startswith("FL6")
    ]
    assert sorted(found) == sorted(expected)
    assert [f["name"] for f in report["findings"] if not f["rule"].startswith("FL6")] == []
