"""A product file that is a symbolic link to a file elsewhere in the workspace
(`products/campaigns/floe.yaml -> ../../templates/campaigns.yaml`) is a product Floe reads through
the link, so `check FOLDER` lints it, once, by the target's own name (as `check FILE` names it).
Before, `check products/campaigns` and `check products` said "0 files checked" and "holds no
manifest or floe.yaml" and passed (exit 0, a forged pass). A link to a file outside the workspace
is still not read, and the folder left empty says so, naming the link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = (
    "name: campaigns\nversion: 1.0.0\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: snowflake}]\n"
)
UNRESOLVED = (
    "templates/campaigns.yaml:3:17: ERROR FL301 [unresolved-ref] cannot resolve platform.ref "
    "'../../platform/manifest.yaml': '../../platform/manifest.yaml' points to a file that does "
    "not exist: ../platform/manifest.yaml\n"
)
NOT_APPROVED = (
    "templates/campaigns/floe.yaml:4:52: ERROR FL201 [compute-not-approved] transform "
    "'models/a/' selects compute 'snowflake', which platform manifest manifest.yaml does not "
    "approve (no level of the hierarchy approves it); approved: duckdb\n"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The lead's reproducer: the link's target lies outside the folder checked."""
    ws = tmp_path / "ws"
    write_files(ws, {"platform/manifest.yaml": MANIFEST, "templates/campaigns.yaml": PRODUCT})
    (ws / ".git").mkdir()
    (ws / "products/campaigns").mkdir(parents=True)
    os.symlink("../../templates/campaigns.yaml", ws / "products/campaigns/floe.yaml")
    monkeypatch.chdir(ws)
    return ws


@pytest.mark.parametrize(
    "given",
    [
        ("products/campaigns",),
        ("products",),
        ("products/campaigns/floe.yaml",),
        ("--hook", "products/campaigns/floe.yaml"),  # (the pre-commit hook's staged link)
        (".",),
    ],
)
def test_a_product_linked_from_a_file_is_linted_by_its_target_name(
    tree: Path, given: tuple[str, ...]
) -> None:
    run = run_cli("check", "--no-cache", *given)
    assert (run.code, run.stdout) == (1, UNRESOLVED)
    files = "2 files" if given == (".",) else "1 file"
    assert run.stderr == f"floe-lint: 1 error ({files} checked)\n"


def test_the_cached_runs_print_what_a_cold_run_prints(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from floe_lint.lint import cache

    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    for given in ("products/campaigns", "products"):
        cold = run_cli("check", "--no-cache", given)
        assert cold.stdout == UNRESOLVED
        assert run_cli("check", given) == cold
        assert run_cli("check", given) == cold
    (tree / "templates/campaigns.yaml").write_text(
        PRODUCT.replace("../../platform", "../platform").replace("snowflake", "duckdb"), "utf-8"
    )
    cold = run_cli("check", "--no-cache", "products")
    assert (cold.code, cold.stdout) == (0, "")
    assert run_cli("check", "products") == cold
    assert run_cli("check", "products") == cold


@pytest.fixture
def resolving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The target at the link's depth, so its ref names the manifest from either folder."""
    ws = tmp_path / "ws"
    write_files(
        ws, {"platform/manifest.yaml": MANIFEST, "templates/campaigns/floe.yaml": "\n" + PRODUCT}
    )
    (ws / ".git").mkdir()
    (ws / "products/campaigns").mkdir(parents=True)
    os.symlink("../../templates/campaigns/floe.yaml", ws / "products/campaigns/floe.yaml")
    monkeypatch.chdir(ws)
    return ws


@pytest.mark.parametrize(
    "given", [("products",), ("products/campaigns",), ("platform/manifest.yaml",)]
)
def test_the_folder_and_the_changed_manifest_find_it(
    resolving: Path, given: tuple[str, ...]
) -> None:
    """`check MANIFEST` (the pre-commit hook's) rechecks the product through its dependents
    search, as `check FOLDER` lints it."""
    run = run_cli("check", "--no-cache", *given)
    note = "      note: a dependent of the changed manifest platform/manifest.yaml\n"
    expected = NOT_APPROVED + (note if given[0].endswith(".yaml") else "")
    assert (run.code, run.stdout) == (1, expected)


def test_an_exclude_of_the_target_does_not_hide_it(resolving: Path) -> None:
    (resolving / ".floe-lint.yaml").write_text('exclude: ["templates/**"]\n', "utf-8")
    run = run_cli("check", "--no-cache", "products")
    assert (run.code, run.stdout) == (1, NOT_APPROVED)


def test_every_walker_finds_it(resolving: Path) -> None:
    """`lock`, the language server and lockfile.collect walk through `selected_files`."""
    from floe_lint.lint.walking import selected_files

    found = selected_files([Path("products")], None, resolving)
    assert found == [(Path("templates/campaigns/floe.yaml"), False)]
    found = selected_files([Path("products"), Path(".")], None, resolving)
    assert [str(path) for path, _ in found].count("templates/campaigns/floe.yaml") == 2


def test_a_link_out_of_the_workspace_is_not_read_and_is_named(tree: Path) -> None:
    outside = tree.parent / "elsewhere.yaml"
    outside.write_text(PRODUCT.replace("campaigns", "secret-name"), "utf-8")
    (tree / "products/out").mkdir()
    os.symlink(outside, tree / "products/out/floe.yaml")
    run = run_cli("check", "--no-cache", "products/out")
    assert (run.code, run.stdout) == (0, "")
    assert "secret-name" not in run.stderr
    assert run.stderr == (
        "floe-lint: no problems (0 files checked)\n"
        "floe-lint: products/out/floe.yaml is a symbolic link out of the workspace: not read "
        "(name it on the command line to check it)\n"
        "floe-lint: products/out holds no manifest or floe.yaml (nothing checked there)\n"
    )
    run = run_cli("check", "--no-cache", "products")  # (the other product is still linted)
    assert (run.code, run.stdout) == (1, UNRESOLVED)


def test_globs_that_leave_out_both_spellings_leave_it_out(resolving: Path) -> None:
    (resolving / ".floe-lint.yaml").write_text(
        'exclude: ["templates/**", "products/**"]\n', "utf-8"
    )
    run = run_cli("check", "--no-cache", "products")
    assert (run.code, run.stdout) == (0, "")
    assert "products holds no manifest or floe.yaml (nothing checked there)\n" in run.stderr


@pytest.fixture
def hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The link's target in a folder no walk enters (`.templates/`, `node_modules/`), at
    another depth than the link: its ref names the manifest from the target's folder only."""
    ws = tmp_path / "ws"
    product = PRODUCT.replace("../../platform", "../platform")
    write_files(ws, {"platform/manifest.yaml": MANIFEST, ".templates/campaigns.yaml": product})
    (ws / ".git").mkdir()
    (ws / "products/campaigns").mkdir(parents=True)
    os.symlink("../../.templates/campaigns.yaml", ws / "products/campaigns/floe.yaml")
    monkeypatch.chdir(ws)
    return ws


@pytest.mark.parametrize(
    "given",
    [
        ("platform/manifest.yaml",),
        ("--hook", "platform/manifest.yaml"),  # (a commit that narrows the manifest)
        (".",),
    ],
)
def test_the_changed_manifest_finds_it_from_the_target_folder(
    hidden: Path, given: tuple[str, ...]
) -> None:
    """The dependents search read a linked file's refs from the link's folder
    (`products/campaigns/../platform/manifest.yaml`: nothing), where the hierarchy reads them
    from the target's; the target itself lies where the walk does not go, so `check
    platform/manifest.yaml` (the pre-commit hook's run) passed: '1 file checked', exit 0."""
    run = run_cli("check", "--no-cache", *given)
    message = NOT_APPROVED.replace("templates/campaigns/floe.yaml", ".templates/campaigns.yaml")
    note = "      note: a dependent of the changed manifest platform/manifest.yaml\n"
    expected = message + (note if given != (".",) else "")
    assert (run.code, run.stdout) == (1, expected)
    assert run.stderr.startswith("floe-lint: 1 error (2 files checked")


def test_a_link_below_the_changed_manifest_folder_by_its_target(hidden: Path) -> None:
    """A linked file whose target lies below the changed manifest's folder, naming it by `..`
    alone (no needle of its name), is a dependent too."""
    os.replace(hidden / ".templates", hidden / "platform/.templates")
    (hidden / "platform/.templates/campaigns.yaml").write_text(
        PRODUCT.replace("../../platform/manifest.yaml", "../manifest.yaml"), "utf-8"
    )
    os.remove(hidden / "products/campaigns/floe.yaml")
    os.symlink("../../platform/.templates/campaigns.yaml", hidden / "products/campaigns/floe.yaml")
    run = run_cli("check", "--no-cache", "platform/manifest.yaml")
    message = NOT_APPROVED.replace(
        "templates/campaigns/floe.yaml", "platform/.templates/campaigns.yaml"
    )
    note = "      note: a dependent of the changed manifest platform/manifest.yaml\n"
    assert (run.code, run.stdout) == (1, message + note)
