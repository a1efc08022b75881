"""Jinja in a storage or catalog setting (FL709) cannot be silenced where policy is strict, as
Jinja in a compute's config (FL208) cannot: upstream's compile copies minio's `region` into
every product's dbt profile (`s3_region`), where dbt runs it. A domain below a strict
enterprise wrote `region: "{{ log(env_var('AWS_SECRET_ACCESS_KEY'), info=true) }}"` with
`# floe-lint: disable=FL709` on it: check passed (exit 0, also with the enterprise as the
trusted root), and dbt would print the secret into its log."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli, write_files

JINJA = "{{ log(env_var('AWS_SECRET_ACCESS_KEY'), info=true) }}"
ENTERPRISE = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins:
  compute: {type: duckdb}
  orchestrator: {type: dagster}
  storage: {type: minio, config: {endpoint: 'http://minio:9000', bucket: lake, region: eu}}
governance:
  policy_enforcement_level: LEVEL
"""
DOMAIN = f"""\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {{name: sales, version: 1.0.0, owner: sales@acme.example}}
scope: domain
parent_manifest: ../manifest.yaml
plugins:
  compute: {{type: duckdb}}
  orchestrator: {{type: dagster}}
  storage:
    type: minio
    config:
      endpoint: 'http://minio:9000'
      bucket: lake
      region: "{JINJA}"  # floe-lint: disable=FL709
"""
PRODUCT = """\
apiVersion: floe.dev/v1
kind: FloeSpec
metadata: {name: orders, version: 1.0.0}
platform: {manifest: ../../platform/sales/manifest.yaml}
transforms:
  - {name: stg_orders}
"""
FINDING = (
    "platform/sales/manifest.yaml:14:15: ERROR FL709 [upstream-storage-config] storage plugin "
    "'minio' configuration is invalid: config region: holds Jinja that dbt would run when it "
    "reads profiles.yml; a config value may take Jinja only as {{ env_var('NAME') }} (a default "
    "and | as_number allowed); every product on domain 'sales' fails to compile\n"
)
REFUSED = (
    "platform/sales/manifest.yaml:14:94: ERROR FL902 [suppression-not-allowed] suppression of "
    "'FL709' is not allowed: its platform enforces policy strictly "
    "(governance.policy_enforcement_level: strict); the finding stays (only the config's "
    "exceptions can excuse it)\n"
)


def _tree(root: Path, level: str) -> None:
    write_files(
        root,
        {
            "platform/manifest.yaml": ENTERPRISE.replace("LEVEL", level),
            "platform/sales/manifest.yaml": DOMAIN,
            "products/orders/floe.yaml": PRODUCT,
        },
    )


def test_upstream_writes_the_domain_s_region_into_the_profile_as_is(tmp_path: Path) -> None:
    """The runtime's reading: floe-core takes the domain and minio's binding keeps the Jinja."""
    from floe_core.schemas.manifest import PlatformManifest
    from floe_storage_minio.config import MinIOStorageConfig
    from floe_storage_minio.plugin import MinIOStoragePlugin

    _tree(tmp_path, "strict")
    data = yaml.safe_load((tmp_path / "platform/sales/manifest.yaml").read_text())
    storage = PlatformManifest.model_validate(data).plugins.storage
    assert storage is not None
    binding = MinIOStoragePlugin(MinIOStorageConfig(**storage.config)).get_deployment_binding()
    assert binding.dbt is not None
    assert binding.dbt.profile_fragment["s3_region"] == JINJA


@pytest.mark.parametrize("trusted", [[], ["--trusted-root", "platform/manifest.yaml"]])
def test_a_strict_domain_cannot_silence_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusted: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, "strict")
    run = run_cli("check", ".", "--format", "concise", *trusted)
    assert (run.code, run.stdout) == (1, FINDING + REFUSED)


def test_below_a_platform_that_only_warns_the_comment_still_silences_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not strict: a comment is the domain's to write, as for FL208 (compile still refuses)."""
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, "warn")
    run = run_cli("check", ".", "--format", "concise")
    assert (run.code, run.stdout) == (0, "")
