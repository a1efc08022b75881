"""`check` foresees what the published `floe platform compile` enforces (FL702-FL705), against
the real compile: for generated products under generated governance, upstream's compile fails
its enforcement exactly when check reports an FL70x error, at the product."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from tests.upstream_compile import upstream_compile

NAMES = ("bronze_orders", "silver_orders", "gold_orders", "dim_customer", "stg_fees", "Gold_x")
ENFORCEMENT_RULES = {"FL702", "FL703", "FL704", "FL705"}


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    pool = [*names, "missing_model"]
    transforms = []
    for name in names:
        transform: dict[str, Any] = {"name": name}
        if draw(st.booleans()):
            transform["dependsOn"] = draw(st.lists(st.sampled_from(pool), max_size=2, unique=True))
        transforms.append(transform)
    governance: dict[str, Any] = {
        "policy_enforcement_level": draw(st.sampled_from(["strict", "warn", "off", None]))
    }
    if draw(st.booleans()):
        governance["naming"] = {
            "enforcement": draw(st.sampled_from(["strict", "warn", "off"])),
            "pattern": draw(st.sampled_from(["medallion", "kimball"])),
        }
    if draw(st.booleans()):
        # what floe-core's lax mode reads as a boolean too ("yes", 1)
        switch = draw(st.sampled_from([True, False, "yes", "no", "true", "off", 1, 0]))
        governance["quality_gates"] = {"require_descriptions": switch}
    manifest = {
        "apiVersion": "floe.dev/v1",
        "kind": "Manifest",
        "metadata": {"name": "acme", "version": "1.0.0", "owner": "platform@acme.example"},
        "plugins": {"compute": {"type": "duckdb"}, "orchestrator": {"type": "dagster"}},
        "governance": governance,
    }
    product = {
        "apiVersion": "floe.dev/v1",
        "kind": "FloeSpec",
        "metadata": {"name": "orders", "version": "1.0.0"},
        "platform": {"manifest": "manifest.yaml"},
        "transforms": transforms,
    }
    return manifest, product


def foreseen(product: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    main(["check", str(product), "--format", "json", "--no-dependents"], out, io.StringIO())
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule"] in ENFORCEMENT_RULES]


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(cases())
def test_check_reports_an_enforcement_error_exactly_when_upstreams_compile_refuses(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    manifest, product = case
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "manifest.yaml").write_text(yaml.safe_dump(manifest))
        spec = Path(folder) / "floe.yaml"
        spec.write_text(yaml.safe_dump(product, sort_keys=False))
        refusal = upstream_compile(spec, Path(folder) / "manifest.yaml")
        findings = foreseen(spec)
    assert refusal is None or refusal.startswith("PolicyEnforcementError"), refusal
    if refusal is None:
        assert findings == [], (manifest["governance"], product["transforms"])
        return
    assert findings, (refusal, manifest["governance"], product["transforms"])
    codes = {code for code in ("E201", "E220", "E301", "E302") if f"FLOE-{code}" in refusal}
    # the first error upstream names is among the ones check reports, under its code
    assert any(f"FLOE-{code}" in f["message"] for f in findings for code in codes), (
        refusal,
        [f["message"] for f in findings],
    )
