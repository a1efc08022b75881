"""A governance block a level writes without one of its ordered fields holds floe-core's default
for it (`naming: {pattern: medallion}` is `naming.enforcement: warn` to floe-core's model, its
compile and its `validate_security_policy_not_weakened`), so leaving a field out of a written
block below a stricter value is a weakening, reported at the block. These passed before: the
omitted field was taken as inherited, while floe-core's own validator refused the pair."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from floe_core.schemas.manifest import GovernanceConfig
from floe_core.schemas.validation import (
    SecurityPolicyViolationError,
    validate_security_policy_not_weakened,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from tests.conftest import Run

#: what a message adds for a field floe-core's validator does not compare
ONLY_FLOE_LINT = (
    "; floe-core's validate_security_policy_not_weakened leaves this field out, so only "
    "floe-lint reports it"
)

ENTERPRISE = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  naming: {enforcement: strict}
  quality_gates:
    minimum_test_coverage: 90
    layer_thresholds: {bronze: 70}
  data_contracts: {enforcement: strict}
"""


def domain(governance: str) -> str:
    return (
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}\n"
        "scope: domain\nparent_manifest: enterprise.yaml\n"
        "plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}\n"
        "governance:\n" + governance
    )


def governance_findings(run: Run) -> list[tuple[str, int, int, str]]:
    return sorted(
        (f["rule"], f["line"], f["column"], f["message"])
        for f in run.findings
        if f["rule"].startswith("FL6")
    )


def test_a_field_left_out_of_a_written_block_is_floe_cores_default_and_weaker(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "manifest.yaml": domain(
                "  naming: {pattern: medallion}\n"
                "  quality_gates:\n"
                "    require_descriptions: true\n"
                "    layer_thresholds: {silver: 90}\n"
                "  data_contracts: {inheritance_mode: merge}\n"
            ),
        }
    )
    tail = "; a level may keep or strengthen the governance above it, never weaken it"
    assert governance_findings(run) == [
        (
            "FL605",
            8,
            11,
            "domain 'sales' leaves governance.naming.enforcement out of its `naming` block, so "
            "floe-core reads its default 'warn', weaker than 'strict' set by enterprise 'acme'"
            + tail
            + " ('off' < 'warn' < 'strict')",
        ),
        (
            "FL606",
            10,
            5,
            "domain 'sales' leaves governance.quality_gates.minimum_test_coverage out of its "
            "`quality_gates` block, so floe-core reads its default 80, weaker than 90 set by "
            "enterprise 'acme'" + tail + " (a whole number, higher is stricter)",
        ),
        (
            "FL606",
            11,
            23,
            "domain 'sales' leaves governance.quality_gates.layer_thresholds.bronze out of its "
            "`quality_gates.layer_thresholds` block, so floe-core reads its default 50, weaker "
            "than 70 set by enterprise 'acme'" + tail + " (a whole number, higher is stricter)",
        ),
        (
            "FL607",
            12,
            19,
            "domain 'sales' leaves governance.data_contracts.enforcement out of its "
            "`data_contracts` block, so floe-core reads its default 'warn', weaker than 'strict' "
            "set by enterprise 'acme'" + tail + " ('off' < 'warn' < 'strict')" + ONLY_FLOE_LINT,
        ),
    ]
    related = run.named("naming-enforcement-weakened")[0]["related"]
    assert [(r["file"], r["line"]) for r in related] == [("enterprise.yaml", 7)]
    assert run.code == 1


def test_a_block_not_written_or_null_is_inherited_and_a_default_as_strict_passes(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE.replace(
                "minimum_test_coverage: 90", "require_descriptions: false"
            )
            .replace("{bronze: 70}", "{bronze: 50}")
            .replace("{enforcement: strict}\n  quality", "{enforcement: warn}\n  quality"),
            "manifest.yaml": domain(
                "  naming: {pattern: kimball}\n  quality_gates: {layer_thresholds: {}}\n"
                "  data_contracts: null\n"
            ),
        }
    )
    assert governance_findings(run) == []


# What a level writes: ordered fields with upstream's values, and blocks holding only keys that
# are not ordered, so that every ordered field is sometimes left out of a written block.
ENFORCEMENT = st.sampled_from(["off", "warn", "strict"])
PERCENT = st.integers(0, 100)
NAMING = st.fixed_dictionaries(
    {}, optional={"enforcement": ENFORCEMENT, "pattern": st.just("medallion")}
)
LAYERS = st.fixed_dictionaries({}, optional={"bronze": PERCENT, "silver": PERCENT, "gold": PERCENT})
GATES = st.fixed_dictionaries(
    {},
    optional={
        "minimum_test_coverage": PERCENT,
        "require_descriptions": st.booleans(),
        "require_column_descriptions": st.booleans(),
        "block_on_failure": st.booleans(),
        "layer_thresholds": LAYERS,
        "zero_column_coverage_behavior": st.just("report_na"),
    },
)
GOVERNANCE = st.fixed_dictionaries(
    {},
    optional={
        "pii_encryption": st.sampled_from(["optional", "required"]),
        "audit_logging": st.sampled_from(["disabled", "enabled"]),
        "policy_enforcement_level": ENFORCEMENT,
        "data_retention_days": st.integers(1, 400),
        "naming": NAMING,
        "quality_gates": GATES,
    },
)


def manifest(scope: str, governance: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "apiVersion": "floe.dev/v1",
        "kind": "Manifest",
        "metadata": {"name": scope, "version": "1.0.0", "owner": "data@acme.example"},
        "scope": scope,
        "plugins": {"compute": {"type": "duckdb"}, "orchestrator": {"type": "dagster"}},
        "governance": governance,
    }
    if scope == "domain":
        doc["parent_manifest"] = "enterprise.yaml"
    return doc


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parent=GOVERNANCE, child=GOVERNANCE)
def test_a_weakening_exactly_when_floe_cores_validator_refuses_the_pair(
    parent: dict[str, Any], child: dict[str, Any]
) -> None:
    """floe-core's `validate_security_policy_not_weakened` is the judge of the fields it
    compares (all but data contracts, which it leaves out)."""
    try:
        validate_security_policy_not_weakened(
            GovernanceConfig.model_validate(parent), GovernanceConfig.model_validate(child)
        )
        refused = False
    except SecurityPolicyViolationError:
        refused = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, doc in (
            ("enterprise.yaml", manifest("enterprise", parent)),
            ("manifest.yaml", manifest("domain", child)),
        ):
            Path(tmp, name).write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", tmp, "--format", "json", "--no-cache"], stdout=out, stderr=err)
        assert code in (0, 1), err.getvalue()
        findings = json.loads(out.getvalue())["findings"]
    weakened = [f for f in findings if f["rule"].startswith("FL6")]
    assert bool(weakened) == refused, (parent, child, weakened)
    assert all(f["file"].endswith("manifest.yaml") for f in weakened)
