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
