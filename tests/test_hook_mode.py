"""`check --hook` directly (the real pre-commit runs are in test_precommit_hooks.py): files the
hook is handed that are not Floe's are skipped, never errors; named on the command line
without `--hook`, they are still reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

K8S = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
FILES = {
    "deploy/manifest.yaml": K8S,
    "package.json": '{"name": "web", "version": "1.0.0"}\n',
    "values.yaml": "platform: {replicas: 2}\n",
    "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
}


@pytest.fixture(autouse=True)
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, FILES)


def test_the_hook_skips_files_that_are_not_floes() -> None:
    run = run_cli("check", "--hook", "--format", "json", *FILES)
    assert run.code == 0, run.stdout
    assert run.findings == []
    assert run.report["summary"]["files"] == 1  # platform/manifest.yaml


def test_a_walk_skips_a_kubernetes_manifest_yaml() -> None:
    run = run_cli("check", ".", "--format", "json")
    assert run.code == 0, run.stdout
    assert run.findings == []


def test_named_without_hook_it_is_still_reported() -> None:
    run = run_cli("check", "deploy/manifest.yaml", "--format", "json")
    [finding] = run.named("no-floe-document")
    assert (finding["file"], finding["line"], finding["column"]) == ("deploy/manifest.yaml", 1, 1)
    named = run_cli("check", "package.json", "--format", "json")
    assert [f["name"] for f in named.findings] == ["no-floe-document"]
