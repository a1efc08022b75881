"""`floe-lint compile` on a code-dialect product writes upstream Floe's `CompiledArtifacts`
contract: floe-core's own model reads it back unchanged, and it equals what the published
`floe platform compile` writes for the same inputs, timestamps and hashes aside.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from floe_core.schemas.compiled_artifacts import CompiledArtifacts

from tests.conftest import EXAMPLES, run_cli

FLOE = Path(sys.executable).with_name("floe")

MANIFEST = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: northwind-platform, version: 1.4.0, owner: platform@northwind.example}
plugins:
  compute:
    type: duckdb
    version: 1.1.0
    config:
      path: "warehouse/{product_slug}.duckdb"
      threads: 2
      memory_limit: 2GB
      extensions: [parquet]
  orchestrator: {type: dagster}
defaults: {compute: duckdb}
observability:
  tracing: {enabled: true, exporter: otlp, endpoint: "https://otel.northwind.example:4317"}
  lineage: {enabled: true, transport: http, endpoint: "https://marquez.northwind.example"}
governance:
  pii_encryption: required
  audit_logging: enabled
  policy_enforcement_level: warn
  data_retention_days: 365
"""


def compile_both(tmp_path: Path, manifest: str, product: str) -> tuple[dict[str, Any], Path]:
    """floe-lint's artifacts (validated) and the path of upstream's for the same two files."""
    tree = tmp_path / "tree"
    (tree / "daily-orders").mkdir(parents=True)
    (tree / "manifest.yaml").write_text(manifest)
    (tree / "daily-orders/floe.yaml").write_text(product)
    cwd = Path.cwd()
    os.chdir(tree / "daily-orders")
    try:
        run = run_cli("compile", "floe.yaml", "--out", "out")
    finally:
        os.chdir(cwd)
    assert run.code == 0, run.stdout + run.stderr
    ours = json.loads((tree / "daily-orders/out/compiled_artifacts.json").read_text())
    upstream = tree / "upstream.json"
    done = subprocess.run(
        [
            str(FLOE),
            "platform",
            "compile",
            "--spec",
            "floe.yaml",
            "--manifest",
            "../manifest.yaml",
            "--output",
            str(upstream),
            "--no-lineage-emission",
        ],
        cwd=tree / "daily-orders",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return ours, upstream


def substance(document: dict[str, Any]) -> dict[str, Any]:
    """The artifacts without what differs by construction: when and over which bytes they were
    made, and upstream's enforcement summary (compared on its own where floe-lint decides it)."""
    out = json.loads(json.dumps(document))
    out["metadata"].pop("compiled_at")
    out["metadata"].pop("source_hash")
    out.pop("enforcement_result")
    return out


PRODUCT = """\
apiVersion: floe.dev/v1
kind: FloeSpec
metadata: {name: daily-orders, version: 0.3.0, owner: sales@northwind.example}
platform: {manifest: ../manifest.yaml}
transforms:
  - {name: stg_orders, tags: [staging], tier: bronze}
  - name: mart_daily_orders
    dependsOn: [stg_orders]
    tier: gold
    qualityChecks:
      - {name: orders_not_null, type: not_null, column: orders, dimension: completeness}
"""


#: the dev output upstream's DuckDB plugin renders for MANIFEST's compute
DEV = {
    "type": "duckdb",
    "path": "warehouse/daily_orders.duckdb",
    "threads": 2,
    "timeout_seconds": 3600,
    "extensions": ["parquet"],
    "settings": {"memory_limit": "2GB"},
}


def test_compile_writes_what_floe_platform_compile_writes(tmp_path: Path) -> None:
    ours, upstream = compile_both(tmp_path, MANIFEST, PRODUCT)
    theirs = json.loads(upstream.read_text())
    assert substance(ours) == substance(theirs)
    assert ours["dbt_profiles"] == {"daily-orders": {"target": "dev", "outputs": {"dev": DEV}}}
    # the same bytes in, the same hash: upstream's source_hash is floe.yaml then the manifest
    assert ours["metadata"]["source_hash"] == theirs["metadata"]["source_hash"]


def test_floe_cores_model_reads_the_artifacts_back_unchanged(tmp_path: Path) -> None:
    ours, _ = compile_both(tmp_path, MANIFEST, PRODUCT)
    model = CompiledArtifacts.model_validate(ours)
    assert model.model_dump(mode="json", by_alias=True) == ours
    assert ours["metadata"]["compiled_at"] == "1970-01-01T00:00:00"  # SOURCE_DATE_EPOCH unset


def test_a_mesh_product_records_its_inheritance_chain_and_domain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLES / "floe-upstream-style", tree)
    monkeypatch.chdir(tree / "mesh/sales/invoices")
    run = run_cli("compile", "floe.yaml", "--out", "out")
    assert run.code == 0, run.stdout + run.stderr
    artifacts = json.loads(Path("out/compiled_artifacts.json").read_text())
    CompiledArtifacts.model_validate(artifacts)
    assert artifacts["mode"] == "mesh"
    assert [(m["name"], m["scope"], m["ref"]) for m in artifacts["inheritance_chain"]] == [
        ("northwind", "enterprise", "../enterprise/manifest.json"),
        ("sales", "domain", "../manifest.yaml"),
    ]
    assert artifacts["identity"]["domain"] == "sales"
    assert artifacts["identity"]["product_id"] == "sales.invoices"


def test_compile_check_compares_the_contract_and_names_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLES / "floe-upstream-style", tree)
    monkeypatch.chdir(tree / "orders")
    assert run_cli("compile", "floe.yaml", "--out", "compiled").code == 0
    assert run_cli("compile", "floe.yaml", "--out", "compiled", "--check").code == 0
    spec = Path("floe.yaml")
    spec.write_text(spec.read_text().replace("tier: gold", "tier: silver"))
    stale = run_cli("compile", "floe.yaml", "--out", "compiled", "--check")
    assert stale.code == 1
    assert "compiled/compiled_artifacts.json is stale" in stale.stderr
    assert "profiles.yml" not in stale.stderr  # the profile did not change


def test_compile_refuses_a_platform_without_an_orchestrator_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check reports it first (required-plugin-missing); compile's own guard stays behind it."""
    (tmp_path / "manifest.yaml").write_text(
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\n"
        "plugins:\n  compute: {type: duckdb}\n"
    )
    (tmp_path / "floe.yaml").write_text(
        "apiVersion: floe.dev/v1\nkind: FloeSpec\nmetadata: {name: orders, version: 1.0.0}\n"
        "transforms: [{name: stg_orders}]\n"
    )
    monkeypatch.chdir(tmp_path)
    run = run_cli("compile", "floe.yaml", "--out", "out")
    assert run.code == 1
    assert "manifest.yaml:4:1: ERROR FL221 [required-plugin-missing]" in run.stdout
    assert "compile refused: 1 error" in run.stderr
    assert not (tmp_path / "out").exists()


QUALITY = """\
  quality:
    provider: great_expectations
    quality_gates:
      silver: {min_score: 60}
      gold: {min_test_coverage: 95, required_tests: [not_null]}
    thresholds: {warn_score: 90}
    calculation: {baseline_score: 60, severity_weights: {critical: 4, warning: 1}}
    check_timeout_seconds: "120"
"""


def test_the_quality_config_is_upstreams_with_every_default_filled_in(tmp_path: Path) -> None:
    manifest = MANIFEST.replace(
        "  orchestrator: {type: dagster}\n", "  orchestrator: {type: dagster}\n" + QUALITY
    )
    ours, upstream = compile_both(tmp_path, manifest, PRODUCT)
    theirs = json.loads(upstream.read_text())
    assert ours["quality_config"] == theirs["quality_config"]
    assert substance(ours) == substance(theirs)
    assert CompiledArtifacts.model_validate(ours).model_dump(mode="json", by_alias=True) == ours
    gates = ours["quality_config"]["quality_gates"]
    # a tier the manifest writes starts from a tier's defaults, not silver's
    assert gates["silver"] == {
        "min_test_coverage": 0.0,
        "required_tests": [],
        "min_score": 60,
        "overridable": True,
    }
    assert gates["bronze"]["min_score"] == 0 and gates["gold"]["min_test_coverage"] == 95.0
    assert ours["quality_config"]["check_timeout_seconds"] == 120  # read as floe-core reads it
    assert ours["quality_config"]["dimension_weights"]["validity"] == 0.2


def test_no_quality_plugin_no_quality_config(tmp_path: Path) -> None:
    ours, upstream = compile_both(tmp_path, MANIFEST, PRODUCT)
    assert ours["quality_config"] is None
    assert json.loads(upstream.read_text())["quality_config"] is None


GOVERNANCE_BLOCK = """\
governance:
  pii_encryption: required
  audit_logging: enabled
  policy_enforcement_level: warn
  data_retention_days: 365
"""


@pytest.mark.parametrize(
    ("governance", "types", "models", "level"),
    [
        ("", ["plugin_instrumentation"], 0, "warn"),
        (
            GOVERNANCE_BLOCK,
            ["coverage", "documentation", "naming", "plugin_instrumentation"],
            2,
            "warn",
        ),
        (
            GOVERNANCE_BLOCK.replace("level: warn", "level: strict"),
            ["coverage", "documentation", "naming", "plugin_instrumentation"],
            2,
            "strict",
        ),
        (
            GOVERNANCE_BLOCK.replace("level: warn", 'level: "off"'),
            ["plugin_instrumentation"],
            0,
            "off",
        ),
        (
            "governance: {data_retention_days: 30}\n",
            ["coverage", "documentation", "naming", "plugin_instrumentation"],
            2,
            "warn",
        ),
    ],
    ids=["none", "warn", "strict", "off", "no-level"],
)
def test_the_enforcement_result_is_what_upstreams_compile_writes(
    tmp_path: Path, governance: str, types: list[str], models: int, level: str
) -> None:
    manifest = MANIFEST.replace(GOVERNANCE_BLOCK, governance)
    assert (governance in manifest) and manifest.count("governance:") == governance.count(
        "governance:"
    )
    ours, upstream = compile_both(tmp_path, manifest, PRODUCT)
    theirs = json.loads(upstream.read_text())
    assert ours["enforcement_result"] == theirs["enforcement_result"]
    assert ours["enforcement_result"] == {
        "passed": True,
        "error_count": 0,
        "warning_count": 0,
        "policy_types_checked": types,
        "models_validated": models,
        "enforcement_level": level,
        "rbac_principal": None,
        "secrets_scanned": 0,
    }


@pytest.mark.parametrize(
    ("extra", "level", "warnings", "types"),
    [
        (
            "  naming: {enforcement: warn, pattern: medallion}\n"
            "  quality_gates: {require_descriptions: true}\n",
            "warn",
            4,
            ["documentation", "naming", "plugin_instrumentation"],
        ),
        (
            "  naming: {enforcement: strict, pattern: kimball}\n",
            "warn",
            2,
            ["naming", "plugin_instrumentation"],
        ),
        ("  naming: {}\n", "strict", 2, ["naming", "plugin_instrumentation"]),
        (
            "  quality_gates: {minimum_test_coverage: 100, require_descriptions: false}\n",
            "warn",
            0,
            ["coverage", "documentation", "naming", "plugin_instrumentation"],
        ),
    ],
    ids=["naming-and-descriptions", "strict-naming-under-warn", "default-naming", "coverage"],
)
def test_the_enforcement_result_counts_upstreams_violations(
    tmp_path: Path, extra: str, level: str, warnings: int, types: list[str]
) -> None:
    manifest = MANIFEST.replace("level: warn", f"level: {level}").replace(
        "  data_retention_days: 365\n", "  data_retention_days: 365\n" + extra
    )
    ours, upstream = compile_both(tmp_path, manifest, PRODUCT)
    theirs = json.loads(upstream.read_text())
    assert ours["enforcement_result"] == theirs["enforcement_result"]
    assert ours["enforcement_result"]["warning_count"] == warnings
    assert ours["enforcement_result"]["policy_types_checked"] == types
    assert ours["enforcement_result"]["error_count"] == 0


def test_the_enforcement_result_is_null_where_upstream_counts_what_the_files_do_not_say(
    tmp_path: Path,
) -> None:
    manifest = MANIFEST.replace(
        "  data_retention_days: 365\n",
        "  data_retention_days: 365\n  naming: {enforcement: warn, pattern: custom, "
        "custom_patterns: ['^[a-z_]+$']}\n",
    )
    ours, _ = compile_both(tmp_path, manifest, PRODUCT)
    assert ours["enforcement_result"] is None
    CompiledArtifacts.model_validate(ours)


def test_the_sink_whitelist_is_named_when_the_manifest_approves_sinks(tmp_path: Path) -> None:
    manifest = MANIFEST + "scope: enterprise\napproved_sinks: [rest_api]\n"
    product = PRODUCT + (
        "destinations:\n  - {name: crm, sink_type: rest_api, connection_secret_ref: crm-key}\n"
    )
    ours, upstream = compile_both(tmp_path, manifest, product)
    theirs = json.loads(upstream.read_text())
    assert ours["enforcement_result"] == theirs["enforcement_result"]
    assert ours["enforcement_result"]["policy_types_checked"] == [
        "coverage",
        "documentation",
        "naming",
        "plugin_instrumentation",
        "sink_whitelist",
    ]


def test_a_governance_value_floe_core_coerces_is_written_as_it_reads_it(tmp_path: Path) -> None:
    manifest = MANIFEST.replace("data_retention_days: 365", 'data_retention_days: "365"')
    ours, upstream = compile_both(tmp_path, manifest, PRODUCT)
    assert ours["governance"]["data_retention_days"] == 365
    assert substance(ours) == substance(json.loads(upstream.read_text()))
    assert CompiledArtifacts.model_validate(ours).model_dump(mode="json", by_alias=True) == ours
