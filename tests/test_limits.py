"""Limits that two places must agree on: the baseline's size, and how many processes run."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.lint import baseline
from floe_lint.load import bulk
from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"


def _products(root: Path, count: int) -> None:
    files = {"manifest.yaml": MANIFEST}
    for n in range(count):
        files[f"p{n}/floe.yaml"] = (
            f"name: p{n}\nplatform: {{ref: ../manifest.yaml}}\n"
            "transforms: [{path: m/, compute: spark}]\n"
        )
    write_files(root, files)


def test_write_baseline_refuses_what_baseline_would_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _products(tmp_path, 12)
    monkeypatch.setattr(baseline, "MAX_BASELINE_BYTES", 2000)
    run = run_cli("check", ".", "--write-baseline", "b.json")
    assert run.code == 2
    assert not (tmp_path / "b.json").exists()
    assert "b.json: not written: 12 findings make a baseline of " in run.stderr
    assert "more than the 2000 bytes --baseline reads" in run.stderr


def test_a_written_baseline_near_the_limit_is_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compact form is written when the indented one would not fit, and it is accepted."""
    monkeypatch.chdir(tmp_path)
    _products(tmp_path, 6)
    assert run_cli("check", ".", "--write-baseline", "wide.json").code == 0
    indented = (tmp_path / "wide.json").stat().st_size
    monkeypatch.setattr(baseline, "MAX_BASELINE_BYTES", indented - 1)
    assert run_cli("check", ".", "--write-baseline", "b.json").code == 0
    assert (tmp_path / "b.json").stat().st_size < indented
    run = run_cli("check", ".", "--baseline", "b.json")
    assert run.code == 0, run.stderr
    monkeypatch.setattr(baseline, "MAX_BASELINE_BYTES", (tmp_path / "b.json").stat().st_size - 1)
    refused = run_cli("check", ".", "--baseline", "b.json")
    assert refused.code == 2
    assert "b.json: cannot read baseline" in refused.stderr


@settings(max_examples=200, deadline=None)
@given(files=st.integers(0, 100_000), requested=st.integers(1, 10**12))
def test_jobs_never_exceed_the_files_nor_the_maximum(files: int, requested: int) -> None:
    jobs = bulk.jobs_for(files, requested)
    assert 1 <= jobs <= bulk.MAX_JOBS
    assert jobs <= max(1, files)


def test_a_huge_jobs_value_runs_as_one_process_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _products(tmp_path, 2)
    run = run_cli("check", ".", "--jobs", "100000000", "--format", "json")
    assert run.code == 1
    assert [(f["file"], f["line"]) for f in run.named("compute-not-approved")] == [
        ("p0/floe.yaml", 3),
        ("p1/floe.yaml", 3),
    ]
    assert bulk.jobs_for(3, 100_000_000) == 3
