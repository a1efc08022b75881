"""`floe-lint explain`: the effective policy level by level, checked line by line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REPO, run_cli, write_files

SCHEMA = json.loads((REPO / "schemas" / "explain.json").read_text("utf-8"))
ENTERPRISE = """
scope: enterprise
metadata: {name: acme}
plugins:
  compute:
    approved: [duckdb, spark, snowflake]
    default: duckdb
"""
SALES = """
scope: domain
metadata: {name: sales}
parent_manifest: ../enterprise/manifest.yaml
plugins:
  compute:
    approved:
      - duckdb
      - {name: spark, config: {master: local}}
      - bigquery
"""
ORDERS = """
name: orders
platform: {ref: ../../platform/sales/manifest.yaml}
transforms:
  - {type: dbt, path: models/staging/, compute: spark}
  - {type: dbt, path: models/marts/}
  - {type: dbt, path: models/legacy/, compute: snowflake}
"""
LEVELS = [
    "enterprise 'acme': platform/enterprise/manifest.yaml",
    "  approves duckdb (platform/enterprise/manifest.yaml:5)",
    "  approves spark (platform/enterprise/manifest.yaml:5)",
    "  approves snowflake (platform/enterprise/manifest.yaml:5)",
    "  default duckdb (platform/enterprise/manifest.yaml:6)",
    "domain 'sales': platform/sales/manifest.yaml",
    "  parent_manifest ../enterprise/manifest.yaml (platform/sales/manifest.yaml:3)",
    "  approves duckdb (platform/sales/manifest.yaml:7)",
    "  approves spark (platform/sales/manifest.yaml:8)",
    "  removes snowflake (approved by enterprise 'acme')",
    "  lists bigquery (platform/sales/manifest.yaml:9), which its parent does not approve: ignored",
    "  default duckdb, inherited from enterprise 'acme' (platform/enterprise/manifest.yaml:6)",
]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "platform/enterprise/manifest.yaml": ENTERPRISE,
            "platform/sales/manifest.yaml": SALES,
            "products/orders/floe.yaml": ORDERS,
        },
    )
    return tmp_path


def test_a_product_is_explained_level_by_level(tree: Path) -> None:
    run = run_cli("explain", "products/orders/floe.yaml")
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == [
        *LEVELS,
        "product 'orders': products/orders/floe.yaml",
        "  platform.ref ../../platform/sales/manifest.yaml (products/orders/floe.yaml:2)",
        "  transform 'models/staging/' at line 4 -> spark, its own compute "
        "(products/orders/floe.yaml:4)",
        "  transform 'models/marts/' at line 5 -> duckdb, default of enterprise 'acme' "
        "(platform/enterprise/manifest.yaml:6)",
        "  transform 'models/legacy/' at line 6 -> snowflake, its own compute "
        "(products/orders/floe.yaml:6): not approved, removed by domain 'sales'",
    ]


def test_a_manifest_is_explained_down_to_itself(tree: Path) -> None:
    run = run_cli("explain", "platform/sales/manifest.yaml")
    assert run.code == 0
    assert run.stdout.splitlines() == LEVELS


def test_a_default_that_the_level_does_not_approve_is_marked(tree: Path) -> None:
    write_files(tree, {"platform/sales/manifest.yaml": SALES + "    default: snowflake\n"})
    run = run_cli("explain", "platform/sales/manifest.yaml")
    assert run.stdout.splitlines()[-1] == (
        "  default snowflake (platform/sales/manifest.yaml:10): not approved at this level"
    )


def test_explain_json_follows_its_schema(tree: Path) -> None:
    run = run_cli("explain", "products/orders/floe.yaml", "--format", "json")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(run.report, SCHEMA)
    report = run.report
    assert report["kind"] == "product"
    assert report["platform_ref"] == {
        "text": "../../platform/sales/manifest.yaml",
        "key": "platform.ref",
        "file": "products/orders/floe.yaml",
        "line": 2,
    }
    assert [level["label"] for level in report["levels"]] == ["enterprise 'acme'", "domain 'sales'"]
    domain = report["levels"][1]
    assert domain["removes"] == [
        {"name": "snowflake", "approved_by": "enterprise 'acme'", "whitelist": False}
    ]
    assert domain["default"] == {
        "name": "duckdb",
        "inherited_from": "enterprise 'acme'",
        "approved": True,
        "file": "platform/enterprise/manifest.yaml",
        "line": 6,
    }
    assert report["transforms"][1] == {
        "transform": "transform 'models/marts/'",
        "file": "products/orders/floe.yaml",
        "line": 5,
        "compute": "duckdb",
        "source": "default",
        "compute_at": {"file": "platform/enterprise/manifest.yaml", "line": 6},
        "default_of": "enterprise 'acme'",
        "approved": True,
        "removed_by": None,
    }


def test_an_unresolved_parent_is_reported_with_exit_1(tree: Path) -> None:
    write_files(tree, {"platform/sales/manifest.yaml": SALES.replace("enterprise/", "gone/")})
    run = run_cli("explain", "products/orders/floe.yaml")
    assert run.code == 1
    assert run.stdout.splitlines()[-1].startswith(
        "platform/sales/manifest.yaml:3: cannot resolve parent_manifest '../gone/manifest.yaml'"
    )


def test_a_file_that_is_not_a_floe_document_is_a_usage_error(tree: Path) -> None:
    write_files(tree, {"other.yaml": "a: 1\n"})
    run = run_cli("explain", "other.yaml")
    assert run.code == 2
    assert run.stderr == (
        "floe-lint: error: other.yaml holds no single Floe document; "
        "run `floe-lint check other.yaml`\n"
    )


# A platform published to a registry, as the cache holds it (floe-lint lock's layout): the
# OCI manifest by its digest, and the layer, i.e. the platform manifest's YAML.
DIGEST = "sha256:5432c40c8130036cd0e441ccb187b3839d34a68b9f7544efd23179690892f4ee"
LAYER = "sha256:f67b52bd229ff4a2530c603329920506eb8211cceb6f3edaece32e4115ef2777"
OCI_MANIFEST = (
    '{"artifactType":"application/vnd.floe.manifest.v1+yaml","config":{"digest":'
    '"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":'
    '"application/vnd.oci.empty.v1+json","size":2},"layers":[{"annotations":'
    '{"org.opencontainers.image.title":"manifest.yaml"},"digest":"' + LAYER + '","mediaType":'
    '"application/vnd.floe.manifest.v1+yaml","size":83}],"mediaType":'
    '"application/vnd.oci.image.manifest.v1+json","schemaVersion":2}'
)
CACHED_PLATFORM = (
    "scope: enterprise\nplugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n"
)


def test_remote_refs_are_explained_offline_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ref = f"oci://registry.example.com/platform@{DIGEST}"
    # cache-dir: the config's folder; explain never connects (registry.example.com is not real)
    (tmp_path / ".floe-lint.yaml").write_text("oci: {cache-dir: .}\n", "utf-8")
    (tmp_path / f"sha256-{DIGEST[7:]}.json").write_text(OCI_MANIFEST + "\n", "utf-8")
    (tmp_path / f"sha256-{LAYER[7:]}.manifest.yaml").write_text(CACHED_PLATFORM, "utf-8")
    for blob in (f"sha256-{DIGEST[7:]}.json", f"sha256-{LAYER[7:]}.manifest.yaml"):
        # the cache answers a digest only for the repositories it was pulled from
        (tmp_path / f"{blob}.repositories").write_text("registry.example.com/platform\n", "utf-8")
    write_files(
        tmp_path,
        {"floe.yaml": f'name: p\nplatform: {{ref: "{ref}"}}\ntransforms: [{{path: m/}}]\n'},
    )
    run = run_cli("explain", "floe.yaml")
    assert run.code == 0, run.stdout + run.stderr
    assert run.stdout.splitlines() == [
        f"enterprise manifest sha256-{LAYER[7:]}.manifest.yaml: {ref}",
        f"  approves duckdb ({ref}:2)",
        f"  approves spark ({ref}:2)",
        f"  default duckdb ({ref}:2)",
        "product 'p': floe.yaml",
        f"  platform.ref {ref} (floe.yaml:2)",
        f"  transform 'm/' at line 3 -> duckdb, default of enterprise manifest "
        f"sha256-{LAYER[7:]}.manifest.yaml ({ref}:2)",
    ]


def test_the_readme_example_is_this_output(tree: Path) -> None:
    write_files(tree, {"platform/sales/manifest.yaml": SALES.replace("      - bigquery\n", "")})
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("### Dependents, impact and explain\n", 1)[1]
    block = section.split("$ floe-lint explain products/orders/floe.yaml\n", 1)[1].split("```")[0]
    assert run_cli("explain", "products/orders/floe.yaml").stdout == block


UPSTREAM = {
    # upstream Floe's code dialect: one selected compute per level, a whitelist at the top
    "enterprise/manifest.json": """
    {
      "apiVersion": "floe.dev/v1",
      "kind": "Manifest",
      "metadata": {"name": "northwind", "version": "2.0.0", "owner": "platform@nw.example"},
      "scope": "enterprise",
      "plugins": {"compute": {"type": "duckdb"}},
      "approved_plugins": {"compute": ["duckdb", "spark"]}
    }
    """,
    "sales/manifest.yaml": """
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@nw.example}
    scope: domain
    parent_manifest: ../enterprise/manifest.json
    plugins:
      compute:
        type: spark
    """,
    "sales/invoices/floe.yaml": """
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: invoices, version: 1.0.0, owner: billing@nw.example}
    platform:
      manifest: ../manifest.yaml
    transforms:
      - name: stg_invoices
      - name: fct_invoices
        compute: duckdb
    """,
}


def test_a_product_in_upstream_floes_dialect_is_explained_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, UPSTREAM)
    run = run_cli("explain", "sales/invoices/floe.yaml")
    assert run.code == 0, run.stdout + run.stderr
    assert run.stdout.splitlines() == [
        "enterprise 'northwind': enterprise/manifest.json",
        "  approves duckdb (enterprise/manifest.json:6)",
        "  allows below duckdb, spark (enterprise/manifest.json:7)",
        "  default duckdb (enterprise/manifest.json:6)",
        "domain 'sales': sales/manifest.yaml",
        "  parent_manifest ../enterprise/manifest.json (sales/manifest.yaml:5)",
        "  approves spark (sales/manifest.yaml:8)",
        "  does not select duckdb (allowed by enterprise 'northwind')",
        "  default spark (sales/manifest.yaml:8)",
        "product 'invoices': sales/invoices/floe.yaml",
        "  platform.manifest ../manifest.yaml (sales/invoices/floe.yaml:5)",
        "  transform 'stg_invoices' at line 7 -> spark, default of domain 'sales' "
        "(sales/manifest.yaml:8)",
        "  transform 'fct_invoices' at line 8 -> duckdb, its own compute "
        "(sales/invoices/floe.yaml:9): not approved: domain 'sales' does not select it",
    ]
    report = run_cli("explain", "sales/invoices/floe.yaml", "--format", "json").report
    jsonschema.validate(report, SCHEMA)
    assert report["levels"][0]["allows"] == {
        "names": ["duckdb", "spark"],
        "file": "enterprise/manifest.json",
        "line": 7,
    }


def test_an_upstream_domain_that_selects_no_compute_keeps_its_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    domain = UPSTREAM["sales/manifest.yaml"].replace(
        "plugins:\n      compute:\n        type: spark\n", ""
    )
    write_files(tmp_path, {**UPSTREAM, "sales/manifest.yaml": domain})
    run = run_cli("explain", "sales/manifest.yaml")
    assert run.code == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[4:] == [
        "domain 'sales': sales/manifest.yaml",
        "  parent_manifest ../enterprise/manifest.json (sales/manifest.yaml:5)",
        "  inherits its computes from enterprise 'northwind'",
        "  default duckdb, inherited from enterprise 'northwind' (enterprise/manifest.json:6)",
    ]
