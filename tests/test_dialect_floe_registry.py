"""Upstream Floe's `platform.manifest` and `parent_manifest` as `oci://` refs against a real
registry: resolved, linted, locked and flagged when unpinned, exactly as ADR-0010's refs are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Run, run_cli, write_files
from tests.oci_support import Registry, isolate

# one xdist worker runs this module: its registry is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_dialect_floe_registry")

ENTERPRISE = """
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
approved_plugins: {compute: [duckdb, snowflake]}
"""
DOMAIN = """
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
scope: domain
parent_manifest: oci://HOST/REPO/enterprise:v1
plugins:
  compute: {type: snowflake, config: {account: acme, warehouse: WH, database: SALES}}
  orchestrator: {type: dagster}  # restated: upstream's compile loads no parent (FL706)
"""
PRODUCT = """
apiVersion: floe.dev/v1
kind: FloeSpec
metadata: {name: orders, version: 1.0.0}
platform:
  manifest: oci://HOST/REPO/sales:v2
transforms:
  - {name: stg_orders}
  - {name: fct_orders, compute: duckdb}
"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = Registry(tmp_path_factory.mktemp("registry")).start()
    yield reg
    reg.stop()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(tmp_path, monkeypatch)


def published(root: Path, host: str, repo: str) -> tuple[str, str]:
    def fill(text: str) -> str:
        return text.replace("HOST", host).replace("REPO", repo)

    write_files(
        root,
        {
            ".floe-lint.yaml": "oci:\n  insecure: ['127.0.0.1']\n  tag-ttl: 0\n",
            "pub/enterprise.yaml": ENTERPRISE,
            "pub/sales.yaml": fill(DOMAIN),
            "prod/floe.yaml": fill(PRODUCT),
        },
    )
    one = run_cli("publish", "pub/enterprise.yaml", f"oci://{host}/{repo}/enterprise:v1")
    two = run_cli("publish", "pub/sales.yaml", f"oci://{host}/{repo}/sales:v2")
    assert one.code == 0 and two.code == 0, one.stderr + two.stderr
    return one.stdout.strip(), two.stdout.strip()


def places(run: Run) -> list[tuple[str, str, int, int]]:
    return sorted((f["name"], f["file"], f["line"], f["column"]) for f in run.findings)


def test_an_upstream_hierarchy_resolves_from_the_registry_and_is_locked(
    tmp_path: Path, registry: Registry
) -> None:
    enterprise, sales = published(tmp_path, registry.host, "upstream")
    run = run_cli("check", "prod", "--format", "json")
    assert places(run) == [("compute-not-approved", "prod/floe.yaml", 8, 33)]
    assert "domain 'sales'" in run.named("compute-not-approved")[0]["message"]

    assert run_cli("lock", "prod").code == 0
    lock = json.loads((tmp_path / "prod/floe.lock").read_text())
    assert lock["refs"] == {
        f"oci://{registry.host}/upstream/enterprise:v1": {"digest": enterprise},
        f"oci://{registry.host}/upstream/sales:v2": {"digest": sales},
    }
    assert run_cli("lock", "prod", "--check").code == 0


def test_a_moving_tag_in_platform_manifest_is_unpinned_ref(
    tmp_path: Path, registry: Registry
) -> None:
    published(tmp_path, registry.host, "moving")
    run_cli("publish", "pub/sales.yaml", f"oci://{registry.host}/moving/sales:latest")
    spec = tmp_path / "prod/floe.yaml"
    spec.write_text(spec.read_text().replace("sales:v2", "sales:latest"))
    run = run_cli("check", "prod", "--format", "json")
    assert ("unpinned-ref", "prod/floe.yaml", 5, 13) in places(run)


def test_check_manifest_pulls_an_oci_platform_for_a_product_without_one(
    tmp_path: Path, registry: Registry
) -> None:
    published(tmp_path, registry.host, "flag")
    spec = tmp_path / "prod/floe.yaml"
    spec.write_text(
        spec.read_text().replace(
            f"platform:\n  manifest: oci://{registry.host}/flag/sales:v2\n", ""
        )
    )
    run = run_cli(
        "check", "prod", "--manifest", f"oci://{registry.host}/flag/sales:v2", "--format", "json"
    )
    assert places(run) == [("compute-not-approved", "prod/floe.yaml", 6, 33)]
