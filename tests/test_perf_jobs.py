"""`check --jobs N` parses in worker processes and must not change a single byte of output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from floe_lint.load import bulk
from tests.conftest import REPO

# one xdist worker runs this module: its corpus is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_perf_jobs")


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "floe_lint", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("perf") / "repo"
    made = generate(root, products=80, seed=11)
    assert made.violations, "the corpus must carry violations for the comparison to mean much"
    # A file that does not parse and a duplicate key: problems found while loading.
    (root / "products" / "sales" / "broken").mkdir()
    (root / "products" / "sales" / "broken" / "floe.yaml").write_text("transforms: [\n")
    (root / "platform" / "dup.manifest.yaml").write_text(
        "plugins: {compute: {approved: [duckdb], default: duckdb}}\nplugins: {}\n"
    )
    return root


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_parallel_output_is_identical_to_serial(corpus: Path, fmt: str) -> None:
    serial = check(".", "--format", fmt, "--jobs", "1", cwd=corpus)
    parallel = check(".", "--format", fmt, "--jobs", "3", cwd=corpus)
    assert serial.returncode == 1, serial.stderr
    assert "yaml-syntax" in serial.stdout and "duplicate-key" in serial.stdout
    assert (parallel.returncode, parallel.stdout, parallel.stderr) == (
        serial.returncode,
        serial.stdout,
        serial.stderr,
    )


def test_default_run_matches_serial_on_a_large_input(tmp_path: Path) -> None:
    generate(tmp_path / "repo", products=bulk.PARALLEL_FROM, seed=3)
    assert bulk.jobs_for(bulk.PARALLEL_FROM + 11, None) == bulk.cores()
    default = check("repo", "--format", "json", cwd=tmp_path)
    serial = check("repo", "--format", "json", "-j", "1", cwd=tmp_path)
    assert default.returncode == serial.returncode == 1
    assert default.stdout == serial.stdout


def test_load_all_returns_what_serial_loading_returns(corpus: Path) -> None:
    paths = sorted(corpus.rglob("*.yaml"))[:40]
    parallel = bulk.load_all(paths, jobs=2)
    serial = bulk.load_all(paths, jobs=1)
    assert [(s.path, s.text, s.problems) for s in parallel] == [
        (s.path, s.text, s.problems) for s in serial
    ]
    assert [[d.data for d in s.documents] for s in parallel] == [
        [d.data for d in s.documents] for s in serial
    ]


def test_small_inputs_stay_in_one_process() -> None:
    assert bulk.jobs_for(3, None) == 1
    assert bulk.jobs_for(bulk.PARALLEL_FROM - 1, None) == 1
    assert bulk.jobs_for(3, 4) == 3  # never more processes than files


@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_jobs_must_be_a_positive_number(value: str) -> None:
    result = check(".", f"--jobs={value}", cwd=REPO)
    assert result.returncode == 2
    assert f"expected a number of processes, got '{value}'" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_worker_processes_files_are_parsed_in_this_process(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    class NoProcesses:  # what a sandbox without POSIX semaphores does
        def __init__(self, *args: object) -> None:
            raise OSError(38, "Function not implemented")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoProcesses)
    paths = sorted(corpus.rglob("*.yaml"))[:5]
    loaded = bulk.load_all(paths, jobs=2)
    assert [s.path for s in loaded] == paths
    assert all(s.documents or s.problems for s in loaded)
