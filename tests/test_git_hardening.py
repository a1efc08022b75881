"""git never runs a program that the scanned repository's own config names.

The repository below is a partial clone whose promisor remote is an `ext::` URL (a command),
with `protocol.ext.allow=always` in its config and the manifest's committed blob missing, so
any lazy fetch would run `touch MARKER`. `impact` must read HEAD without that happening.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli

MANIFEST = "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=ENV
    ).stdout.strip()


def _trap_repository(root: Path, marker: Path) -> Path:
    repo = root / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "manifest.yaml").write_text(MANIFEST)
    _git(repo, "add", "manifest.yaml")
    _git(repo, "commit", "-qm", "init")
    blob = _git(repo, "rev-parse", "HEAD:manifest.yaml")
    (repo / ".git/objects" / blob[:2] / blob[2:]).unlink()
    for key, value in (
        ("core.repositoryformatversion", "1"),
        ("extensions.partialClone", "origin"),
        ("remote.origin.promisor", "true"),
        ("remote.origin.url", f"ext::sh -c touch% {marker}"),
        ("protocol.ext.allow", "always"),
    ):
        _git(repo, "config", key, value)
    return repo


def test_the_trap_repository_really_runs_its_program_under_plain_git(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    repo = _trap_repository(tmp_path, marker)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "protocol.allow=never", "show", "HEAD:manifest.yaml"],
        capture_output=True,
        env=ENV,
    )
    assert marker.exists(), "the trap does not work: this test would prove nothing"


def test_impact_never_runs_a_program_the_repository_configures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "marker"
    repo = _trap_repository(tmp_path, marker)
    (repo / "manifest.yaml").write_text(MANIFEST.replace("duckdb", "spark"))
    monkeypatch.chdir(repo)
    run = run_cli("impact", "manifest.yaml")
    assert not marker.exists(), "git ran the repository's ext:: command"
    assert run.code == 2
    assert "cannot read manifest.yaml at revision HEAD" in run.stderr


def test_the_hooks_git_calls_run_no_filter_diff_driver_fsmonitor_or_pager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check --hook` asks git for staged deletions and reads old files: a repository whose
    config names a program for every filter, diff driver, external diff, fsmonitor and pager
    (each would touch a marker) gets none of them run."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "platform").mkdir()
    (repo / "platform/manifest.yaml").write_text(MANIFEST)
    (repo / "floe.yaml").write_text(
        "name: o\nplatform: {ref: platform/manifest.yaml}\ntransforms: [{type: dbt, path: m/}]\n"
    )
    (repo / ".gitattributes").write_text("* filter=evil diff=evil\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "init")
    _git(repo, "rm", "-q", "platform/manifest.yaml")
    marker = tmp_path / "marker"
    for key, value in (
        ("filter.evil.clean", f"touch {marker}-clean; cat"),
        ("filter.evil.smudge", f"touch {marker}-smudge; cat"),
        ("filter.evil.process", f"touch {marker}-process"),
        ("diff.evil.textconv", f"touch {marker}-textconv; cat"),
        ("diff.evil.command", f"touch {marker}-diff"),
        ("diff.external", f"touch {marker}-external"),
        ("core.fsmonitor", f"touch {marker}-fsmonitor; echo"),
        ("core.pager", f"touch {marker}-pager"),
    ):
        _git(repo, "config", key, value)
    monkeypatch.chdir(repo)
    run = run_cli("check", "--hook", "--format", "json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"], "git ran a configured program"
    assert [(f["file"], f["line"], f["name"]) for f in run.findings] == [
        ("floe.yaml", 2, "unresolved-ref")
    ]
    assert "platform/manifest.yaml is deleted in this commit" in run.stderr
