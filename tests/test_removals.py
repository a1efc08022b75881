"""`check --hook` follows only the manifests a commit deletes or renames (lint/removals.py):
a staged edit, an added file or a deleted file that is not YAML or JSON brings in no former
dependents and no "deleted in this commit" (issue 20: a mutation run found that filter
unguarded)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli

MANIFEST = "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
PRODUCT = "name: o\nplatform: {ref: platform/manifest.yaml}\ntransforms: [{type: dbt, path: m/}]\n"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=ENV)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _git(tmp_path, "init", "-q")
    (tmp_path / "platform").mkdir()
    (tmp_path / "platform/manifest.yaml").write_text(MANIFEST)
    (tmp_path / "floe.yaml").write_text(PRODUCT)
    (tmp_path / "platform/NOTES.md").write_text("notes\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "init")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_staged_edit_of_a_manifest_is_no_removal(repo: Path) -> None:
    (repo / "platform/manifest.yaml").write_text(MANIFEST.replace("[duckdb]", "[duckdb, spark]"))
    (repo / "platform/new.yaml").write_text(MANIFEST)
    _git(repo, "add", "-A")
    _git(repo, "rm", "-q", "platform/NOTES.md")
    run = run_cli("check", "--hook", "platform/manifest.yaml", "platform/new.yaml")
    assert (run.code, run.stdout) == (0, "")
    assert run.stderr == (
        "floe-lint: no problems (3 files checked, 1 of them dependent of the changed manifests)\n"
    )


def test_a_deleted_manifest_brings_in_the_product_that_named_it(repo: Path) -> None:
    _git(repo, "rm", "-q", "platform/manifest.yaml")
    run = run_cli("check", "--hook")
    assert run.code == 1
    assert run.stdout.startswith("floe.yaml:2:17: ERROR FL301 [unresolved-ref]"), run.stdout
    assert "platform/manifest.yaml is deleted in this commit" in run.stderr
