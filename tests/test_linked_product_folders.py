"""A product folder that is a symbolic link to a folder the walk would not enter (a hidden one,
`node_modules/`, `target/`) is a product Floe runs (its floe.yaml is read through the link), so
`check` lints it: a link to a folder inside the tree is walked when its target lies where the
walk goes nowhere else, once (a loop or a second link to it adds nothing); a link out of the
tree is still not followed (tests/test_symlinks_out.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = (
    "name: orders\nversion: 1.0.0\nplatform: {ref: ../../plat/manifest.yaml}\n"
    "transforms:\n  - {path: models/x/, compute: spark}\n"
)
FINDING = (
    "FL201 [compute-not-approved] transform 'models/x/' selects compute 'spark', which "
    "platform manifest manifest.yaml does not approve (no level of the hierarchy approves it); "
    "approved: duckdb\n"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_files(tmp_path, {"plat/manifest.yaml": MANIFEST, ".hidden/orders/floe.yaml": PRODUCT})
    (tmp_path / ".git").mkdir()
    (tmp_path / "products").mkdir()
    os.symlink("../.hidden/orders", tmp_path / "products/orders")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_linked_product_folder_in_a_hidden_folder_is_linted(tree: Path) -> None:
    run = run_cli("check", ".", "--no-cache")
    assert (run.code, run.stdout) == (1, f".hidden/orders/floe.yaml:5:32: ERROR {FINDING}")


def test_a_loop_and_a_second_link_add_nothing(tree: Path) -> None:
    os.symlink("..", tree / ".hidden/orders/up")  # a loop back to .hidden
    os.symlink(".hidden/orders", tree / "again")
    run = run_cli("check", ".", "--no-cache")
    assert (run.code, run.stdout) == (1, f".hidden/orders/floe.yaml:5:32: ERROR {FINDING}")
    assert "(2 files checked)" in run.stderr


def test_a_link_to_a_walked_folder_is_not_walked_twice(tree: Path) -> None:
    os.symlink("plat", tree / "plat-alias")
    run = run_cli("check", ".", "--no-cache")
    assert "(2 files checked)" in run.stderr, run.stderr


def test_the_cached_run_prints_what_a_cold_one_prints(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from floe_lint.lint import cache

    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    cold = run_cli("check", ".", "--no-cache")
    assert run_cli("check", ".") == cold
    assert run_cli("check", ".") == cold
    (tree / ".hidden/orders/floe.yaml").write_text(PRODUCT.replace("spark", "duckdb"), "utf-8")
    cold = run_cli("check", ".", "--no-cache")
    assert cold.code == 0
    assert run_cli("check", ".") == cold


@pytest.mark.parametrize("depth", ["orders", "deep/er/orders"])
def test_the_changed_manifest_rechecks_a_product_under_such_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, depth: str
) -> None:
    """`check MANIFEST` (the pre-commit hook's staged manifest) finds what `check .` lints, at
    any depth of the link's target (its refs resolve from the target's folder)."""
    ups = "../" * (depth.count("/") + 2)
    product = PRODUCT.replace("../../plat/", f"{ups}plat/")
    write_files(tmp_path, {"plat/manifest.yaml": MANIFEST, f".hidden/{depth}/floe.yaml": product})
    (tmp_path / ".git").mkdir()
    (tmp_path / "products").mkdir()
    os.symlink(f"../.hidden/{depth}", tmp_path / "products/orders")
    monkeypatch.chdir(tmp_path)
    finding = f".hidden/{depth}/floe.yaml:5:32: ERROR {FINDING}"
    cold = run_cli("check", ".", "--no-cache")
    assert (cold.code, cold.stdout) == (1, finding)
    run = run_cli("check", "plat/manifest.yaml", "--no-cache")
    note = "      note: a dependent of the changed manifest plat/manifest.yaml\n"
    assert (run.code, run.stdout) == (1, finding + note), run.stderr


@pytest.fixture
def vendored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """products/orders -> ../vendor/orders: a link out of the folder given, into the repository."""
    write_files(tmp_path, {"plat/manifest.yaml": MANIFEST, "vendor/orders/floe.yaml": PRODUCT})
    (tmp_path / ".git").mkdir()
    (tmp_path / "products").mkdir()
    os.symlink("../vendor/orders", tmp_path / "products/orders")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("given", ["products", "products/", "./products"])
def test_a_folder_given_follows_a_link_out_of_it_into_the_workspace(
    vendored: Path, given: str
) -> None:
    """`check products` lints the product Floe reads through products/orders, as `check .`
    does; it passed with 'products holds no manifest or floe.yaml' (a forged pass)."""
    run = run_cli("check", given, "--no-cache", "--fail-on-empty")
    assert (run.code, run.stdout) == (1, f"vendor/orders/floe.yaml:5:32: ERROR {FINDING}")
    assert "holds no manifest" not in run.stderr, run.stderr
    assert "(2 files checked)" in run.stderr, run.stderr


def test_from_inside_the_folder_given(vendored: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(vendored / "products")
    run = run_cli("check", ".", "--no-cache")
    assert (run.code, run.stdout) == (1, f"../vendor/orders/floe.yaml:5:32: ERROR {FINDING}")


def test_a_loop_above_the_folder_given_adds_nothing(vendored: Path) -> None:
    """A link to a folder holding the one given (the workspace) is a loop: not walked, else
    `check products` would lint the whole repository."""
    write_files(vendored, {"other/floe.yaml": PRODUCT.replace("orders", "other")})
    os.symlink("..", vendored / "products/up")
    os.symlink("../vendor", vendored / "products/vendor")  # holds orders: each folder once
    run = run_cli("check", "products", "--no-cache")
    assert (run.code, run.stdout) == (1, f"vendor/orders/floe.yaml:5:32: ERROR {FINDING}")
    assert "(2 files checked)" in run.stderr, run.stderr


def test_a_link_out_of_the_workspace_is_still_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `check .` (tests/test_symlinks_out.py): the folder is said to hold nothing."""
    write_files(tmp_path, {"plat/manifest.yaml": MANIFEST, "outside/orders/floe.yaml": PRODUCT})
    ws = tmp_path / "ws"
    (ws / ".git").mkdir(parents=True)
    (ws / "products").mkdir()
    os.symlink("../../outside/orders", ws / "products/orders")
    monkeypatch.chdir(ws)
    for given in (".", "products"):
        run = run_cli("check", given, "--no-cache")
        assert (run.code, run.stdout) == (0, ""), given
        assert f"floe-lint: {given} holds no manifest or floe.yaml" in run.stderr, run.stderr


def test_the_cached_run_of_a_folder_given_prints_what_a_cold_one_prints(
    vendored: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from floe_lint.lint import cache

    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    cold = run_cli("check", "products", "--no-cache")
    assert cold.code == 1
    assert run_cli("check", "products") == cold
    assert run_cli("check", "products") == cold
    (vendored / "vendor/orders/floe.yaml").write_text(PRODUCT.replace("spark", "duckdb"), "utf-8")
    cold = run_cli("check", "products", "--no-cache")
    assert cold.code == 0
    assert run_cli("check", "products") == cold
