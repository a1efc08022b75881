"""`check --hook` checks the Floe files of a submodule whose commit the commit adds or moves.

pre-commit hands the hook the staged files, and a submodule's new commit is no file of the
superproject (a gitlink): a commit moving `products/vendor` to a commit whose floe.yaml selects
a compute the platform does not approve reached the hook with nothing to check and passed
(exit 0), and so did adding such a submodule. Likewise a staged symbolic link of a Floe name
(identify tags it `symlink`, never `yaml`). Real git and a real submodule below."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from floe_lint.cli import main
from tests.conftest import run_cli

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = (
    "name: vendor\nversion: 1.0.0\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: duckdb}]\n"
)
FINDING = (
    "products/vendor/floe.yaml:4:52: ERROR FL201 [compute-not-approved] transform 'models/a/' "
    "selects compute 'spark', which platform manifest manifest.yaml does not approve (no level "
    "of the hierarchy approves it); approved: duckdb\n"
)
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "protocol.file.allow",
    "GIT_CONFIG_VALUE_0": "always",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=ENV)


@pytest.fixture
def vendor(tmp_path: Path) -> Path:
    """The product's own repository."""
    repo = tmp_path / "vendor"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "floe.yaml").write_text(PRODUCT, "utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "v1")
    return repo


@pytest.fixture
def superproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "platform-repo"
    (repo / "platform").mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "platform/manifest.yaml").write_text(MANIFEST, "utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "init")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")  # (`run_git` inherits it: a local submodule)
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "protocol.file.allow")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "always")
    return repo


def _spark(vendor: Path) -> None:
    (vendor / "floe.yaml").write_text(PRODUCT.replace("compute: duckdb", "compute: spark"))
    _git(vendor, "commit", "-qam", "v2")


def test_a_submodule_moved_to_a_commit_with_an_unapproved_compute_is_refused(
    superproject: Path, vendor: Path
) -> None:
    _git(superproject, "submodule", "add", "-q", str(vendor), "products/vendor")
    _git(superproject, "commit", "-qm", "vendor v1")
    assert run_cli("check", "--no-cache", "--hook").code == 0
    _spark(vendor)
    _git(superproject / "products/vendor", "pull", "-q", "origin")
    _git(superproject, "add", "products/vendor")
    run = run_cli("check", "--no-cache", "--hook")
    assert (run.code, run.stdout) == (1, FINDING)
    assert run.stderr.startswith(
        "floe-lint: the submodule products/vendor moves to another commit; checking its files\n"
    )


def test_a_submodule_added_with_an_unapproved_compute_is_refused(
    superproject: Path, vendor: Path
) -> None:
    _spark(vendor)
    _git(superproject, "submodule", "add", "-q", str(vendor), "products/vendor")
    run = run_cli("check", "--no-cache", "--hook")  # (.gitmodules is no YAML: not handed over)
    assert (run.code, run.stdout) == (1, FINDING)


def test_a_commit_that_moves_no_submodule_checks_nothing_more(
    superproject: Path, vendor: Path
) -> None:
    _git(superproject, "submodule", "add", "-q", str(vendor), "products/vendor")
    _git(superproject, "commit", "-qm", "vendor v1")
    _spark(vendor)
    _git(superproject / "products/vendor", "pull", "-q", "origin")  # (not staged)
    (superproject / "notes.txt").write_text("x", "utf-8")
    _git(superproject, "add", "notes.txt")
    out, err = io.StringIO(), io.StringIO()  # (not run_cli: the work tree's vendor does not
    code = main(["check", "--no-cache", "--hook"], out, err)  # compile, and is not committed)
    assert (code, out.getvalue()) == (0, "")
    assert "submodule" not in err.getvalue()


@pytest.mark.parametrize("how", ["added", "a file turned into a link"])
def test_a_staged_link_of_a_floe_name_is_checked(
    superproject: Path, how: str, tmp_path: Path
) -> None:
    """`products/c/floe.yaml -> ../../.templates/c.tmpl`: neither the link (a symlink to
    identify) nor its target (no YAML name) is handed over, so the hook checked nothing and
    passed, while Floe reads the product through the link."""
    from identify import identify

    (superproject / ".templates").mkdir()
    (superproject / ".templates/c.tmpl").write_text(
        PRODUCT.replace("../../platform", "../platform").replace("duckdb}", "spark}"), "utf-8"
    )
    link = superproject / "products/c/floe.yaml"
    link.parent.mkdir(parents=True)
    if how != "added":
        link.write_text(PRODUCT.replace("vendor", "c"), "utf-8")
        _git(superproject, "add", "-A")
        _git(superproject, "commit", "-qm", "c")
        link.unlink()
    link.symlink_to("../../.templates/c.tmpl")
    _git(superproject, "add", "-A")
    assert identify.tags_from_path(str(link)) == {"symlink"}
    run = run_cli("check", "--no-cache", "--hook")
    assert (run.code, run.stdout) == (
        1,
        FINDING.replace("products/vendor/floe.yaml", ".templates/c.tmpl"),
    ), run.stderr


def test_a_staged_link_out_of_the_repository_is_not_read(
    superproject: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2-secret\n", "utf-8")
    link = superproject / "products/c/floe.yaml"
    link.parent.mkdir(parents=True)
    link.symlink_to(secret)
    _git(superproject, "add", "-A")
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--no-cache", "--hook"], out, err)
    assert (code, out.getvalue()) == (0, "")
    assert "hunter2" not in err.getvalue()


def test_a_staged_target_of_a_committed_link_is_checked_through_the_link(
    superproject: Path,
) -> None:
    """`products/c/floe.yaml -> ../../.templates/c.tmpl` committed; the commit changes only
    the target (no YAML name: not handed over, nor the link, which does not change). Floe
    reads the product through the link, so the hook checks it; before, it passed (exit 0)."""
    (superproject / ".templates").mkdir()
    template = superproject / ".templates/c.tmpl"
    template.write_text(PRODUCT.replace("../../platform", "../platform"), "utf-8")
    link = superproject / "products/c/floe.yaml"
    link.parent.mkdir(parents=True)
    link.symlink_to("../../.templates/c.tmpl")
    (superproject / "products/d.tmpl").write_text("not linked\n", "utf-8")
    _git(superproject, "add", "-A")
    _git(superproject, "commit", "-qm", "c")
    template.write_text(template.read_text("utf-8").replace("duckdb}", "spark}"), "utf-8")
    (superproject / "products/d.tmpl").write_text("still not linked\n", "utf-8")
    _git(superproject, "add", ".templates/c.tmpl", "products/d.tmpl")
    run = run_cli("check", "--no-cache", "--hook")
    assert (run.code, run.stdout) == (
        1,
        FINDING.replace("products/vendor/floe.yaml", ".templates/c.tmpl"),
    ), run.stderr
    _git(superproject, "commit", "-qm", "spark")
    (superproject / "products/d.tmpl").write_text("again\n", "utf-8")
    _git(superproject, "add", "products/d.tmpl")  # (a file no link leads to: nothing more)
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--no-cache", "--hook"], out, err)
    assert (code, out.getvalue()) == (0, ""), err.getvalue()
