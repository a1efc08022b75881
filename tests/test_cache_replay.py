"""The result cache replays exactly what a run without it prints, in the cases a mutation
run (issue 20) found unguarded: an overlay is checked with its base every time, and a
platform reached by several products outside the checked folder is replayed once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from floe_lint.cli import main
from floe_lint.lint import cache
from tests.conftest import write_files


def check(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", *args], stdout=out, stderr=err)
    return code, out.getvalue()


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    workspace = tmp_path / "ws"
    workspace.mkdir()
    monkeypatch.chdir(workspace)
    return workspace


OVERRIDE = (
    "manifest.prod.yaml:1:30: ERROR FL401 [environment-override] a per-environment file "
    "changes the default compute; a transform must run on the same compute in every "
    "environment (ADR-0010)\n"
)


def test_an_overlay_is_judged_again_when_only_its_base_changed(cached: Path) -> None:
    write_files(
        cached,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
            "manifest.prod.yaml": "plugins: {compute: {default: spark}}\n",
        },
    )
    assert check(".") == (1, OVERRIDE)
    assert check(".") == (1, OVERRIDE)  # replayed
    (cached / "manifest.yaml").write_text(
        "plugins: {compute: {approved: [duckdb, spark], default: spark}}\n", "utf-8"
    )
    assert check(".", "--no-cache") == (0, "")  # the overlay restates the default now
    assert check(".") == (0, "")


PRODUCT = (
    "name: {name}\nplatform: {{ref: ../../platform/manifest.yaml}}\n"
    "transforms: [{{type: dbt, path: models/a/, compute: spark}}]\n"
)


def test_a_platform_outside_the_checked_folder_is_replayed_once_for_all_its_products(
    cached: Path,
) -> None:
    write_files(
        cached,
        {
            "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "products/a/floe.yaml": PRODUCT.format(name="a"),
            "products/b/floe.yaml": PRODUCT.format(name="b"),
        },
    )
    cold = check("products", "--no-cache")
    assert cold[0] == 1 and len(cold[1].splitlines()) == 2, cold
    assert [line.split(" ")[0] for line in cold[1].splitlines()] == [
        "products/a/floe.yaml:3:52:",
        "products/b/floe.yaml:3:52:",
    ]
    assert check("products") == cold  # fills the cache
    assert check("products") == cold  # replays both products and their platform once
    json_cold = check("products", "--no-cache", "--format", "json")
    assert check("products", "--format", "json") == json_cold
