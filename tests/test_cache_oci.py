"""The result cache with `oci://` refs, against a real registry on 127.0.0.1: a file is keyed by
the digest each ref of its hierarchy resolves to in the run, so a moved tag re-checks exactly the
files that reach it, and a replayed run prints what a cold run prints."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from floe_lint.cli import main
from floe_lint.lint import cache
from floe_lint.load import document
from tests.conftest import ENTERPRISE, write_files
from tests.oci_support import Registry, isolate

pytestmark = pytest.mark.xdist_group("test_cache_oci")

DOMAIN = """
scope: domain
metadata: {name: sales}
parent_manifest: oci://HOST/cached/enterprise:v1
plugins:
  compute:
    approved: APPROVED
    default: duckdb
"""
PRODUCT = """
name: NAME
platform:
  ref: REF
transforms:
  - {type: dbt, path: models/a/, compute: spark}
  - {type: dbt, path: models/b/, compute: snowflake}
"""
LOCAL_DOMAIN = """
scope: domain
metadata: {name: local}
parent_manifest: ../enterprise.manifest.yaml
plugins:
  compute:
    approved: [duckdb, spark]
    default: duckdb
"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = Registry(tmp_path_factory.mktemp("cache-registry")).start()
    yield reg
    reg.stop()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, registry: Registry) -> Path:
    """pub/ (what is published), a product on a tag, one on a digest, one on a local domain;
    the result cache on (it shares FLOE_LINT_CACHE_DIR with the OCI cache)."""
    isolate(tmp_path, monkeypatch)
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    # outside the workspace (tmp_path, the config's folder): a result cache inside it is unused
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path.parent / f"{tmp_path.name}-cache"))
    host = registry.host
    domain = DOMAIN.replace("HOST", host)
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": "oci:\n  insecure: ['127.0.0.1']\n  tag-ttl: 0\n",
            "pub/enterprise.manifest.yaml": ENTERPRISE,
            "pub/sales.manifest.yaml": domain.replace("APPROVED", "[duckdb, spark]"),
            "pub/local/manifest.yaml": LOCAL_DOMAIN,
        },
    )
    _publish(host, "enterprise.manifest.yaml", "enterprise:v1")
    pinned = _publish(host, "sales.manifest.yaml", "sales:v2")
    write_files(
        tmp_path,
        {
            "prod/tag/floe.yaml": _product("tag", f"oci://{host}/cached/sales:v2"),
            "prod/local/floe.yaml": _product("local", "../../pub/local/manifest.yaml"),
            "prod/pinned/floe.yaml": _product("pinned", f"oci://{host}/cached/sales@{pinned}"),
        },
    )
    return tmp_path


def _product(name: str, ref: str) -> str:
    return PRODUCT.replace("NAME", name).replace("REF", ref)


def _publish(host: str, name: str, tag: str, *options: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = main(["publish", f"pub/{name}", f"oci://{host}/cached/{tag}", *options], out, err)
    assert code == 0, err.getvalue()
    return out.getvalue().strip()


def _move_sales_tag(host: str) -> None:
    """The domain team approves snowflake and moves `sales:v2` to that manifest."""
    approved = "[duckdb, spark, {name: snowflake, config: {database: SALES}}]"
    write_files(
        Path.cwd(),
        {"pub/sales.manifest.yaml": DOMAIN.replace("HOST", host).replace("APPROVED", approved)},
    )
    _publish(host, "sales.manifest.yaml", "sales:v2", "--force")


def check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "prod", "--format", "json", *args], out, err)
    return code, out.getvalue(), err.getvalue()


def places(run: tuple[int, str, str]) -> list[tuple[str, int, int, str, str]]:
    return sorted(
        (f["file"], f["line"], f["column"], f["name"], f["message"])
        for f in json.loads(run[1])["findings"]
    )


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The workspace files parsed (not replayed) by the runs after it is requested."""
    from floe_lint.lint import parsed as kept

    # a file checked again is parsed: no parse kept by the run that filled the cache
    monkeypatch.setattr(kept, "MAX_FILLED", 0)
    seen: list[str] = []
    load = document.load

    def counting(path: Path, positions: bool = False) -> document.SourceFile:
        if path.resolve().is_relative_to(Path.cwd().resolve() / "prod"):
            seen.append(path.resolve().relative_to(Path.cwd().resolve()).as_posix())
        return load(path, positions)  # (publish's impact notes positions)

    monkeypatch.setattr(document, "load", counting)
    return seen


def test_a_moved_tag_rechecks_exactly_the_files_that_reach_it(
    workspace: Path, registry: Registry, parsed: list[str]
) -> None:
    cold = check("--no-cache")
    assert cold[0] == 1
    snowflake = "selects compute 'snowflake', which domain"
    rejected = [p[:4] for p in places(cold) if snowflake in p[4]]
    assert rejected == [
        ("prod/local/floe.yaml", 6, 43, "compute-not-approved"),
        ("prod/pinned/floe.yaml", 6, 43, "compute-not-approved"),
        ("prod/tag/floe.yaml", 6, 43, "compute-not-approved"),
    ]
    assert check() == cold  # fills the cache
    parsed.clear()
    assert check() == cold

    assert parsed == [], "every product, oci:// refs included, was replayed"

    _move_sales_tag(registry.host)
    moved = check("--no-cache")
    assert [p[0] for p in places(moved) if snowflake in p[4]] == [
        "prod/local/floe.yaml",
        "prod/pinned/floe.yaml",  # pinned to the old digest: still refused
    ]
    parsed.clear()
    assert check() == moved, "the cached answer is the cold one"
    assert parsed == ["prod/tag/floe.yaml"], "only the product on the moved tag"
    parsed.clear()
    assert check() == moved
    assert parsed == []


def test_a_lock_served_tag_is_keyed_by_the_locked_digest_and_where_the_tag_points(
    workspace: Path, registry: Registry, parsed: list[str]
) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["lock", "prod/tag"], out, err) == 0, err.getvalue()
    assert check() == check("--no-cache")
    _move_sales_tag(registry.host)
    cold = check("--no-cache")
    stale = [p for p in places(cold) if p[3] == "lock-stale"]
    assert [p[:3] for p in stale] == [("prod/tag/floe.yaml", 3, 8)]
    assert "now points to" in stale[0][4]
    parsed.clear()
    assert check() == cold, "the locked content, and the lock's staleness"
    assert parsed == ["prod/tag/floe.yaml"]


def test_offline_replays_what_the_cache_and_the_lock_resolve(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    online = check()
    monkeypatch.setenv("FLOE_LINT_OFFLINE", "1")
    cold = check("--no-cache")
    assert places(cold) == places(online)
    assert check() == cold  # another run key (the environment): fills its store
    parsed.clear()
    assert check() == cold
    assert parsed == []
