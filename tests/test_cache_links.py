"""The result cache follows where refs lead, not only what the files hold: a symbolic link on a
ref's way re-pointed, or a `manifest.yaml` created where a folder ref (or a product with no
platform ref) found `manifest.yml`, changes the answer while no file's content changed. A
replayed run must still print exactly what a cold run prints (floe_lint/lint/links.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.lint import cache
from tests.conftest import check, write_files
from tests.test_cache import cached  # noqa: F401 (a fixture)

MANIFEST = """
scope: enterprise
metadata: {{name: {name}}}
plugins:
  compute:
    approved: {approved}
    default: duckdb
"""
DOMAIN = """
scope: domain
metadata: {name: dom}
parent_manifest: ../current
plugins:
  compute:
    approved: [duckdb, spark]
    default: duckdb
"""
PRODUCT = """
name: {name}
{platform}transforms:
  - {{type: dbt, path: models/a/, compute: spark}}
"""
WIDE, NARROW = "[duckdb, spark]", "[duckdb]"
#: checked by name, so that no walk sees a file appear (that alone re-checks everything)
PRODUCTS = [f"products/{name}/floe.yaml" for name in ("folder", "file", "domain", "beside")]


def _tree(root: Path) -> None:
    write_files(
        root,
        {
            "platform/a/manifest.yml": MANIFEST.format(name="a-yml", approved=WIDE),
            "platform/b/manifest.yml": MANIFEST.format(name="b-yml", approved=NARROW),
            "platform/dom/manifest.yaml": DOMAIN,
            "products/folder/floe.yaml": PRODUCT.format(
                name="folder", platform="platform: {ref: ../../platform/current}\n"
            ),
            "products/file/floe.yaml": PRODUCT.format(
                name="file", platform="platform: {ref: ../../platform/current/manifest.yml}\n"
            ),
            "products/domain/floe.yaml": PRODUCT.format(
                name="domain", platform="platform: {ref: ../../platform/dom/manifest.yaml}\n"
            ),
            "products/beside/floe.yaml": PRODUCT.format(name="beside", platform=""),
            "products/beside/manifest.yml": MANIFEST.format(name="beside-yml", approved=WIDE),
        },
    )
    os.symlink("a", root / "platform" / "current")


def _repoint(root: Path, target: str) -> None:
    link = root / "platform" / "current"
    link.unlink()
    os.symlink(target, link)


def _toggle(path: Path, name: str) -> None:
    if path.exists():
        path.unlink()
    else:
        path.write_text(MANIFEST.format(name=name, approved=NARROW), encoding="utf-8")


def _step(root: Path, step: str) -> None:
    if step in ("a", "b"):
        _repoint(root, step)
    elif step == "folder manifest.yaml":
        _toggle(root / "platform" / "a" / "manifest.yaml", "a-yaml")
    else:
        _toggle(root / "products" / "beside" / "manifest.yaml", "beside-yaml")


def test_a_re_pointed_symbolic_link_is_not_replayed(cached: Path) -> None:  # noqa: F811
    _tree(cached)
    assert check(*PRODUCTS)[0] == 0  # fills the cache: a approves spark
    _repoint(cached, "b")
    code, out, _ = check(*PRODUCTS)
    assert code == 1
    for product, platform in (("folder", "enterprise 'b-yml'"), ("file", "enterprise 'b-yml'")):
        assert (
            f"products/{product}/floe.yaml:4:43: ERROR FL201 [compute-not-approved] transform "
            f"'models/a/' selects compute 'spark', which {platform} does not approve"
        ) in out, (product, out)
    assert "products/domain/floe.yaml:4:43: ERROR FL201" in out  # its domain's parent moved
    assert (
        "platform/dom/manifest.yaml:6:24: ERROR FL202 [approved-not-subset] domain 'dom' approves "
        "'spark', which its parent enterprise 'b-yml' does not approve"
    ) in out
    assert (code, out) == check(*PRODUCTS, "--no-cache")[:2]


def test_a_manifest_yaml_created_beside_manifest_yml_is_not_replayed(
    cached: Path,  # noqa: F811
) -> None:
    _tree(cached)
    assert check(*PRODUCTS)[0] == 0
    _toggle(cached / "products" / "beside" / "manifest.yaml", "beside-yaml")
    code, out, _ = check(*PRODUCTS)
    assert (
        "products/beside/floe.yaml:3:43: ERROR FL201 [compute-not-approved] transform "
        "'models/a/' selects compute 'spark', which enterprise 'beside-yaml' does not approve"
    ) in out, out
    assert (code, out) == check(*PRODUCTS, "--no-cache")[:2]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.sampled_from(["a", "b", "folder manifest.yaml", "beside manifest.yaml"]),
        min_size=1,
        max_size=5,
    )
)
def test_a_replayed_run_follows_the_refs_as_a_cold_run_does(
    cached: Path,  # noqa: F811
    steps: list[str],
) -> None:
    cache.clean(cache.directory())
    for leftover in ("platform", "products"):  # the example before this one's
        shutil.rmtree(cached / leftover, ignore_errors=True)
    _tree(cached)
    check(*PRODUCTS)  # fills the cache
    for step in steps:
        _step(cached, step)
        cold = check(*PRODUCTS, "--no-cache")
        assert check(*PRODUCTS) == cold, step
        assert check(*PRODUCTS) == cold, step


@pytest.mark.parametrize("step", ["b", "folder manifest.yaml", "beside manifest.yaml"])
def test_each_change_of_where_a_ref_leads_changes_the_answer(
    cached: Path,  # noqa: F811
    step: str,
) -> None:
    """The property above only bites if each step really changes what a cold run prints."""
    _tree(cached)
    before = check(*PRODUCTS, "--no-cache")
    _step(cached, step)
    assert check(*PRODUCTS, "--no-cache") != before


def test_a_ref_mapped_by_ref_follows_a_re_pointed_link(cached: Path) -> None:  # noqa: F811
    """`--ref` (and the config's `refs`) map a ref to a path: the run's key holds the path, the
    links note where it leads."""
    _tree(cached)
    write_files(
        cached,
        {
            "products/oci/floe.yaml": PRODUCT.format(
                name="oci", platform="platform: {ref: 'oci://registry.example/floe/p:1.0'}\n"
            )
        },
    )
    args = ["products/oci/floe.yaml", "--ref", "oci://registry.example/floe/p:1.0=platform/current"]
    assert check(*args)[0] == 0
    _repoint(cached, "b")
    code, out, _ = check(*args)
    assert (
        "products/oci/floe.yaml:4:43: ERROR FL201 [compute-not-approved] transform 'models/a/' "
        "selects compute 'spark', which enterprise 'b-yml' does not approve"
    ) in out, out
    assert (code, out) == check(*args, "--no-cache")[:2]


OVERLAY = "transforms:\n  - {path: models/a/, compute: duckdb}\n"
DRIFT = (
    "products/file/floe.prod.yaml:2:32: ERROR FL401 [environment-override] a per-environment "
    "file changes the compute; a transform must run on the same compute in every environment"
)


@pytest.mark.parametrize(
    ("args", "config"),
    [
        (["products/file/floe.yaml"], None),  # named: no walk sees the new file
        (["."], "exclude: ['**/floe.prod.yaml']\n"),  # a walk that excludes it
    ],
)
def test_a_new_per_environment_file_beside_a_product_is_not_replayed_past(
    cached: Path,  # noqa: F811
    args: list[str],
    config: str | None,
) -> None:
    _tree(cached)
    if config is not None:
        (cached / ".floe-lint.yaml").write_text(config, "utf-8")
    assert check(*args)[0] == 0
    (cached / "products" / "file" / "floe.prod.yaml").write_text(OVERLAY, "utf-8")
    code, out, _ = check(*args)
    assert (code, DRIFT in out) == (1, True), out
    assert (code, out) == check(*args, "--no-cache")[:2]
    (cached / "products" / "file" / "floe.prod.yaml").unlink()
    assert check(*args)[:2] == check(*args, "--no-cache")[:2]
