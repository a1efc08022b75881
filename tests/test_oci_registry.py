"""oci:// refs against a real registry: publish, resolve, cache, offline, lock, tamper, auth."""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from floe_lint.model.refs import parse_oci
from floe_lint.oci.artifact import MEDIA_TYPE
from floe_lint.oci.pull import Fetcher
from floe_lint.oci.settings import Settings
from tests.conftest import ENTERPRISE, REPO, Run, run_cli, write_files
from tests.oci_support import Registry, isolate

# one xdist worker runs this module: the session's registries are built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_oci_registry")

DOMAIN = """
scope: domain
metadata: {name: sales}
parent_manifest: oci://HOST/platform/enterprise:v1
plugins:
  compute:
    approved: [duckdb, spark]
    default: duckdb
"""
PRODUCT = """
name: orders
platform:
  ref: oci://HOST/platform/sales:v2
transforms:
  - {type: dbt, path: models/a/, compute: spark}
  - {type: dbt, path: models/b/, compute: snowflake}
"""


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = Registry(tmp_path_factory.mktemp("registry")).start()
    yield reg
    reg.stop()


@pytest.fixture(scope="session")
def auth_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = Registry(tmp_path_factory.mktemp("auth-registry"), auth=("alice", "pa55-w0rd")).start()
    yield reg
    reg.stop()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(tmp_path, monkeypatch)


def project(root: Path, host: str, repo: str = "platform", *, extra_oci: str = "") -> None:
    """Publishable manifests under pub/, a product under prod/, config allowing plain HTTP."""
    write_files(
        root,
        {
            ".floe-lint.yaml": f"oci:\n  insecure: ['127.0.0.1']\n  tag-ttl: 0\n{extra_oci}",
            "pub/enterprise.manifest.yaml": ENTERPRISE,
            "pub/sales.manifest.yaml": DOMAIN.replace("HOST/platform", f"{host}/{repo}"),
            "prod/floe.yaml": PRODUCT.replace("HOST/platform", f"{host}/{repo}"),
        },
    )


def publish(root: Path, host: str, repo: str = "platform") -> tuple[str, str]:
    one = run_cli("publish", "pub/enterprise.manifest.yaml", f"oci://{host}/{repo}/enterprise:v1")
    two = run_cli("publish", "pub/sales.manifest.yaml", f"oci://{host}/{repo}/sales:v2")
    assert one.code == 0, one.stderr
    assert two.code == 0, two.stderr
    return one.stdout.strip(), two.stdout.strip()


def check(*args: str) -> Run:
    return run_cli("check", "prod", "--format", "json", *args)


def names(run: Run) -> list[str]:
    return sorted(f["name"] for f in run.findings)


def test_publish_prints_the_digest_the_registry_stored(tmp_path: Path, registry: Registry) -> None:
    project(tmp_path, registry.host, "pub-digest")
    enterprise, _ = publish(tmp_path, registry.host, "pub-digest")
    assert enterprise.startswith("sha256:") and len(enterprise) == 71
    assert registry.blob_file(enterprise).is_file()  # the manifest itself, content-addressed
    again = run_cli(
        "publish", "pub/enterprise.manifest.yaml", f"oci://{registry.host}/pub-digest/other:v9"
    )
    assert again.stdout.strip() == enterprise, "publishing is reproducible: same bytes, same digest"


def test_a_three_level_hierarchy_resolves_entirely_from_the_registry(
    tmp_path: Path, registry: Registry
) -> None:
    project(tmp_path, registry.host, "three")
    publish(tmp_path, registry.host, "three")
    run = check()
    assert run.code == 1
    [finding] = run.findings
    assert finding["name"] == "compute-not-approved"
    assert "snowflake" in finding["message"] and "domain 'sales'" in finding["message"]
    assert finding["file"] == "prod/floe.yaml" and finding["line"] == 6


def test_a_digest_ref_resolves_and_never_touches_the_network_twice(
    tmp_path: Path, registry: Registry
) -> None:
    project(tmp_path, registry.host, "bydigest")
    enterprise, _ = publish(tmp_path, registry.host, "bydigest")
    settings = Settings.load({"insecure": ["127.0.0.1"], "cache-dir": "fresh"}, tmp_path, env={})
    ref = parse_oci(f"oci://{registry.host}/bydigest/enterprise@{enterprise}")
    cold = Fetcher(settings)
    assert "scope: enterprise" in cold(ref).read_text()
    assert cold.network_requests == 2  # the manifest, then its layer
    warm = Fetcher(settings)
    assert warm(ref) == cold(ref)
    assert warm.network_requests == 0


def test_the_cache_serves_refs_while_the_registry_is_stopped(tmp_path: Path) -> None:
    reg = Registry(tmp_path / "own-registry").start()
    try:
        project(tmp_path, reg.host)
        publish(tmp_path, reg.host)
        first = check()
    finally:
        reg.stop()
    # the tags were looked up moments ago (tag-ttl 0 forces a new lookup, so allow a long TTL)
    (tmp_path / ".floe-lint.yaml").write_text("oci:\n  insecure: ['127.0.0.1']\n")
    started = time.monotonic()
    second = check()
    assert time.monotonic() - started < 2
    assert names(second) == names(first) == ["compute-not-approved"]


def test_offline_resolves_only_from_the_cache_and_says_how_to_fix_a_miss(
    tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, registry.host, "offline")
    publish(tmp_path, registry.host, "offline")
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path / "empty-cache"))
    miss = check("--offline")
    [finding] = miss.findings
    assert finding["name"] == "unresolved-ref"
    assert f"oci://{registry.host}/offline/sales:v2" in finding["message"]
    assert "offline" in finding["message"] and "floe-lint lock" in finding["message"]
    assert check().findings[0]["name"] == "compute-not-approved"  # online fills the cache
    monkeypatch.setenv("FLOE_LINT_OFFLINE", "1")
    assert names(check()) == ["compute-not-approved"]


def test_lock_records_every_ref_and_check_uses_the_locked_digests(
    tmp_path: Path, registry: Registry
) -> None:
    project(tmp_path, registry.host, "locked")
    enterprise, sales = publish(tmp_path, registry.host, "locked")
    locked = run_cli("lock", "prod")
    assert locked.code == 0, locked.stderr
    lock = json.loads((tmp_path / "prod/floe.lock").read_text())
    assert lock == {
        "version": 1,
        "refs": {
            f"oci://{registry.host}/locked/enterprise:v1": {"digest": enterprise},
            f"oci://{registry.host}/locked/sales:v2": {"digest": sales},
        },
    }
    assert run_cli("lock", "prod", "--check").code == 0
    assert names(check()) == ["compute-not-approved"]

    # the domain team moves the tag: now snowflake is approved
    moved = DOMAIN.replace("HOST/platform", f"{registry.host}/locked").replace(
        "[duckdb, spark]", "[duckdb, spark, {name: snowflake, config: {database: SALES}}]"
    )
    write_files(tmp_path, {"pub/sales.manifest.yaml": moved})
    assert (
        run_cli("publish", "pub/sales.manifest.yaml", f"oci://{registry.host}/locked/sales:v2").code
        == 0
    )
    stale = check()
    assert names(stale) == ["compute-not-approved", "lock-stale"], "the locked content is linted"
    message = next(f["message"] for f in stale.findings if f["name"] == "lock-stale")
    assert "now points to" in message and sales in message
    out_of_date = run_cli("lock", "prod", "--check")
    assert out_of_date.code == 1
    [hint] = re.findall(r"to update it, run: (.+)$", out_of_date.stdout, re.M)
    words = shlex.split(hint)  # the hinted command, run as printed
    assert words[0] == "floe-lint" and run_cli(*words[1:]).code == 0
    assert run_cli("lock", "prod", "--check").code == 0
    assert names(check()) == []


def test_offline_resolves_locked_tags_without_any_cached_tag_lookup(
    tmp_path: Path, registry: Registry
) -> None:
    project(tmp_path, registry.host, "offlinelock")
    publish(tmp_path, registry.host, "offlinelock")
    assert run_cli("lock", "prod").code == 0
    for lookup in (tmp_path / "cache").glob("tag-*.json"):
        lookup.unlink()
    assert names(check("--offline")) == ["compute-not-approved"]


def test_a_registry_gone_down_points_to_the_cached_tag(tmp_path: Path) -> None:
    reg = Registry(tmp_path / "own-registry").start()
    try:
        project(tmp_path, reg.host)
        publish(tmp_path, reg.host)
    finally:
        reg.stop()
    [finding] = check().findings  # tag-ttl 0: the tag must be asked for again
    assert "connection refused" in finding["message"]
    assert "the cache knows this tag" in finding["message"] and "--offline" in finding["message"]
    assert names(check("--offline")) == ["compute-not-approved"]


def test_lock_stale_reports_a_ref_missing_from_the_lock(tmp_path: Path, registry: Registry) -> None:
    project(tmp_path, registry.host, "partial")
    publish(tmp_path, registry.host, "partial")
    assert run_cli("lock", "prod").code == 0
    lock = json.loads((tmp_path / "prod/floe.lock").read_text())
    del lock["refs"][f"oci://{registry.host}/partial/enterprise:v1"]
    (tmp_path / "prod/floe.lock").write_text(json.dumps(lock))
    stale = [f for f in check().findings if f["name"] == "lock-stale"]
    assert len(stale) == 1
    assert "enterprise:v1' has no entry in floe.lock" in stale[0]["message"]


def test_a_tampered_blob_is_a_ref_integrity_error_and_never_linted(
    tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, registry.host, "tamper")
    publish(tmp_path, registry.host, "tamper")
    layer = _layer_digest(registry, "tamper/sales", "v2")
    blob = registry.blob_file(layer)
    blob.write_bytes(blob.read_bytes().replace(b"[duckdb, spark]", b"[duckdb, SPARK]"))
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path / "consumer-cache"))
    run = check()
    [finding] = run.findings
    assert finding["name"] == "ref-integrity"
    assert finding["file"] == "prod/floe.yaml" and finding["line"] == 3
    assert layer in finding["message"] and "tampered" in finding["message"]
    assert not any(b"SPARK" in p.read_bytes() for p in (tmp_path / "consumer-cache").iterdir())


def test_an_artifact_of_another_media_type_is_not_a_floe_manifest(
    tmp_path: Path, registry: Registry
) -> None:
    import oras.provider

    (tmp_path / "notes.txt").write_text("not a manifest\n")
    client = oras.provider.Registry(hostname=registry.host, insecure=True)
    client.push(
        f"{registry.host}/other/notes:v1",
        files=["notes.txt:text/plain"],
        disable_path_validation=True,
    )
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": "oci: {insecure: ['127.0.0.1']}\n",
            "prod/floe.yaml": f"name: x\nplatform: {{ref: 'oci://{registry.host}/other/notes:v1'}}\n"
            "transforms: [{path: models/a/}]\n",
        },
    )
    [finding] = check().findings
    assert finding["name"] == "unresolved-ref"
    assert "not a floe manifest" in finding["message"] and MEDIA_TYPE in finding["message"]
    assert "text/plain" in finding["message"]


def test_an_unknown_tag_is_reported_as_not_found(tmp_path: Path, registry: Registry) -> None:
    project(tmp_path, registry.host, "missing")
    [finding] = check().findings
    assert finding["name"] == "unresolved-ref"
    assert "not found" in finding["message"] and "404" in finding["message"]


def test_publish_refuses_a_manifest_with_errors(tmp_path: Path, registry: Registry) -> None:
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": "oci: {insecure: ['127.0.0.1']}\n",
            "bad.manifest.yaml": "scope: enterprise\nplugins: {compute: {approved: [duckdb], default: spark}}\n",
        },
    )
    run = run_cli("publish", "bad.manifest.yaml", f"oci://{registry.host}/refused/bad:v1")
    assert run.code == 1 and run.stdout == ""
    assert "not published" in run.stderr and "default-not-approved" in run.stderr
    assert _status(f"http://{registry.host}/v2/refused/bad/manifests/v1") == 404


def test_a_mirror_serves_a_registry_host(tmp_path: Path, registry: Registry) -> None:
    project(tmp_path, registry.host, "mirrored")
    publish(tmp_path, registry.host, "mirrored")
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": f"oci:\n  mirrors: {{registry.example.com: 'http://{registry.host}'}}\n",
            "prod/floe.yaml": PRODUCT.replace("HOST/platform", "registry.example.com/mirrored"),
        },
    )
    assert names(check()) == ["compute-not-approved"]


def test_https_to_a_plain_http_registry_says_to_list_it_as_insecure(
    tmp_path: Path, registry: Registry
) -> None:
    project(tmp_path, registry.host, "tls")
    (tmp_path / ".floe-lint.yaml").unlink()
    started = time.monotonic()
    [finding] = check().findings
    assert time.monotonic() - started < 3
    assert "TLS" in finding["message"] and "oci.insecure" in finding["message"]


# --- credentials -------------------------------------------------------------------------------


def _auth_project(tmp_path: Path, reg: Registry, repo: str) -> None:
    project(tmp_path, reg.host, repo)


def _published_with_env(
    tmp_path: Path, reg: Registry, repo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _auth_project(tmp_path, reg, repo)
    monkeypatch.setenv("FLOE_LINT_REGISTRY_USERNAME", "alice")
    monkeypatch.setenv("FLOE_LINT_REGISTRY_PASSWORD", "pa55-w0rd")
    publish(tmp_path, reg.host, repo)
    monkeypatch.delenv("FLOE_LINT_REGISTRY_USERNAME")
    monkeypatch.delenv("FLOE_LINT_REGISTRY_PASSWORD")


def _no_secret_anywhere(tmp_path: Path, *runs: Run) -> None:
    secrets = [b"pa55-w0rd", base64.b64encode(b"alice:pa55-w0rd"), b"wrong-pass"]
    for run in runs:
        for secret in secrets:
            assert secret.decode() not in run.stdout + run.stderr
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            assert not any(s in path.read_bytes() for s in secrets), path
    for path in tmp_path.rglob("floe.lock"):
        assert not any(s in path.read_bytes() for s in secrets)


def test_basic_auth_with_credentials_from_the_environment(
    tmp_path: Path, auth_registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    _published_with_env(tmp_path, auth_registry, "envauth", monkeypatch)
    monkeypatch.setenv("FLOE_LINT_REGISTRY_USERNAME", "alice")
    monkeypatch.setenv("FLOE_LINT_REGISTRY_PASSWORD", "pa55-w0rd")
    run = check()
    assert names(run) == ["compute-not-approved"]
    _no_secret_anywhere(tmp_path, run)


def test_environment_credentials_are_kept_from_hosts_not_listed_for_them(
    tmp_path: Path, auth_registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    _published_with_env(tmp_path, auth_registry, "scoped", monkeypatch)
    monkeypatch.setenv("FLOE_LINT_REGISTRY_USERNAME", "alice")
    monkeypatch.setenv("FLOE_LINT_REGISTRY_PASSWORD", "pa55-w0rd")
    monkeypatch.setenv("FLOE_LINT_REGISTRY_HOSTS", "registry.example.com")
    [finding] = check().findings
    assert "401" in finding["message"]
    monkeypatch.setenv("FLOE_LINT_REGISTRY_HOSTS", f"registry.example.com,{auth_registry.host}")
    assert names(check()) == ["compute-not-approved"]


def test_basic_auth_with_credentials_from_docker_config(
    tmp_path: Path, auth_registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    _published_with_env(tmp_path, auth_registry, "dockerauth", monkeypatch)
    encoded = base64.b64encode(b"alice:pa55-w0rd").decode()
    write_files(
        tmp_path,
        {"docker/config.json": json.dumps({"auths": {auth_registry.host: {"auth": encoded}}})},
    )
    run = check()
    assert names(run) == ["compute-not-approved"]
    _no_secret_anywhere(tmp_path, run)


@pytest.mark.parametrize("key", ["credHelpers", "credsStore"])
def test_basic_auth_through_a_docker_credential_helper(
    tmp_path: Path, auth_registry: Registry, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    _published_with_env(tmp_path, auth_registry, "helperauth", monkeypatch)
    helper = tmp_path / "bin/docker-credential-floetest"
    write_files(
        tmp_path,
        {
            "bin/docker-credential-floetest": "#!/bin/sh\nread host\n"
            'printf \'{"ServerURL":"%s","Username":"alice","Secret":"pa55-w0rd"}\' "$host"\n',
            "docker/config.json": json.dumps(
                {"credHelpers": {auth_registry.host: "floetest"}}
                if key == "credHelpers"
                else {"credsStore": "floetest"}
            ),
        },
    )
    helper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{helper.parent}{os.pathsep}{os.environ['PATH']}")
    run = check()
    assert names(run) == ["compute-not-approved"]
    _no_secret_anywhere(tmp_path, run)


def test_wrong_or_missing_credentials_are_a_clear_error(
    tmp_path: Path, auth_registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    _published_with_env(tmp_path, auth_registry, "wrongauth", monkeypatch)
    missing = check()
    monkeypatch.setenv("FLOE_LINT_REGISTRY_USERNAME", "alice")
    monkeypatch.setenv("FLOE_LINT_REGISTRY_PASSWORD", "wrong-pass")
    wrong = check()
    for run in (missing, wrong):
        [finding] = run.findings
        assert finding["name"] == "unresolved-ref"
        assert "401" in finding["message"] and "docker login" in finding["message"]
    _no_secret_anywhere(tmp_path, missing, wrong)


# --- concurrency -------------------------------------------------------------------------------


def test_concurrent_processes_share_a_cold_cache_safely(tmp_path: Path, registry: Registry) -> None:
    project(tmp_path, registry.host, "concurrent")
    publish(tmp_path, registry.host, "concurrent")
    cache = tmp_path / "shared-cache"
    env = {**os.environ, "FLOE_LINT_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "floe_lint", "check", "prod", "--format", "json"]
    procs = [
        subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    for (out, err), proc in zip(outputs, procs, strict=True):
        assert proc.returncode == 1, err
        assert [f["name"] for f in json.loads(out)["findings"]] == ["compute-not-approved"]
    assert not list(cache.glob(".*.tmp")), "no temp file is left behind"


def _layer_digest(reg: Registry, repository: str, tag: str) -> str:
    import urllib.request

    request = urllib.request.Request(
        f"http://{reg.host}/v2/{repository}/manifests/{tag}",
        headers={"Accept": "application/vnd.oci.image.manifest.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        manifest = json.load(response)
    [layer] = [item for item in manifest["layers"] if item["mediaType"] == MEDIA_TYPE]
    return str(layer["digest"])


def _status(url: str) -> int:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_findings_in_a_pulled_manifest_name_the_ref_not_the_cache_file(
    tmp_path: Path, registry: Registry
) -> None:
    project(tmp_path, registry.host, "named")
    sales = tmp_path / "pub/sales.manifest.yaml"
    sales.write_text(sales.read_text().replace("enterprise:v1", "enterprise:latest"))
    latest = f"oci://{registry.host}/named/enterprise:latest"
    assert run_cli("publish", "pub/enterprise.manifest.yaml", latest).code == 0
    publish(tmp_path, registry.host, "named")
    run = check()
    [unpinned] = [f for f in run.findings if f["name"] == "unpinned-ref"]
    assert unpinned["file"] == f"oci://{registry.host}/named/sales:v2"
    assert (unpinned["line"], unpinned["column"]) == (3, 18)
    text = run_cli("check", "prod", "--select", "unpinned-ref", "--show-source")
    assert text.stdout.startswith(f"oci://{registry.host}/named/sales:v2:3:18: WARNING FL304")
    assert "parent_manifest: oci://" in text.stdout  # the excerpt still comes from the cached file


def test_a_cached_digest_answers_only_a_repository_it_was_pulled_from(
    tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, registry.host, "scoped")
    enterprise, _ = publish(tmp_path, registry.host, "scoped")
    pinned = f"oci://{registry.host}/scoped/enterprise@{enterprise}"
    foreign = f"oci://{registry.host}/x/finance@{enterprise}"
    write_files(
        tmp_path,
        {
            "pulled/floe.yaml": f"name: a\nplatform: {{ref: '{pinned}'}}\n"
            "transforms: [{path: m/}]\n",
            "foreign/floe.yaml": f"name: b\nplatform: {{ref: '{foreign}'}}\n"
            "transforms: [{path: m/}]\n",
        },
    )

    def verdict(folder: str, cache: str) -> tuple[int, list[str]]:
        monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path / cache))
        run = run_cli("check", folder, "--format", "json")
        return run.code, [f"{f['name']}: {f['message']}" for f in run.findings]

    # Only the enterprise repository is pulled into this cache: its ref resolves.
    assert not [f for f in verdict("pulled", "warm")[1] if f.startswith("unresolved-ref")]
    warm = verdict("foreign", "warm")
    clean = verdict("foreign", "clean")
    assert warm == clean, "the verdict must not depend on what the cache holds"
    code, [finding] = warm
    assert code == 1 and finding.startswith("unresolved-ref:") and "HTTP 404" in finding
    # Pushing records the repository too: publish's blobs answer the refs it pushed.
    settings = Settings.load({"cache-dir": "cache"}, tmp_path, env={})
    assert Fetcher(settings).cache.repositories(enterprise, ".json") == {
        f"{registry.host}/scoped/enterprise"
    }
