"""A suppression comment in a per-environment file silences its finding whether the folder or
only its base file is checked (the pre-commit hook hands a staged floe.yaml alone, and its
floe.prod.yaml is compared beside it): `check floe.yaml` reported what `check .` silenced."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

FILES = {
    "manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
    "floe.yaml": (
        "name: p\nplatform: {ref: manifest.yaml}\n"
        "transforms:\n  - {type: dbt, path: models/x/, compute: spark}\n"
    ),
}
FINDING = (
    "floe.prod.yaml:2:32: ERROR FL401 [environment-override] a per-environment file changes "
    "the compute; a transform must run on the same compute in every environment (ADR-0010)\n"
)


@pytest.mark.parametrize("given", [".", "floe.yaml"])
def test_a_suppression_in_the_per_environment_file_holds_when_its_base_is_checked_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    monkeypatch.chdir(tmp_path)
    overlay = "transforms:\n  - {path: models/x/, compute: duckdb}"
    write_files(tmp_path, {**FILES, "floe.prod.yaml": overlay + "\n"})
    run = run_cli("check", given)
    assert (run.code, run.stdout) == (1, FINDING)
    comment = "  # floe-lint: disable=FL401 -- pilot, OPS-7\n"
    write_files(tmp_path, {"floe.prod.yaml": overlay + comment})
    run = run_cli("check", given)
    assert (run.code, run.stdout) == (0, ""), run.stdout
    assert "1 suppressed not shown" in run.stderr, run.stderr
