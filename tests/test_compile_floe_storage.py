"""`floe-lint compile` merges the storage and catalog settings upstream's compile merges into a
dbt profile (floe_lint/compute/floe_storage.py): the published plugins' `minio`, `aws-s3` and
`polaris` translations, credentials only as `{{ env_var() }}`.

The expected profiles below are what the published `floe platform compile` wrote with
floe-storage-minio, floe-storage-aws-s3, floe-catalog-polaris and floe-catalog-glue 0.1.0a1
installed; `test_the_profile_is_what_floe_platform_compile_writes` compares with the published
compile itself. scripts/test installs those packages (scripts/oracle-plugins.txt).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from floe_core.schemas.compiled_artifacts import CompiledArtifacts

from tests.conftest import run_cli
from tests.test_compile_floe_contract import (
    DEV,
    FLOE,
    MANIFEST,
    PRODUCT,
    compile_both,
    substance,
)

STORAGE = "  storage: {type: minio, config: {endpoint: 'http://minio:9000', bucket: lake}}\n"
POLARIS = """\
  catalog:
    type: polaris
    config:
      uri: http://polaris:8181/api/catalog
      warehouse: lakehouse
      oauth2:
        client_id: floe
        client_secret: "{{ env_var('POLARIS_CLIENT_SECRET') }}"
        token_url: http://polaris:8181/api/catalog/v1/oauth/tokens
"""
AWS_S3 = (
    "  storage:\n    type: aws-s3\n    config: {bucket: lake, region: eu-west-1, "
    "credential_mode: environment, endpoint_override: 'http://localstack:4566'}\n"
)


def platform(*selections: str) -> str:
    anchor = "  orchestrator: {type: dagster}\n"
    return MANIFEST.replace(anchor, anchor + "".join(selections))


MINIO_DEV = {
    **DEV,
    "s3_endpoint": "http://minio:9000",
    "s3_region": "us-east-1",
    "s3_path_style_access": True,
    "s3_access_key_id": "{{ env_var('AWS_ACCESS_KEY_ID') }}",
    "s3_secret_access_key": "{{ env_var('AWS_SECRET_ACCESS_KEY') }}",
}
POLARIS_DEV = {
    **MINIO_DEV,
    "extensions": ["parquet", "httpfs", "iceberg"],
    "secrets": [
        {
            "type": "iceberg",
            "name": "polaris",
            "client_id": "{{ env_var('POLARIS_CLIENT_ID') }}",
            "client_secret": "{{ env_var('POLARIS_CLIENT_SECRET') }}",
            "oauth2_server_uri": "{{ env_var('POLARIS_OAUTH2_SERVER_URI') }}",
            "oauth2_scope": "{{ env_var('POLARIS_SCOPE', 'PRINCIPAL_ROLE:ALL') }}",
        }
    ],
    "attach": [
        {
            "path": "lakehouse",
            "alias": "iceberg",
            "type": "iceberg",
            "options": {"endpoint": "http://polaris:8181/api/catalog", "secret": "polaris"},
        }
    ],
}
AWS_S3_DEV = {
    **DEV,
    "s3_region": "eu-west-1",
    "s3_path_style_access": False,
    "s3_endpoint": "http://localstack:4566",
    "s3_access_key_id": "{{ env_var('AWS_ACCESS_KEY_ID') }}",
    "s3_secret_access_key": "{{ env_var('AWS_SECRET_ACCESS_KEY') }}",
}
CASES = [
    pytest.param(platform(STORAGE), MINIO_DEV, id="minio"),
    pytest.param(platform(STORAGE, POLARIS), POLARIS_DEV, id="minio+polaris"),
    pytest.param(
        platform(STORAGE.replace("bucket: lake", "bucket: lake, path_style_access: 'no'")),
        {**MINIO_DEV, "s3_path_style_access": False},
        id="minio-lax-bool",
    ),
    pytest.param(platform(AWS_S3), AWS_S3_DEV, id="aws-s3"),
]


def ours(tmp_path: Path, manifest: str) -> tuple[Any, Path]:
    (tmp_path / "daily-orders").mkdir(parents=True)
    (tmp_path / "manifest.yaml").write_text(manifest)
    (tmp_path / "daily-orders/floe.yaml").write_text(PRODUCT)
    run = run_cli("compile", str(tmp_path / "daily-orders/floe.yaml"), "--out", str(tmp_path / "o"))
    assert run.code == 0, run.stdout + run.stderr
    return json.loads((tmp_path / "o/compiled_artifacts.json").read_text()), tmp_path / "o"


@pytest.mark.parametrize(("manifest", "dev"), CASES)
def test_the_profile_merges_storage_and_catalog_settings(
    tmp_path: Path, manifest: str, dev: dict[str, Any]
) -> None:
    artifacts, out = ours(tmp_path, manifest)
    expected = {"daily-orders": {"target": "dev", "outputs": {"dev": dev}}}
    assert artifacts["dbt_profiles"] == expected
    assert yaml.safe_load((out / "profiles.yml").read_text()) == expected


@pytest.mark.parametrize(("manifest", "dev"), CASES)
def test_the_artifacts_are_what_floe_platform_compile_writes(
    tmp_path: Path, manifest: str, dev: dict[str, Any]
) -> None:
    """The whole artifacts, `deployment` (the storage and catalog bindings) included."""
    mine, upstream = compile_both(tmp_path, manifest, PRODUCT)
    theirs = json.loads(upstream.read_text())
    assert (
        mine["dbt_profiles"]
        == theirs["dbt_profiles"]
        == {"daily-orders": {"target": "dev", "outputs": {"dev": dev}}}
    )
    assert mine["deployment"] is not None
    assert substance(mine) == substance(theirs)
    model = CompiledArtifacts.model_validate(mine)
    assert model.model_dump(mode="json", by_alias=True)["deployment"] == mine["deployment"]


def test_a_literal_credential_in_their_config_refuses_the_compile(tmp_path: Path) -> None:
    """The profile takes credentials from env_var() only; the plugins' config is copied into
    the artifacts, so check's secret-literal (FL501) refuses a literal one before anything is
    written."""
    (tmp_path / "daily-orders").mkdir()
    (tmp_path / "manifest.yaml").write_text(
        platform(
            STORAGE.replace("bucket: lake", "bucket: lake, secret_access_key: s3cr3t-minio"),
            POLARIS.replace("\"{{ env_var('POLARIS_CLIENT_SECRET') }}\"", "s3cr3t-polaris"),
        )
    )
    (tmp_path / "daily-orders/floe.yaml").write_text(PRODUCT)
    run = run_cli("compile", str(tmp_path / "daily-orders/floe.yaml"), "--out", str(tmp_path / "o"))
    assert run.code == 1
    found = [
        line.split("manifest.yaml:", 1)[1] for line in run.stdout.splitlines() if "FL501" in line
    ]
    assert found == [
        "14:99: ERROR FL501 [secret-literal] 'secret_access_key' holds a literal credential; "
        "use \"{{ env_var('SECRET_ACCESS_KEY') }}\" or the compute's connection_secret_ref",
        "22:24: ERROR FL501 [secret-literal] 'client_secret' holds a literal credential; "
        "use \"{{ env_var('CLIENT_SECRET') }}\" or the compute's connection_secret_ref",
    ]
    assert not (tmp_path / "o").exists()
    assert "s3cr3t" not in run.stdout + run.stderr


REFUSED = pytest.mark.parametrize(
    ("selections", "message"),
    [
        (
            ("  storage: {type: minio, config: {endpoint: 'http://minio:9000'}}\n",),
            "manifest.yaml:14:34: storage plugin 'minio' configuration is invalid: "
            "config bucket: is required",
        ),
        (
            ("  storage: {type: minio, config: {endpoint: minio, bucket: lake}}\n",),
            "manifest.yaml:14:45: storage plugin 'minio' configuration is invalid: "
            "config endpoint: must start with http:// or https://",
        ),
        (
            (STORAGE, "  catalog: {type: polaris, config: {uri: 'http://polaris:8181'}}\n"),
            "manifest.yaml:15:36: catalog plugin 'polaris' configuration is invalid: "
            "config warehouse: is required",
        ),
        (
            (STORAGE, "  catalog: {type: nessie, config: {uri: 'http://nessie:19120'}}\n"),
            "manifest.yaml:15:19: floe-lint does not translate catalog 'nessie' into the dbt "
            "profile (it does polaris); upstream's compile needs that catalog's plugin package",
        ),
        (
            (AWS_S3, POLARIS),
            "manifest.yaml:18:11: floe-lint composes catalog 'polaris' with storage 'minio' "
            "only, not 'aws-s3' (upstream's compile checks that composition with its plugin "
            "packages)",
        ),
    ],
    ids=["minio-no-bucket", "minio-endpoint", "polaris-no-warehouse", "unknown-catalog", "aws"],
)


@REFUSED
def test_a_config_the_plugin_refuses_is_reported_by_check_and_refused_by_compile(
    tmp_path: Path, selections: tuple[str, ...], message: str
) -> None:
    (tmp_path / "daily-orders").mkdir()
    (tmp_path / "manifest.yaml").write_text(platform(*selections))
    (tmp_path / "daily-orders/floe.yaml").write_text(PRODUCT)
    run = run_cli("compile", str(tmp_path / "daily-orders/floe.yaml"), "--out", str(tmp_path / "o"))
    assert run.code == 1
    place, why = message.split(": ", 1)
    found = [line.split("/manifest.yaml:")[-1] for line in run.stdout.splitlines()]
    assert found == [
        f"{place.removeprefix('manifest.yaml:')}: ERROR FL709 [upstream-storage-config] {why}; "
        "every product on platform 'northwind-platform' fails to compile"
    ], run.stdout
    assert "compile refused: 1 error" in run.stderr
    assert not (tmp_path / "o").exists()


def test_a_storage_floe_lint_does_not_translate_leaves_the_computes_profile(
    tmp_path: Path,
) -> None:
    """Upstream's compile refuses a storage type no installed package registers (README)."""
    artifacts, _ = ours(tmp_path, platform("  storage: {type: gcs, config: {bucket: lake}}\n"))
    assert artifacts["dbt_profiles"]["daily-orders"]["outputs"]["dev"] == DEV
    assert artifacts["deployment"] is None


@REFUSED
def test_floe_platform_compile_refuses_them_too(
    tmp_path: Path, selections: tuple[str, ...], message: str
) -> None:
    (tmp_path / "daily-orders").mkdir()
    (tmp_path / "manifest.yaml").write_text(platform(*selections))
    (tmp_path / "daily-orders/floe.yaml").write_text(PRODUCT)
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
            str(tmp_path / "up.json"),
            "--no-lineage-emission",
        ],
        cwd=tmp_path / "daily-orders",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0, message
    assert not (tmp_path / "up.json").exists()
