"""The result cache's trust boundary: nothing that is linted chooses where results come from.

The cache folder comes from the environment only (`FLOE_LINT_CACHE_DIR`, else `XDG_CACHE_HOME`
or the home folder): no config file, manifest or product can name it. A folder that lies inside
the checkout being linted (the git work tree of the working directory or of a path given (a
file's too), a folder given, or the workspace walked) is not used, and the run says so: a pull request could commit a
store there that replays a pass. The stores below are real ones, edited as an attacker would
commit them.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from floe_lint.lint import cache, hook_run
from floe_lint.lint import whole as whole_run
from tests.conftest import check, write_files

FILES = {
    "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
    "products/a/floe.yaml": "name: a\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: spark}]\n",
}
FINDING = (
    "products/a/floe.yaml:3:52: ERROR FL201 [compute-not-approved] transform 'models/a/' "
    "selects compute 'spark', which platform manifest manifest.yaml does not approve (no level "
    "of the hierarchy approves it); approved: duckdb"
)


def note(folder: Path, checkout: Path) -> str:
    return (
        f"floe-lint: note: the result cache {folder} is inside the checkout {checkout}, where "
        f"the files linted could plant results: not used (set {cache.CACHE_ENV} to a folder "
        "outside it, or pass --no-cache)\n"
    )


def forge(folder: Path) -> None:
    """Every stored finding removed (a forged pass), and the whole runs dropped."""
    for path in folder.glob("results-*.json"):
        if path.name.startswith(whole_run.PREFIX):
            path.unlink()
            continue
        data = json.loads(path.read_text("utf-8"))
        for entry in data["entries"].values():
            entry["f"] = []
            entry.pop("loc", None)
        store = cache.Store(folder, path.stem.removeprefix("results-"))
        store.written = data["entries"]  # (written as the cache writes a store: it is read)
        store.save()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    root = tmp_path / "ws"
    write_files(root, FILES)
    monkeypatch.chdir(root)
    return root


def test_a_store_planted_in_the_checkout_is_not_replayed(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache folder of the environment lies inside the repository (as a CI job that keeps
    `XDG_CACHE_HOME` in its project folder would have it); the repository holds a store that
    clears every finding. The run checks the files and writes nothing there."""
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(workspace / ".cache"))
    folder = workspace / ".cache" / "floe-lint"
    # the store, made by a real run with the folder trusted (as elsewhere), then forged
    with monkeypatch.context() as trusted:
        trusted.setattr(cache, "checkout_holding", lambda *_args: None)
        assert check("products")[1].splitlines() == [FINDING]
        forge(folder)
        assert check("products")[:2] == (0, "")  # replayed: what a planted store would do
    subprocess.run(["git", "init", "-q"], cwd=workspace, check=True)
    planted = {p: p.read_bytes() for p in folder.glob("results-*.json")}
    run = check("products")
    assert run[:2] == (1, FINDING + "\n")
    assert run[2].startswith(note(folder, workspace) + "floe-lint: 1 error (2 files checked)\n")
    assert {p: p.read_bytes() for p in folder.glob("results-*.json")} == planted  # not written
    # from a folder given, as well as from the working directory's repository
    monkeypatch.chdir(workspace.parent)
    assert check(str(workspace / "products"))[0] == 1


def test_a_cache_folder_inside_a_folder_given_is_not_used(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No repository: the folder given to check is the tree linted."""
    folder = workspace / "products" / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    run = check("products")
    assert run[1].splitlines() == [FINDING]
    assert run[2].startswith(note(folder, workspace / "products"))
    assert not folder.exists()


@pytest.mark.parametrize("config", [False, True])
def test_a_cache_folder_inside_a_workspace_of_no_repository_is_not_used(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, config: bool
) -> None:
    """No repository and no folder given (a CI job on a tarball of the pull request, its
    `XDG_CACHE_HOME` in the project folder): the tree walked is the working directory, or the
    folder of the config file above it. Before, only a git work tree or a folder given counted,
    and a store committed at `.cache/floe-lint/` was replayed."""
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(workspace / ".cache"))
    folder = workspace / ".cache" / "floe-lint"
    if config:
        (workspace / ".floe-lint.yaml").write_text("exclude: []\n", "utf-8")
        monkeypatch.chdir(workspace / "products")
    run = check(str(workspace / "products" / "a" / "floe.yaml"))
    shown = FINDING if not config else FINDING.replace("products/a/", "a/", 1)
    assert run[1].splitlines() == [shown]
    assert run[2].startswith(note(folder, workspace) + "floe-lint: 1 error (")
    assert not folder.exists()


def test_a_cache_folder_outside_the_checkout_is_used(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subprocess.run(["git", "init", "-q"], cwd=workspace, check=True)
    folder = workspace.parent / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    first = check(".")
    assert first[1].splitlines() == [FINDING]
    assert "note:" not in first[2]
    assert sorted(p.name.startswith(whole_run.PREFIX) for p in folder.glob("results-*.json")) == [
        False,
        True,
    ]
    assert check(".") == first


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".floe-lint.yaml", "cache-dir: .cache\n"),
        ("pyproject.toml", '[tool.floe-lint]\ncache-dir = ".cache"\n'),
    ],
)
def test_no_config_file_names_the_result_cache(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(workspace.parent / "cache"))
    (workspace / name).write_text(text, "utf-8")
    run = check(".")
    assert run == (
        2,
        "",
        f"floe-lint: error: {workspace / name}:{2 if name == 'pyproject.toml' else 1}:1: "
        "unknown key 'cache-dir' in the floe-lint config\n",
    )


def test_the_oci_cache_folder_of_a_config_holds_no_results(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`oci.cache-dir` moves where manifests fetched for `oci://` refs are kept, not results."""
    monkeypatch.setenv(cache.CACHE_ENV, str(workspace.parent / "cache"))
    (workspace / ".floe-lint.yaml").write_text("oci: {cache-dir: .oci}\nexclude: ['.oci/**']\n")
    check(".")
    assert (
        not list((workspace / ".oci").glob("results-*")) if (workspace / ".oci").exists() else True
    )
    assert len(list((workspace.parent / "cache").glob("results-*.json"))) == 2


def test_a_pre_commit_marker_is_not_kept_in_the_checkout(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The marker that tells the hook processes of one pre-commit run apart would hide the
    commit's removed manifests from the later ones: one in the checkout is never read."""
    subprocess.run(["git", "init", "-q"], cwd=workspace, check=True)
    monkeypatch.setenv("PRE_COMMIT", "1")
    monkeypatch.setenv(cache.CACHE_ENV, str(workspace / ".cache"))
    assert hook_run.first_of_run(workspace, "removed") is True
    assert hook_run.first_of_run(workspace, "removed") is True
    assert not (workspace / ".cache").exists()
    monkeypatch.setenv(cache.CACHE_ENV, str(workspace.parent / "cache"))
    assert hook_run.first_of_run(workspace, "removed") is True
    assert hook_run.first_of_run(workspace, "removed") is False  # outside: the same run
    assert os.listdir(workspace.parent / "cache" / "hook-runs")
    (workspace.parent / "cache").chmod(0o777)  # another user could plant the marker
    assert hook_run.first_of_run(workspace, "removed") is True


def test_a_store_planted_in_the_repository_of_a_file_given_is_not_replayed(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files are named one by one from outside the repository (as an editor or a script
    run from elsewhere names them): the repository that holds them is the checkout linted, so a
    store it commits where the environment keeps the cache is not replayed."""
    folder = workspace / ".cache" / "floe-lint"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    monkeypatch.chdir(workspace.parent)
    product = workspace / "products" / "a" / "floe.yaml"
    finding = "ws/" + FINDING + "\n"
    # the store a real run made with the folder trusted, then forged: what a pull request
    # would commit there
    with monkeypatch.context() as trusted:
        trusted.setattr(cache, "checkout_holding", lambda *_args: None)
        assert check(str(product))[:2] == (1, finding)
        forge(folder)
        assert check(str(product))[:2] == (0, "")  # replayed: what a planted store would do
    subprocess.run(["git", "init", "-q"], cwd=workspace, check=True)
    planted = {p: p.read_bytes() for p in folder.glob("results-*.json")}
    run = check(str(product))
    assert run[:2] == (1, finding)
    assert run[2].startswith(note(folder, workspace) + "floe-lint: 1 error (2 files checked)\n")
    assert {p: p.read_bytes() for p in folder.glob("results-*.json")} == planted


def shared_note(folder: Path, reason: str) -> str:
    return (
        f"floe-lint: note: the result cache {folder} {reason}, who could plant results there: "
        f"not used (set {cache.CACHE_ENV} to a folder of your own, or pass --no-cache)\n"
    )


@pytest.mark.parametrize("who", ["world-writable", "group-writable", "another owner"])
def test_a_store_another_user_could_plant_is_not_replayed(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, who: str
) -> None:
    """A cache folder that other users can write to (`FLOE_LINT_CACHE_DIR=/tmp/cache`, a home
    of `/tmp`) or that another user owns (and made first): whoever wrote a store there could
    replay a pass, so it is not read, nor written."""
    folder = workspace.parent / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    assert check("products")[1].splitlines() == [FINDING]
    forge(folder)
    assert check("products")[:2] == (0, "")  # replayed: what a planted store would do
    if who == "another owner":
        if os.geteuid() != 0:
            pytest.skip("only root can give a folder to another user")
        os.chown(folder, 65534, -1)
        reason = "is owned by another user (uid 65534)"
    else:
        mode = 0o777 if who == "world-writable" else 0o775
        folder.chmod(mode)
        if who == "group-writable":
            if os.geteuid() != 0:
                pytest.skip("only root can give a folder to another group")
            os.chown(folder, -1, 65534)  # a group that is not the user's own
        reason = f"can be written by other users (mode {mode:o})"
    planted = {p: p.read_bytes() for p in folder.glob("results-*.json")}
    run = check("products")
    assert run[:2] == (1, FINDING + "\n")
    assert run[2].startswith(shared_note(folder, reason) + "floe-lint: 1 error (2 files checked)\n")
    assert {p: p.read_bytes() for p in folder.glob("results-*.json")} == planted
    folder.chmod(0o775)  # writable by the user's own group (umask 002): the user's own
    os.chown(folder, os.geteuid(), os.getegid())
    assert check("products")[:2] == (0, "")  # trusted again
