"""Every command walks the folders it is given as `check` does (floe_lint.lint.walking): a
symbolic link out of a folder given is followed into the workspace (2d77536), and a file the
config's globs leave out by its own name is kept when a link the walk met spells it as a path
they select (391a6cf). `lock products` found no product behind products/orders ->
../vendor/orders ('no floe.yaml products found'), `lockfile.collect` (the locks `check
products` pins its refs by) missed its floe.lock, and the language server's index left out a
product linked into products/ from an excluded sandbox/; `impact`'s dependents search already
agreed (a guard).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from floe_lint.oci import lockfile
from floe_lint.server.session import Session
from tests.conftest import run_cli, write_files

MANIFEST = (
    "scope: enterprise\nmetadata: {name: acme}\n"
    "plugins:\n  compute:\n    approved: [duckdb, spark]\n    default: duckdb\n"
)
PRODUCT = (
    "name: {name}\nversion: 1.0.0\nplatform: {{ref: ../../platform/manifest.yaml}}\n"
    "transforms:\n  - {{type: dbt, path: models/a/, compute: spark}}\n"
)
DIGEST = "sha256:" + "a" * 64
LOCK = lockfile.render({"oci://r.example/floe/p:v1": DIGEST})


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": MANIFEST,
            "vendor/orders/floe.yaml": PRODUCT.format(name="orders"),
            "sandbox/new/floe.yaml": PRODUCT.format(name="new"),
            "sandbox/old/floe.yaml": PRODUCT.format(name="old"),
            ".floe-lint.yaml": 'exclude: ["sandbox/**"]\n',
        },
    )
    (tmp_path / ".git").mkdir()
    (tmp_path / "products").mkdir()
    os.symlink("../vendor/orders", tmp_path / "products/orders")
    os.symlink("../sandbox/new", tmp_path / "products/new")
    return tmp_path


def test_lock_walks_a_folder_as_check_does(tree: Path) -> None:
    run = run_cli("lock", "products", "--check")
    assert (run.code, run.stderr) == (0, ""), run.stderr
    assert sorted(run.stdout.splitlines()) == [
        "sandbox/new/floe.yaml: no oci:// refs; nothing to lock",
        "vendor/orders/floe.yaml: no oci:// refs; nothing to lock",
    ]
    run = run_cli("lock", ".", "--check")  # sandbox/old: excluded, and no link selects it
    assert "sandbox/old" not in run.stdout + run.stderr, run.stdout


def test_the_locks_check_pins_by_are_those_of_the_files_it_walks(tree: Path) -> None:
    (tree / "vendor/orders/floe.lock").write_text(LOCK, "utf-8")
    assert lockfile.collect([Path("products")], tree) == {"oci://r.example/floe/p:v1": DIGEST}
    assert lockfile.collect([Path("products")]) == {}  # (no workspace: the folder alone)


def test_the_language_server_s_index_keeps_a_product_a_link_selects(tree: Path) -> None:
    _, products = Session(tree).index()
    found = sorted(p.doc.path.resolve().relative_to(tree.resolve()).as_posix() for p in products)
    assert found == ["sandbox/new/floe.yaml", "vendor/orders/floe.yaml"]


def test_impact_finds_the_same_dependents(tree: Path) -> None:
    from tests.test_impact import git

    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "init")
    (tree / "platform/manifest.yaml").write_text(MANIFEST.replace(", spark", ""), "utf-8")
    run = run_cli("impact", "platform/manifest.yaml", "--format", "json")
    assert run.report["dependents"] == [
        "sandbox/new/floe.yaml",
        "vendor/orders/floe.yaml",
    ], run.stderr
