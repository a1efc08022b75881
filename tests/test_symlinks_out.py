"""The workspace scan does not leave the workspace through symbolic links; a link named on the
command line is read, and the output says where it leads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

OUTSIDE = """
plugins:
  compute:
    approved: [duckdb]
    default: OUTSIDE-SECRET-VALUE
"""
INSIDE = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_files(tmp_path, {"outside/manifest.yaml": OUTSIDE, "ws/platform/manifest.yaml": INSIDE})
    ws = tmp_path / "ws"
    (ws / ".git").mkdir()  # the workspace is the git root
    os.symlink(tmp_path / "outside/manifest.yaml", ws / "platform/other.manifest.yaml")
    os.symlink(tmp_path / "outside", ws / "linked-folder")
    os.symlink("manifest.yaml", ws / "platform/alias.manifest.yaml")  # stays inside
    monkeypatch.chdir(ws)
    return ws


def test_a_folder_walk_never_follows_a_link_out_of_it(workspace: Path) -> None:
    run = run_cli("check", ".", "--format", "json")
    assert run.code == 0, run.stdout
    assert "OUTSIDE-SECRET-VALUE" not in run.stdout + run.stderr
    assert run.report["summary"]["files"] == 1  # manifest.yaml (the link inside is the same file)


def test_a_link_named_on_the_command_line_is_read_and_said(workspace: Path) -> None:
    run = run_cli("check", "platform/other.manifest.yaml", "--format", "json")
    assert run.code == 1
    [finding] = run.named("default-not-approved")
    assert (finding["file"], finding["line"]) == ("../outside/manifest.yaml", 4)
    target = (workspace.parent / "outside/manifest.yaml").resolve()
    assert (
        f"floe-lint: platform/other.manifest.yaml is a symbolic link to {target}, outside the "
        f"workspace {workspace.resolve()}; it is read because it was named on the command line"
    ) in run.stderr


def test_discovery_skips_hidden_and_build_folders_unless_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the README lists as skipped is skipped, and naming the folder lints it."""
    bad = "plugins: {compute: {approved: [duckdb], default: spark}}\n"
    skipped = [".platform", "node_modules/x", "target", "dbt_packages/p", "venv", "__pycache__"]
    write_files(tmp_path, {f"{folder}/manifest.yaml": bad for folder in skipped})
    monkeypatch.chdir(tmp_path)
    assert run_cli("check", ".", "--format", "json").report["summary"]["files"] == 0
    for folder in skipped:
        run = run_cli("check", folder, "--format", "json")
        assert [(f["file"], f["name"]) for f in run.findings] == [
            (f"{folder}/manifest.yaml", "default-not-approved")
        ], folder
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    for name in ("`node_modules/`", "`target/`", "`dbt_packages/`", "`__pycache__/`", "`venv/`"):
        assert name in readme
