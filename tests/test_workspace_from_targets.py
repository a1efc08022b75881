"""The workspace (where a changed manifest's dependents are searched for) of paths given outside
the working directory's: their own project (the nearest folder above them holding `.git`, else a
floe-lint config), as ruff and pre-commit find a project from its files. Before, `cd /tmp &&
floe-lint check ~/repo/platform/manifest.yaml` searched /tmp: it reported every too-large YAML
file there as a possible dependent (false errors) and missed the repository's real dependents
(a forged pass). Paths inside the working directory's workspace keep it (tests/test_dependents.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_lint.load.reading import MAX_BYTES
from floe_lint.load.root import choose_workspace, workspace_root
from tests.conftest import run_cli, write_files

ENTERPRISE = "scope: enterprise\nmetadata: {name: acme}\nplugins: {compute: {approved: [duckdb]}}\n"
PRODUCT = (
    "name: orders\nversion: 1.0.0\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms:\n  - {path: models/x/, compute: spark}\n"
)
FINDING = (
    "products/orders/floe.yaml:5:32: ERROR FL201 [compute-not-approved] transform 'models/x/' "
    "selects compute 'spark', which enterprise 'acme' does not approve (no level of the "
    "hierarchy approves it); approved: duckdb\n"
    "      note: a dependent of the changed manifest {manifest}\n"
)
# a Floe-named file too large to read: a possible dependent of any manifest changed
LARGE = "name: p\n#" + "x" * (MAX_BYTES + 10) + "\n"


def _project(root: Path, marker: str) -> None:
    write_files(root, {"platform/manifest.yaml": ENTERPRISE, "products/orders/floe.yaml": PRODUCT})
    if marker == ".git":
        (root / ".git").mkdir()
    else:
        (root / marker).write_text("select: [FL]\n", "utf-8")


@pytest.mark.parametrize("marker", [".git", ".floe-lint.yaml"])
def test_a_manifest_checked_from_outside_its_project_is_searched_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: str
) -> None:
    _project(tmp_path / "repo", marker)
    write_files(tmp_path / "elsewhere", {"junk/big/floe.yaml": LARGE})
    monkeypatch.chdir(tmp_path / "elsewhere")  # no .git, no config above
    manifest = tmp_path / "repo/platform/manifest.yaml"
    run = run_cli("check", "--no-cache", str(manifest))
    shown = "../repo/platform/manifest.yaml"
    finding = FINDING.replace("products/", "../repo/products/").format(manifest=shown)
    assert (run.code, run.stdout) == (1, finding), run.stderr
    assert "(2 files checked, 1 of them dependent of the changed manifests)" in run.stderr, (
        run.stderr
    )
    assert (
        f"floe-lint: note: dependents were searched for in {(tmp_path / 'repo').resolve()}, the "
        "project of the paths given (a folder holding .git or a floe-lint config), not the "
        "working directory's\n"
    ) in run.stderr


def test_from_the_project_nothing_changes_and_nothing_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path / "repo", ".git")
    monkeypatch.chdir(tmp_path / "repo")
    run = run_cli("check", "--no-cache", "platform/manifest.yaml")
    assert (run.code, run.stdout) == (1, FINDING.format(manifest="platform/manifest.yaml"))
    assert "note:" not in run.stderr, run.stderr


def test_paths_of_no_project_keep_the_working_directory_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No folder above the manifest holds .git or a config: the search stays where it was (the
    working directory), never narrowed, and finds the dependent there; stderr says where."""
    write_files(tmp_path / "b", {"platform/manifest.yaml": ENTERPRISE})
    product = PRODUCT.replace("../../platform/", "../../../b/platform/")
    write_files(tmp_path / "a", {"products/orders/floe.yaml": product})
    monkeypatch.chdir(tmp_path / "a")
    run = run_cli("check", "--no-cache", str(tmp_path / "b/platform/manifest.yaml"))
    finding = FINDING.format(manifest="../b/platform/manifest.yaml")
    assert (run.code, run.stdout) == (1, finding), run.stderr
    assert (
        f"floe-lint: note: dependents were searched for in {(tmp_path / 'a').resolve()}, the "
        "working directory's workspace, which does not hold every path given (pass "
        "--workspace to name another)\n"
    ) in run.stderr


def test_the_choice(tmp_path: Path) -> None:
    for repo in ("one", "two"):
        (tmp_path / repo / "x").mkdir(parents=True)
        (tmp_path / repo / ".git").mkdir()
    (tmp_path / "cwd").mkdir()
    cwd, one, two = tmp_path / "cwd", tmp_path / "one", tmp_path / "two"
    # inside the working directory's workspace: as before (its git root, config, or itself)
    assert choose_workspace(None, None, cwd, [cwd / "f.yaml"]) == (cwd.resolve(), None)
    assert workspace_root(None, None, one / "x", [Path("f.yaml")]) == one.resolve()
    # outside it: their project's root; from one repository, the other's
    assert workspace_root(None, None, cwd, [one / "x", one / "x/f.yaml"]) == one.resolve()
    assert workspace_root(None, None, one / "x", [two / "x/f.yaml"]) == two.resolve()
    # in two projects: the working directory's, said
    root, said = choose_workspace(None, None, cwd, [one / "x", two / "x"])
    assert root == cwd.resolve() and said is not None and "--workspace" in said
    # one inside the working directory's workspace, one in another project: still its own
    root, said = choose_workspace(None, None, one, [one / "x", two / "x/f.yaml"])
    assert root == one.resolve() and said is not None and "--workspace" in said
    # --workspace always wins
    assert choose_workspace(two, None, cwd, [one / "x"]) == (two.resolve(), None)


def test_paths_in_the_working_directory_s_project_and_another_keep_its_dependents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check platform/manifest.yaml ../b/platform/manifest.yaml` from repository a: a's own
    manifest's dependents are searched for in a, as they were. The other project's root was
    taken for every path, and a's failing dependent passed unseen (a forged pass, exit 0)."""
    _project(tmp_path / "a", ".git")
    write_files(tmp_path / "b", {"platform/manifest.yaml": ENTERPRISE})
    (tmp_path / "b/.git").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    run = run_cli("check", "--no-cache", "platform/manifest.yaml", "../b/platform/manifest.yaml")
    assert (run.code, run.stdout) == (1, FINDING.format(manifest="platform/manifest.yaml"))
    assert (
        f"floe-lint: note: dependents were searched for in {(tmp_path / 'a').resolve()}, the "
        "working directory's workspace, which does not hold every path given (pass "
        "--workspace to name another)\n"
    ) in run.stderr


@pytest.mark.parametrize("marker", [".git", ".floe-lint.yaml"])
def test_from_a_folder_of_no_project_a_project_below_it_is_searched_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: str
) -> None:
    """`cd ~ && floe-lint check work/repo/platform/manifest.yaml`: the home folder holds no .git
    and no config, so the search took all of it: every too-large floe.yaml of other trees was
    a possible dependent (FL001, a false error) and every tree under it was walked. The
    repository is searched, as from inside it."""
    _project(tmp_path / "work/repo", marker)
    write_files(tmp_path, {"junk/big/floe.yaml": LARGE})
    monkeypatch.chdir(tmp_path)  # no .git, no config above
    run = run_cli("check", "--no-cache", "work/repo/platform/manifest.yaml")
    finding = FINDING.replace("products/", "work/repo/products/")
    assert (run.code, run.stdout) == (
        1,
        finding.format(manifest="work/repo/platform/manifest.yaml"),
    ), run.stderr
    assert (
        f"floe-lint: note: dependents were searched for in {(tmp_path / 'work/repo').resolve()}, "
        "the project of the paths given (a folder holding .git or a floe-lint config), not the "
        "working directory's\n"
    ) in run.stderr


def test_from_a_folder_of_no_project_paths_of_none_or_of_two_keep_it(tmp_path: Path) -> None:
    for repo in ("one", "two"):
        (tmp_path / repo / "x").mkdir(parents=True)
        (tmp_path / repo / ".git").mkdir()
    (tmp_path / "loose").mkdir()
    one = tmp_path / "one"
    assert choose_workspace(None, None, tmp_path, [one / "x"])[0] == one.resolve()
    assert choose_workspace(None, None, tmp_path, []) == (tmp_path.resolve(), None)
    for paths in ([tmp_path / "loose"], [one / "x", tmp_path / "two/x"], [one, tmp_path / "loose"]):
        assert choose_workspace(None, None, tmp_path, paths) == (tmp_path.resolve(), None)
    # a working directory of a project keeps it, as before
    config = tmp_path / ".floe-lint.yaml"
    assert choose_workspace(None, config, tmp_path, [one / "x"]) == (tmp_path.resolve(), None)
