"""Dependents whose ref text holds none of the names the search looks for (the changed
manifest's folder or file name) are still found by `check MANIFEST` and `impact` (a dependent
missed is a false pass): a ref through a symbolic link to the manifest or its folder, a ref
spelled with an escape or a line continuation in a double-quoted scalar, and a product that
names no platform and so depends on the configured `manifest`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

ENTERPRISE = "scope: enterprise\nmetadata: {name: acme}\n"
ENTERPRISE += "plugins: {compute: {approved: [duckdb, spark]}}\n"
DOMAIN = "scope: domain\nmetadata: {name: dom}\nparent_manifest: ../ent/manifest.yaml\n"
DOMAIN += "plugins: {compute: {approved: [duckdb]}}\n"
TRANSFORMS = "transforms:\n  - type: dbt\n    path: models/a/\n    compute: spark\n"
MESSAGE = (
    "ERROR FL201 [compute-not-approved] transform 'models/a/' selects compute 'spark', which "
    "domain 'dom' does not approve (enterprise 'acme' approves it, but domain 'dom' removed it); "
    "approved: duckdb"
)


def _tree(root: Path, ref: str) -> None:
    write_files(
        root,
        {
            "platform/ent/manifest.yaml": ENTERPRISE,
            "platform/dom/manifest.yaml": DOMAIN,
            "products/p/floe.yaml": f"name: p\nplatform:\n  ref: {ref}\n" + TRANSFORMS,
        },
    )
    (root / "platform/alias").symlink_to("dom", target_is_directory=True)
    (root / "platform/links").mkdir()
    (root / "platform/links/acme.yaml").symlink_to("../dom/manifest.yaml")
    (root / "platform/other").mkdir()
    (root / "platform/other/manifest.yaml").symlink_to("../dom/manifest.yaml")


REFS = [
    # through a symbolic link to the manifest's folder, to the manifest, and a link named
    # manifest.yaml in a folder of another name
    ("../../platform/alias/manifest.yaml", 7),
    ("../../platform/alias", 7),
    ("../../platform/links/acme.yaml", 7),
    ("../../platform/other/manifest.yaml", 7),
    ("../../platform/other/", 7),
    # an escape, a line continuation of a double-quoted scalar
    ('"../../platform/d\\x6fm/manifest.yaml"', 7),
    ('"../../platform/\\\n    dom/manifest.yaml"', 8),
]


@pytest.mark.parametrize(("ref", "line"), REFS)
@pytest.mark.parametrize("cache", ["--no-cache", "warm"])
def test_check_of_a_manifest_finds_a_dependent_whose_ref_names_it_otherwise(
    ref: str, line: int, cache: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    monkeypatch.delenv("FLOE_LINT_NO_CACHE", raising=False)  # (conftest turns the cache off)
    _tree(tmp_path, ref)
    expected = f"products/p/floe.yaml:{line}:14: {MESSAGE}"
    whole = run_cli("check", "--no-cache", "--format", "concise", ".")
    assert whole.stdout.splitlines() == [expected]  # what the hierarchy resolves
    options = ["--no-cache"] if cache == "--no-cache" else []
    for _ in range(2 if cache == "warm" else 1):  # the cache filled, then replayed
        run = run_cli("check", *options, "--format", "concise", "platform/dom/manifest.yaml")
        assert run.stdout.splitlines() == [
            f"{expected} (a dependent of the changed manifest platform/dom/manifest.yaml)"
        ]
        assert run.code == 1
    # the enterprise manifest: the product through the domain, the domain by its own ref
    run = run_cli("check", "--no-cache", "--format", "concise", "platform/ent/manifest.yaml")
    assert run.stdout.splitlines() == [
        f"{expected} (a dependent of the changed manifest platform/ent/manifest.yaml)"
    ]


def test_impact_finds_a_dependent_through_a_link_to_the_manifests_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, "../../platform/alias/manifest.yaml")
    (tmp_path / "old.yaml").write_text(DOMAIN.replace("[duckdb]", "[duckdb, spark]"), "utf-8")
    run = run_cli(
        "impact", "platform/dom/manifest.yaml", "--against", "old.yaml", "--format", "json"
    )
    report = json.loads(run.stdout)
    assert report["dependents"] == ["products/p/floe.yaml"]
    assert [f["file"] for f in report["appeared"]] == ["products/p/floe.yaml"], report
    appeared = report["appeared"][0]
    assert (appeared["line"], appeared["column"]) == (7, 14)
    assert appeared["message"] == MESSAGE.split("] ", 1)[1]


@pytest.mark.parametrize("given", ["config", "--manifest"])
def test_check_of_the_configured_manifest_finds_a_product_that_names_none(
    given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README: a product that names no platform depends on the configured `manifest`."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "platform/ent/manifest.yaml": ENTERPRISE,
            "platform/dom/manifest.yaml": DOMAIN,
            "products/p/floe.yaml": "name: p\n" + TRANSFORMS,
        },
    )
    options = ["--manifest", "platform/dom"] if given == "--manifest" else []
    if given == "config":
        (tmp_path / ".floe-lint.yaml").write_text("manifest: platform/dom/manifest.yaml\n")
    expected = f"products/p/floe.yaml:5:14: {MESSAGE}"
    whole = run_cli("check", "--no-cache", "--format", "concise", *options, ".")
    assert whole.stdout.splitlines() == [expected]
    for manifest in ("platform/dom/manifest.yaml", "platform/ent/manifest.yaml"):
        run = run_cli("check", "--no-cache", "--format", "concise", *options, manifest)
        assert run.stdout.splitlines() == [
            f"{expected} (a dependent of the changed manifest {manifest})"
        ], manifest
    assert os.path.exists("products/p/floe.yaml")
