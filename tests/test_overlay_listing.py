"""The per-environment files beside a file, found from the walk's listing of its folder (issue
17): exactly what listing the folder again finds, for every file of random trees (symbolic
links, hidden and skipped folders, folders named like overlays, case), found or named."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.lint.context import overlay_files
from floe_lint.load.walk import Beside
from floe_lint.load.workspace import discover
from tests.conftest import run_cli

FOLDERS = ["a", "b", "A", ".hidden", "node_modules", "x.prod.yaml"]
NAMES = [
    "floe.yaml",
    "floe.yml",
    "floe.prod.yaml",
    "floe.Prod.yml",
    "Floe.prod.yaml",
    "Floe.yaml",
    "floe.prod.dev.yaml",
    "floe.dev.yaml",
    "floe.prod.yaml.bak",
    "floe.a.b.yaml",
    "floe..yaml",
    "manifest.yaml",
    "manifest.dev.yml",
    "x.yaml",
    "x.prod.yaml",
    "d-manifest.yaml",
    "d-manifest.prod.yml",
]
#: what stands at a path: a file, a folder, or a symbolic link to a file, a folder or nothing
KINDS = ["file", "file", "file", "dir", "link-file", "link-dir", "dangling"]
ENTRIES = st.lists(
    st.tuples(
        st.one_of(st.just([]), st.just(["a"]), st.lists(st.sampled_from(FOLDERS), max_size=2)),
        st.sampled_from(NAMES),
        st.sampled_from(KINDS),
    ),
    max_size=24,
)


def _build(root: Path, entries: list[tuple[list[str], str, str]]) -> None:
    (root / "target").mkdir()
    (root / "target" / "floe.prod.yaml").write_text("a: 1\n")
    (root / "target" / "t.yaml").write_text("a: 1\n")
    tree = root / "tree"
    tree.mkdir()
    for folders, name, kind in entries:
        folder = tree.joinpath(*folders)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            if os.path.lexists(path):
                continue
            if kind == "file":
                path.write_text("a: 1\n")
            elif kind == "dir":
                path.mkdir()
            elif kind == "link-file":
                path.symlink_to(root / "target" / "t.yaml")
            elif kind == "link-dir":
                path.symlink_to(root / "target")
            else:
                path.symlink_to(root / "nothing")
        except (FileExistsError, NotADirectoryError):
            continue  # a name taken by a file where a folder was wanted


def _every_file(top: Path) -> list[Path]:
    """Every name under `top` that is not a folder, through every folder (hidden, skipped and
    linked ones too): what a file named on the command line may be."""
    found = []
    for folder, dirs, files in os.walk(top, followlinks=True):
        found.extend(Path(folder) / name for name in files)
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
    return found


@settings(max_examples=60, deadline=None)
@given(ENTRIES, st.sampled_from(["absolute", "relative", "dot", "slashed"]))
def test_overlays_from_the_listing_are_those_listing_the_folder_finds(
    entries: list[tuple[list[str], str, str]], spelling: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        _build(root, entries)
        top = {
            "absolute": root / "tree",
            "relative": Path("tree"),
            "dot": Path("."),
            "slashed": Path("./tree/"),
        }[spelling]
        with contextlib.chdir(root / "tree" if spelling == "dot" else root):
            listed = Beside()
            found = [path for path, _ in discover([top], listing=listed)]
            for path in found:
                # the walk listed the folder of every file it found: no folder is listed again
                assert listed.candidates(str(path.parent)) is not None
                assert overlay_files(path, listed) == overlay_files(path)
            for path in _every_file(top):  # named files, in folders listed or not
                assert overlay_files(path, listed) == overlay_files(path)
                absolute = Path(os.path.abspath(path))
                assert overlay_files(absolute, listed) == overlay_files(absolute)


def test_a_listed_folder_named_like_an_overlay_is_one(tmp_path: Path) -> None:
    """A folder called floe.prod.yaml is among the names listed (as `glob` finds it)."""
    (tmp_path / "floe.yaml").write_text("a: 1\n")
    (tmp_path / "floe.prod.yaml").mkdir()
    (tmp_path / "floe.dev.yml").write_text("a: 1\n")
    listed = Beside()
    found = [path for path, _ in discover([tmp_path], listing=listed)]
    assert found == [tmp_path / "floe.dev.yml", tmp_path / "floe.yaml"]
    assert overlay_files(tmp_path / "floe.yaml", listed) == [
        tmp_path / "floe.dev.yml",
        tmp_path / "floe.prod.yaml",
    ]


def test_an_excluded_overlay_is_still_compared_with_its_base(
    tmp_path: Path, monkeypatch: object
) -> None:
    """The config's `exclude` hides floe.prod.yaml from the files checked, not from the
    overlays of floe.yaml: the listing is taken before the config's filter, as before."""
    (tmp_path / "manifest.yaml").write_text(
        "scope: enterprise\nplugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n"
    )
    product = tmp_path / "products" / "orders"
    product.mkdir(parents=True)
    (product / "floe.yaml").write_text(
        "name: orders\nplatform: {ref: ../../manifest.yaml}\n"
        "transforms: [{path: models/x/, compute: duckdb}]\n"
    )
    (product / "floe.prod.yaml").write_text("transforms: [{path: models/x/, compute: spark}]\n")
    (tmp_path / ".floe-lint.yaml").write_text("exclude: ['*.prod.yaml']\n")
    with contextlib.chdir(tmp_path):
        run = run_cli("check", ".", "--no-cache")
    assert run.stdout.splitlines() == [
        "products/orders/floe.prod.yaml:1:41: ERROR FL401 [environment-override] a "
        "per-environment file changes the compute; a transform must run on the same compute "
        "in every environment (ADR-0010)"
    ]


def test_a_cached_run_reads_overlays_from_its_own_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the result cache, the run that follows the cache's own walk reads the overlays from
    that walk's listing: a new floe.dev.yaml is seen, as a run without the cache sees it."""
    monkeypatch.delenv("FLOE_LINT_NO_CACHE")
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path / "cache"))
    tree = tmp_path / "tree"
    (tree / "p").mkdir(parents=True)
    (tree / "manifest.yaml").write_text(
        "scope: enterprise\nplugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n"
    )
    (tree / "p" / "floe.yaml").write_text(
        "name: orders\nplatform: {ref: ../manifest.yaml}\n"
        "transforms: [{path: models/x/, compute: duckdb}]\n"
    )
    (tree / "p" / "floe.prod.yaml").write_text("transforms: [{path: models/x/, compute: duckdb}]\n")
    with contextlib.chdir(tree):
        assert run_cli("check", ".").stdout == ""
        (tree / "p" / "floe.dev.yaml").write_text(
            "transforms: [{path: models/x/, compute: spark}]\n"
        )
        cached = run_cli("check", ".")
        assert cached.stdout.splitlines() == [
            "p/floe.dev.yaml:1:41: ERROR FL401 [environment-override] a per-environment file "
            "changes the compute; a transform must run on the same compute in every environment "
            "(ADR-0010)"
        ]
        assert cached.stdout == run_cli("check", ".", "--no-cache").stdout
