"""`publish` refuses a manifest that breaks the workspace's dependents, unless `--force`.

Against a real registry: "breaks" compares with what the tag holds now (a first publish: with
nothing, so every error of a dependent counts).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files
from tests.oci_support import Registry, isolate
from tests.test_dependents import TREE, WITHOUT_SNOWFLAKE

# one xdist worker runs this module: its registry is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_publish_dependents")

ENTERPRISE = "platform/enterprise/manifest.yaml"


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = Registry(tmp_path_factory.mktemp("registry")).start()
    yield reg
    reg.stop()


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(tmp_path, monkeypatch)
    write_files(
        tmp_path,
        {**TREE, ".floe-lint.yaml": "oci:\n  insecure: ['127.0.0.1']\n  tag-ttl: 0\n"},
    )
    return tmp_path


def test_a_change_that_breaks_dependents_is_not_published_without_force(
    tree: Path, registry: Registry
) -> None:
    ref = f"oci://{registry.host}/acme/enterprise:v1"
    first = run_cli("publish", ENTERPRISE, ref)
    assert first.code == 0, first.stderr
    write_files(tree, {ENTERPRISE: WITHOUT_SNOWFLAKE})
    refused = run_cli("publish", ENTERPRISE, ref)
    assert refused.code == 1
    assert refused.stdout == ""
    assert refused.stderr.splitlines()[-1] == (
        f"floe-lint: not published: {ENTERPRISE} breaks 2 dependents: "
        "platform/sales/manifest.yaml, products/orders/floe.yaml (2 new errors; "
        "see `floe-lint impact`); --force publishes anyway"
    )
    assert (
        "products/orders/floe.yaml:5:47: FL201 [compute-not-approved] transform 'models/marts/'"
        in refused.stderr
    )
    forced = run_cli("publish", ENTERPRISE, ref, "--force")
    assert forced.code == 0, forced.stderr
    assert forced.stdout.startswith("sha256:")
    assert "breaks 2 dependents" in forced.stderr and "published anyway" in forced.stderr


def test_a_first_publish_counts_every_error_of_a_dependent(tree: Path, registry: Registry) -> None:
    write_files(tree, {ENTERPRISE: WITHOUT_SNOWFLAKE})
    refused = run_cli("publish", ENTERPRISE, f"oci://{registry.host}/acme/fresh:v1")
    assert refused.code == 1
    assert "breaks 2 dependents" in refused.stderr.splitlines()[-1]


def test_a_change_that_breaks_nothing_is_published(tree: Path, registry: Registry) -> None:
    ref = f"oci://{registry.host}/acme/calm:v1"
    assert run_cli("publish", ENTERPRISE, ref).code == 0
    write_files(tree, {ENTERPRISE: TREE[ENTERPRISE].replace("default: duckdb", "default: spark")})
    again = run_cli("publish", ENTERPRISE, ref)
    assert again.code == 0, again.stderr
