"""The config of paths given outside the working directory's workspace is their project's (the
one a run from its root reads), as the workspace is (tests/test_workspace_from_targets.py):
`cd /tmp && floe-lint check ~/repo/products/p/floe.yaml` searched the repository for
dependents but read no config, so its mandatory rules, refs and excludes did not apply (a
suppressed mandatory finding passed, exit 0). A product folder's own config, nearer to the
target than the repository's root, is not read (it cannot relax the mandatory rules), and paths
of two projects whose configs differ are an error (exit 2), never one project's config for both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = """\
name: orders
platform: {ref: ../../platform/manifest.yaml}
transforms:
  - {type: dbt, path: models/a/, compute: spark}  # floe-lint: disable=FL201 -- pilot
"""
MANDATORY = "mandatory: [compute-not-approved]\n"


def _repo(root: Path, config: str = MANDATORY) -> None:
    write_files(
        root,
        {
            "platform/manifest.yaml": MANIFEST,
            "products/orders/floe.yaml": PRODUCT,
            ".floe-lint.yaml": config,
        },
    )
    (root / ".git").mkdir()


def _lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line and not line.startswith(" ")]


def _expected(prefix: str) -> list[str]:
    return [
        f"{prefix}products/orders/floe.yaml:4:43: ERROR FL201 [compute-not-approved] transform "
        "'models/a/' selects compute 'spark', which platform manifest manifest.yaml does not "
        "approve (no level of the hierarchy approves it); approved: duckdb",
        f"{prefix}products/orders/floe.yaml:4:72: ERROR FL902 [suppression-not-allowed] "
        "suppression of 'FL201' is not allowed: the config makes this rule mandatory; the "
        "finding stays (only the config's exceptions can excuse it)",
    ]


@pytest.mark.parametrize("nested", ["", "mandatory: []\nignore: [FL201]\n"])
def test_the_repository_s_mandatory_rules_apply_from_outside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nested: str
) -> None:
    """From another folder the repository's config is read; a product folder's own config
    (`nested`) is not, from outside as from the root."""
    _repo(tmp_path / "repo")
    if nested:
        write_files(tmp_path / "repo/products/orders", {".floe-lint.yaml": nested})
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    product = tmp_path / "repo/products/orders/floe.yaml"
    run = run_cli("check", "--no-cache", "--format=concise", str(product))
    assert (run.code, _lines(run.stdout)) == (1, _expected("../repo/")), run.stderr
    monkeypatch.chdir(tmp_path / "repo")
    run = run_cli("check", "--no-cache", "--format=concise", "products/orders/floe.yaml")
    assert (run.code, _lines(run.stdout)) == (1, _expected("")), run.stderr


def test_from_a_folder_of_no_project_above_it_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cd ~ && floe-lint check work/repo/...`: the workspace is the repository (b29dc14), and
    so is the config."""
    _repo(tmp_path / "work/repo")
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--no-cache", "--format=concise", "work/repo/products/orders/floe.yaml")
    assert (run.code, _lines(run.stdout)) == (1, _expected("work/repo/")), run.stderr


def test_the_repository_s_excludes_apply_from_outside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(tmp_path / "repo", "exclude: [products/orders/**]\n")
    product = PRODUCT.replace("  # floe-lint: disable=FL201 -- pilot", "")
    write_files(tmp_path / "repo", {"products/orders/floe.yaml": product, "products/x/f": ""})
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    run = run_cli("check", "--no-cache", "--format=concise", str(tmp_path / "repo/products"))
    assert (run.code, run.stdout) == (0, ""), run.stderr


def test_paths_of_two_projects_with_different_configs_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(tmp_path / "a")
    _repo(tmp_path / "b", "{}\n")
    monkeypatch.chdir(tmp_path / "a")
    b = tmp_path / "b/products/orders/floe.yaml"
    run = run_cli("check", "--no-cache", "products/orders/floe.yaml", str(b))
    assert (run.code, run.stdout) == (2, ""), run.stderr
    a, b_config = (tmp_path / "a").resolve(), (tmp_path / "b").resolve() / ".floe-lint.yaml"
    assert run.stderr == (
        "floe-lint: error: the paths given lie in projects with different floe-lint configs "
        f"(products/orders/floe.yaml reads {a}/.floe-lint.yaml; {b} reads {b_config}): check "
        "each project in its own run, or pass --config FILE\n"
    )
    # --config decides for all; without a config in either, the defaults are no conflict
    run = run_cli("check", "--no-cache", "--config=.floe-lint.yaml", "products", str(b))
    assert (run.code, run.stdout.count("FL902")) == (1, 2), run.stderr
    (tmp_path / "a/.floe-lint.yaml").unlink()
    b_config.unlink()
    run = run_cli("check", "--no-cache", "products/orders/floe.yaml", str(b))
    assert (run.code, run.stdout) == (0, ""), run.stderr


@pytest.mark.parametrize("given", [(), (".",), ("floe.yaml",)])
def test_a_product_folder_s_own_config_is_not_read_from_inside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: tuple[str, ...]
) -> None:
    """From the product's folder (a developer's `cd products/orders && floe-lint check`, a CI
    step run there) the nearest config was the product's own: `mandatory: []` and
    `ignore: [FL201]` beside the floe.yaml passed its suppressed unapproved compute (exit 0).
    Inside a repository the config is its outermost one (the root's), as from the root."""
    _repo(tmp_path / "repo")
    write_files(
        tmp_path / "repo/products/orders", {".floe-lint.yaml": "mandatory: []\nignore: [FL201]\n"}
    )
    monkeypatch.chdir(tmp_path / "repo/products/orders")
    run = run_cli("check", "--no-cache", "--format=concise", *given)
    expected = [line.replace("products/orders/", "", 1) for line in _expected("")]
    assert (run.code, _lines(run.stdout)) == (1, expected), run.stderr
    assert f"(from {tmp_path / 'repo/.floe-lint.yaml'})" in run_cli("config").stdout
