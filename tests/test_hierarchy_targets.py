"""Why a ref's target is no manifest (hierarchy._not_a_manifest), for a target the run does not
report on its own: a valid YAML file of something else is "not a Floe manifest", broken YAML is
placed by line and column, and nothing of either is quoted (issue 20: a mutation run found the
first case unguarded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

PRODUCT = (
    "name: p\nplatform: {ref: ../other/config.yaml}\ntransforms: [{type: dbt, path: models/a/}]\n"
)
SAID = "p/floe.yaml:2:17: ERROR FL301 [unresolved-ref] platform.ref '../other/config.yaml' resolves to other/config.yaml, but "


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("token: s3cr3t\n", "it is not a Floe manifest"),
        (
            "token: [s3cr3t\n",
            "it is not valid YAML (line 1, column 15; lint it on its own to see why)",
        ),
    ],
)
def test_a_target_that_is_no_manifest_is_named_without_its_content(
    target: str, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"other/config.yaml": target, "p/floe.yaml": PRODUCT})
    run = run_cli("check", "--no-cache", "p/floe.yaml")
    assert (run.code, run.stdout.splitlines()) == (1, [SAID + why])
    assert "s3cr3t" not in run.stdout + run.stderr
