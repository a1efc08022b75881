"""The root of trust: `--trusted-root` / `trusted-roots`, the untrusted-root rule, and explain.

The attack: a pull request adds its own permissive "enterprise" manifest and points its
product (or a domain) at it. With trusted roots, every chain must end at one of them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REPO, run_cli, write_files
from tests.oci_support import Registry, isolate

# one xdist worker runs this module: its registry is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_trusted_root")

ENTERPRISE = """
scope: enterprise
metadata: {name: acme}
plugins: {compute: {approved: [duckdb], default: duckdb}}
"""
EVIL = """
scope: enterprise
metadata: {name: anything-goes}
plugins: {compute: {approved: [duckdb, snowflake], default: snowflake}}
"""
SALES = """
scope: domain
metadata: {name: sales}
parent_manifest: ../enterprise/manifest.yaml
plugins: {compute: {approved: [duckdb], default: duckdb}}
"""
ORDERS = """
name: orders
platform: {ref: ../../platform/sales/manifest.yaml}
transforms: [{type: dbt, path: models/a/, compute: duckdb}]
"""
SCHEMA = json.loads((REPO / "schemas/explain.json").read_text("utf-8"))
TRUSTED = "--trusted-root=platform/enterprise/manifest.yaml"
ENDS_AT_EVIL = (
    "leaves the trusted tree: this hierarchy ends at enterprise 'anything-goes' "
    "(evil/manifest.yaml), which is not a trusted root (trusted: platform/enterprise/manifest.yaml)"
)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(tmp_path, monkeypatch)


def tree(root: Path, **extra: str) -> None:
    files = {
        "platform/enterprise/manifest.yaml": ENTERPRISE,
        "platform/sales/manifest.yaml": SALES,
        "products/orders/floe.yaml": ORDERS,
    }
    files.update(
        {name.replace("__", "/").replace("_yaml", ".yaml"): t for name, t in extra.items()}
    )
    write_files(root, files)


def untrusted(*args: str) -> list[tuple[str, int, int, str]]:
    run = run_cli("check", ".", "--format", "json", *args)
    return [(f["file"], f["line"], f["column"], f["message"]) for f in run.named("untrusted-root")]


def test_a_chain_ending_at_the_trusted_root_passes(tmp_path: Path) -> None:
    tree(tmp_path)
    run = run_cli("check", ".", TRUSTED)
    assert run.code == 0, run.stdout + run.stderr


def test_a_product_pointing_at_its_own_enterprise_is_reported_at_its_ref(tmp_path: Path) -> None:
    tree(tmp_path, evil__manifest_yaml=EVIL)
    (tmp_path / "products/orders/floe.yaml").write_text(
        "name: orders\nplatform: {ref: ../../evil/manifest.yaml}\n"
        "transforms: [{type: dbt, path: models/a/, compute: snowflake}]\n"
    )
    assert untrusted(TRUSTED) == [
        (
            "products/orders/floe.yaml",
            2,
            17,
            f"platform.ref '../../evil/manifest.yaml' {ENDS_AT_EVIL}",
        )
    ]
    assert run_cli("check", ".").code == 0, "without a trusted root, the attack passes"


def test_a_domain_given_another_parent_is_reported_once_at_that_ref(tmp_path: Path) -> None:
    tree(tmp_path, evil__manifest_yaml=EVIL)
    sales = tmp_path / "platform/sales/manifest.yaml"
    sales.write_text(
        SALES.lstrip().replace("../enterprise/manifest.yaml", "../../evil/manifest.yaml")
    )
    # the product below the domain is broken by the same ref, reported there once
    assert untrusted(TRUSTED) == [
        (
            "platform/sales/manifest.yaml",
            3,
            18,
            f"parent_manifest '../../evil/manifest.yaml' {ENDS_AT_EVIL}",
        )
    ]
    run = run_cli("check", "products/orders/floe.yaml", TRUSTED, "--no-dependents")
    assert run.code == 1
    assert "platform/sales/manifest.yaml:3:18: ERROR FL310 [untrusted-root]" in run.stdout


def test_a_symlink_to_the_trusted_root_is_the_trusted_root(tmp_path: Path) -> None:
    tree(tmp_path)
    os.symlink("platform/enterprise/manifest.yaml", tmp_path / "root.yaml")
    assert untrusted("--trusted-root=root.yaml") == []


def test_a_copy_of_the_trusted_root_is_not_it(tmp_path: Path) -> None:
    tree(tmp_path, copy__manifest_yaml=ENTERPRISE)
    sales = tmp_path / "platform/sales/manifest.yaml"
    sales.write_text(
        SALES.lstrip().replace("../enterprise/manifest.yaml", "../../copy/manifest.yaml")
    )
    [(path, line, _, message)] = untrusted(TRUSTED)
    assert (path, line) == ("platform/sales/manifest.yaml", 3)
    assert "ends at enterprise 'acme' (copy/manifest.yaml), which is not a trusted root" in message


def test_the_config_names_trusted_roots_and_the_command_line_replaces_them(
    tmp_path: Path,
) -> None:
    tree(tmp_path, evil__manifest_yaml=EVIL)
    write_files(tmp_path, {"ci/lint.yaml": "trusted-roots: [../evil/manifest.yaml]\n"})
    assert untrusted("--config=ci/lint.yaml") == [
        (
            "platform/sales/manifest.yaml",
            3,
            18,
            "parent_manifest '../enterprise/manifest.yaml' leaves the trusted tree: this "
            "hierarchy ends at enterprise 'acme' (platform/enterprise/manifest.yaml), which is "
            "not a trusted root (trusted: evil/manifest.yaml)",
        )
    ]
    assert untrusted("--config=ci/lint.yaml", TRUSTED) == []


def test_a_product_without_a_platform_cannot_be_trusted(tmp_path: Path) -> None:
    tree(tmp_path)
    write_files(
        tmp_path,
        {
            "loose/floe.yaml": """
                apiVersion: floe.dev/v1
                kind: FloeSpec
                metadata: {name: loose, version: 1.0.0}
                transforms: [{name: stg, compute: snowflake}]
            """
        },
    )
    [(path, line, col, message)] = untrusted(TRUSTED)
    assert (path, line, col) == ("loose/floe.yaml", 1, 1)
    assert message.startswith("this product names no platform (platform.manifest), so its")


def test_a_suppression_cannot_silence_it(tmp_path: Path) -> None:
    tree(tmp_path, evil__manifest_yaml=EVIL)
    (tmp_path / "products/orders/floe.yaml").write_text(
        "name: orders\n"
        "platform: {ref: ../../evil/manifest.yaml}  # floe-lint: disable=untrusted-root -- ok\n"
        "transforms: [{type: dbt, path: models/a/, compute: duckdb}]\n"
    )
    write_files(tmp_path, {".floe-lint.yaml": "ignore: [FL3]\n"})  # the repository's own config
    run = run_cli("check", ".", "--format", "json", TRUSTED)
    assert run.code == 1
    assert [(f["file"], f["line"]) for f in run.named("untrusted-root")] == [
        ("products/orders/floe.yaml", 2)
    ]
    [refused] = run.named("suppression-not-allowed")
    assert (refused["line"], refused["column"]) == (2, 65)
    assert refused["message"] == (
        "suppression of 'untrusted-root' is not allowed: 'untrusted-root' is a root-of-trust "
        "check and can never be silenced; the finding stays (only the config's exceptions can "
        "excuse it)"
    )


def test_a_trusted_root_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    tree(tmp_path)
    run = run_cli("check", ".", "--trusted-root=platform/nope.yaml")
    assert run.code == 2
    assert "trusted root 'platform/nope.yaml' cannot be resolved: " in run.stderr


def test_explain_says_whether_the_chain_is_trusted(tmp_path: Path) -> None:
    tree(tmp_path, evil__manifest_yaml=EVIL)
    run = run_cli("explain", "products/orders/floe.yaml", TRUSTED)
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines()[-1] == (
        "trusted: yes, the hierarchy ends at trusted root platform/enterprise/manifest.yaml"
    )
    run = run_cli("explain", "products/orders/floe.yaml", "--trusted-root=evil/manifest.yaml")
    assert run.code == 1
    assert run.stdout.splitlines()[-1] == (
        "trusted: NO, the hierarchy ends at enterprise 'acme' (platform/enterprise/manifest.yaml), "
        "which is not a trusted root (trusted: evil/manifest.yaml)"
    )
    report = json.loads(
        run_cli("explain", "products/orders/floe.yaml", TRUSTED, "--format", "json").stdout
    )
    assert report["trust"] == {
        "trusted": True,
        "ends_at": "platform/enterprise/manifest.yaml",
        "root": "platform/enterprise/manifest.yaml",
        "trusted_roots": ["platform/enterprise/manifest.yaml"],
    }
    untrusted_report = json.loads(
        run_cli(
            "explain",
            "products/orders/floe.yaml",
            "--trusted-root=evil/manifest.yaml",
            "--format",
            "json",
        ).stdout
    )
    assert untrusted_report["trust"]["trusted"] is False
    assert untrusted_report["trust"]["reason"].startswith("the hierarchy ends at enterprise 'acme'")
    plain = json.loads(run_cli("explain", "products/orders/floe.yaml", "--format", "json").stdout)
    assert plain["trust"] is None
    for each in (report, untrusted_report, plain):
        jsonschema.validate(each, SCHEMA)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = Registry(tmp_path_factory.mktemp("trust-registry")).start()
    yield reg
    reg.stop()


def test_an_oci_root_pinned_by_digest_trusts_what_resolves_to_that_digest(
    tmp_path: Path, registry: Registry
) -> None:
    host = registry.host
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": "oci:\n  insecure: ['127.0.0.1']\n  tag-ttl: 0\n",
            "pub/enterprise.yaml": ENTERPRISE,
            "pub/evil.yaml": EVIL,
            "products/orders/floe.yaml": f"""
                name: orders
                platform: {{ref: 'oci://{host}/trust/enterprise:v1'}}
                transforms: [{{type: dbt, path: models/a/, compute: duckdb}}]
            """,
            "products/rogue/floe.yaml": f"""
                name: rogue
                platform: {{ref: 'oci://{host}/trust/evil:v1'}}
                transforms: [{{type: dbt, path: models/a/, compute: snowflake}}]
            """,
        },
    )
    published = run_cli("publish", "pub/enterprise.yaml", f"oci://{host}/trust/enterprise:v1")
    assert published.code == 0, published.stderr
    digest = published.stdout.strip()
    assert run_cli("publish", "pub/evil.yaml", f"oci://{host}/trust/evil:v1").code == 0
    root = f"--trusted-root=oci://{host}/trust/enterprise@{digest}"
    run = run_cli("check", "products", "--format", "json", root)
    assert [(f["file"], f["line"], f["column"]) for f in run.named("untrusted-root")] == [
        ("products/rogue/floe.yaml", 2, 17)
    ]
    [finding] = run.named("untrusted-root")
    assert finding["message"] == (
        f"platform.ref 'oci://{host}/trust/evil:v1' leaves the trusted tree: this hierarchy "
        f"ends at enterprise 'anything-goes' (oci://{host}/trust/evil:v1), which is not a "
        f"trusted root (trusted: oci://{host}/trust/enterprise@{digest})"
    )
    # the tag moves to other content: the digest no longer matches, the chain is untrusted
    write_files(tmp_path, {"pub/enterprise.yaml": ENTERPRISE + "# changed\n"})
    assert run_cli("publish", "pub/enterprise.yaml", f"oci://{host}/trust/enterprise:v1").code == 0
    moved = run_cli("check", "products/orders", "--format", "json", root)
    assert [(f["file"], f["line"]) for f in moved.named("untrusted-root")] == [
        ("products/orders/floe.yaml", 2)
    ]


def test_a_trusted_root_that_is_not_a_manifest_is_a_usage_error(tmp_path: Path) -> None:
    tree(tmp_path)
    run = run_cli("check", ".", "--trusted-root=products/orders/floe.yaml")
    assert run.code == 2
    assert (
        "trusted root 'products/orders/floe.yaml' is not a Floe manifest (no document in it is "
        "one); name the enterprise manifest.yaml"
    ) in run.stderr
