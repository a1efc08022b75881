"""The result cache and the trusted roots: a root's manifest is resolved lazily (by the first
verdict a rule asks for), so a run that replays every file never resolved it, and a root that
no longer resolves (a corrupted or deleted OCI cache copy, a root edited into a file that holds
no manifest, a root re-pointed by a symbolic link) replayed a pass, or findings, where a cold run
stops with exit 2 or reports other findings. The store's key holds what the roots resolve to
(floe_lint.lint.run_key), so a replayed run prints exactly what a cold run prints."""

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

EXAMPLE_OCI = Path(__file__).resolve().parent.parent / "examples" / "broken" / "oci-cache"
ROOT_DIGEST = "a0715119799b072896bbe862671d2fbc240e91d20fe9a577763fadab0f26577f"
LAYER = "sha256-2cc23a10e0ce2e320f0dbc5709742d205bebb3ebdd7fe7eabad5423a5961ace9.manifest.yaml"
OCI_ROOT = f"oci://registry.example.com/floe/platform@sha256:{ROOT_DIGEST}"
CONFIG = f"""
oci: {{offline: true, cache-dir: oci-cache}}
exclude: ["oci-cache/**"]
trusted-roots:
  - platform/trusted/manifest.yaml
  - platform/spare/manifest.yaml
  - {OCI_ROOT}
"""
MANIFEST = """scope: enterprise
metadata: {{name: {name}}}
plugins:
  compute:
    approved: [duckdb, spark]
    default: duckdb
"""
PRODUCT = """name: {name}
platform: {{ref: {ref}}}
transforms:
  - {{type: dbt, path: models/a/, compute: duckdb}}
"""
UNTRUSTED = (
    "products/local/floe.yaml:2:17: ERROR FL310 [untrusted-root] platform.ref "
    "'../../platform/a/manifest.yaml' leaves the trusted tree: this hierarchy ends at "
    "enterprise 'a' (platform/a/manifest.yaml), which is not a trusted root (trusted: "
    f"platform/b/manifest.yaml, platform/spare/manifest.yaml, {OCI_ROOT})\n"
)
CORRUPTED = (
    f"floe-lint: error: trusted root '{OCI_ROOT}' cannot be resolved: the cached copy of "
    "sha256:2cc23a10e0ce2e320f0dbc5709742d205bebb3ebdd7fe7eabad5423a5961ace9 is corrupted"
)
NOT_A_MANIFEST = (
    "floe-lint: error: trusted root 'platform/spare/manifest.yaml' is not a Floe manifest (no "
    "document in it is one); name the enterprise manifest.yaml\n"
)


def _tree(root: Path) -> None:
    write_files(
        root,
        {
            ".floe-lint.yaml": CONFIG,
            "platform/a/manifest.yaml": MANIFEST.format(name="a"),
            "platform/b/manifest.yaml": MANIFEST.format(name="b"),
            "platform/spare/manifest.yaml": MANIFEST.format(name="spare"),
            "products/local/floe.yaml": PRODUCT.format(
                name="local", ref="../../platform/a/manifest.yaml"
            ),
            "products/remote/floe.yaml": PRODUCT.format(name="remote", ref=OCI_ROOT),
        },
    )
    os.symlink("a", root / "platform" / "trusted")
    shutil.copytree(EXAMPLE_OCI, root / "oci-cache")


def _step(root: Path, step: str) -> None:
    layer = root / "oci-cache" / LAYER
    spare = root / "platform" / "spare" / "manifest.yaml"
    if step in ("a", "b"):
        (root / "platform" / "trusted").unlink()
        os.symlink(step, root / "platform" / "trusted")
    elif step == "corrupt oci copy":
        with layer.open("a", encoding="utf-8") as file:
            file.write("junk: [\n")
    elif step == "delete oci copy":
        layer.unlink(missing_ok=True)
    elif step == "restore oci copy":
        shutil.copyfile(EXAMPLE_OCI / LAYER, layer)
    elif step == "spare not a manifest":
        spare.write_text("# nothing here\n", encoding="utf-8")
    else:
        spare.write_text(MANIFEST.format(name="spare"), encoding="utf-8")


def test_a_corrupted_oci_copy_of_a_trusted_root_stops_a_cached_run_as_a_cold_one(
    cached: Path,  # noqa: F811
) -> None:
    _tree(cached)
    assert check("products") == (0, "", "floe-lint: no problems (4 files checked)\n")
    _step(cached, "corrupt oci copy")
    code, out, err = check("products")
    assert (code, out) == (2, "")
    assert err.startswith(CORRUPTED), err
    assert (code, out, err) == check("products", "--no-cache")


def test_a_trusted_root_that_is_no_manifest_any_more_stops_a_cached_run(
    cached: Path,  # noqa: F811
) -> None:
    """No product reaches platform/spare: only the roots' resolution reads it."""
    _tree(cached)
    assert check("products")[0] == 0
    _step(cached, "spare not a manifest")
    assert check("products") == (2, "", NOT_A_MANIFEST)
    assert check("products", "--no-cache") == (2, "", NOT_A_MANIFEST)


def test_a_trusted_root_re_pointed_by_a_link_is_not_replayed_past(
    cached: Path,  # noqa: F811
) -> None:
    _tree(cached)
    assert check("products")[0] == 0
    _step(cached, "b")
    code, out, _ = check("products")
    assert code == 1
    assert out.startswith(UNTRUSTED), out
    assert (code, out) == check("products", "--no-cache")[:2]


STEPS = [
    "a",
    "b",
    "corrupt oci copy",
    "delete oci copy",
    "restore oci copy",
    "spare not a manifest",
    "spare a manifest",
]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.sampled_from(STEPS), min_size=1, max_size=4))
def test_a_replayed_run_resolves_the_trusted_roots_as_a_cold_run_does(
    cached: Path,  # noqa: F811
    steps: list[str],
) -> None:
    cache.clean(cache.directory())
    for leftover in (".floe-lint.yaml", "platform", "products", "oci-cache"):
        path = cached / leftover
        path.unlink() if path.is_file() else shutil.rmtree(path, ignore_errors=True)
    _tree(cached)
    check("products")  # fills the cache
    for step in steps:
        _step(cached, step)
        cold = check("products", "--no-cache")
        assert check("products") == cold, step
        assert check("products") == cold, step


@pytest.mark.parametrize(
    "step", ["b", "corrupt oci copy", "delete oci copy", "spare not a manifest"]
)
def test_each_change_of_what_a_root_resolves_to_changes_the_answer(
    cached: Path,  # noqa: F811
    step: str,
) -> None:
    """The property above only bites if each step really changes what a cold run prints."""
    _tree(cached)
    before = check("products", "--no-cache")
    _step(cached, step)
    assert check("products", "--no-cache") != before


def test_a_run_replayed_whole_notices_a_trusted_root_it_did_not_find(
    cached: Path,  # noqa: F811
) -> None:
    """The config excludes the spare root from the walk, so no file of the run is outside the
    folder given and `check .` is stored whole (floe_lint.lint.whole): the roots' files are
    part of that record's key."""
    write_files(
        cached,
        {
            ".floe-lint.yaml": (
                "exclude: ['platform/spare/**']\n"
                "trusted-roots: [platform/a/manifest.yaml, platform/spare/manifest.yaml]\n"
            ),
            "platform/a/manifest.yaml": MANIFEST.format(name="a"),
            "platform/spare/manifest.yaml": MANIFEST.format(name="spare"),
            "products/p/floe.yaml": PRODUCT.format(name="p", ref="../../platform/a/manifest.yaml"),
        },
    )
    passed = (0, "", "floe-lint: no problems (2 files checked)\n")
    assert check(".") == passed  # fills the cache
    assert any(p.name.startswith("results-run-") for p in cache.directory().iterdir())
    assert check(".") == passed  # replayed whole
    _step(cached, "spare not a manifest")
    assert check(".") == (2, "", NOT_A_MANIFEST)
    assert check(".", "--no-cache") == (2, "", NOT_A_MANIFEST)


REMAPPED_CONFIG = f"""
oci: {{offline: true, cache-dir: oci-cache}}
exclude: ["oci-cache/**"]
trusted-roots: [{OCI_ROOT}]
refs:
  "oci://registry.example.com/floe/platform:next@sha256:{ROOT_DIGEST}": platform/ent/manifest.yaml
"""
#: the local enterprise manifest: not the bytes published as the trusted root (its default
#: differs), so a product under it is trusted only when the root's ref is mapped to it
LOCAL_ENTERPRISE = MANIFEST.format(name="acme").replace("default: duckdb", "default: spark")
LOCAL_UNTRUSTED = (
    "products/local/floe.yaml:2:17: ERROR FL310 [untrusted-root] platform.ref "
    "'../../platform/ent/manifest.yaml' leaves the trusted tree: this hierarchy ends at "
    "enterprise 'acme' (platform/ent/manifest.yaml), which is not a trusted root (trusted: "
    f"{OCI_ROOT})\n"
)


def test_a_root_re_mapped_by_the_dependents_search_is_not_replayed_past(
    cached: Path,  # noqa: F811
) -> None:
    """The config maps a ref pinned to the trusted root's digest to the local enterprise
    manifest. Checking that manifest, the dependents search finds a product naming the
    trusted root by its digest, and maps the root's own ref to the local manifest (a
    dependent is linted against the changed file): the root now resolves to it, and a
    product under it is trusted. Its result, stored by a run whose search found no such
    product (the root resolved to the published copy: untrusted), was replayed before the
    search, with FL310, where a cold run reports nothing."""
    write_files(
        cached,
        {
            ".floe-lint.yaml": REMAPPED_CONFIG,
            "platform/ent/manifest.yaml": LOCAL_ENTERPRISE,
            "products/local/floe.yaml": PRODUCT.format(
                name="local", ref="../../platform/ent/manifest.yaml"
            ),
        },
    )
    shutil.copytree(EXAMPLE_OCI, cached / "oci-cache")
    given = ("platform/ent/manifest.yaml", "products/local/floe.yaml")
    assert check(*given) == (1, LOCAL_UNTRUSTED, "floe-lint: 1 error (2 files checked)\n")
    stores = {p: p.read_bytes() for p in cache.directory().glob("results-*.json")}
    assert stores  # (the product's result, which the next run replays)
    write_files(cached, {"products/remote/floe.yaml": PRODUCT.format(name="remote", ref=OCI_ROOT)})
    passed = (
        "floe-lint: no problems (3 files checked, 1 of them dependent of the changed manifests)\n"
    )
    assert check(*given, "--no-cache") == (0, "", passed)
    assert check(*given) == (0, "", passed)
    assert {p: p.read_bytes() for p in cache.directory().glob("results-*.json")} == stores
    assert check(*given) == (0, "", passed)
