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


def test_the_run_s_files_are_resolved_only_for_a_finding_in_a_per_environment_file(
    tmp_path: Path,
) -> None:
    """Reading the suppressions of per-environment files outside the run resolved every file of
    the run for each run (a `Path` each: 10 MB of peak memory at 30,000 products with the result
    cache on, issue 17); they are resolved only when a finding lies in such a file."""
    import tracemalloc

    from floe_lint.findings import Finding, Location, Span
    from floe_lint.lint.filtering import _overlay_directives
    from floe_lint.load.document import SourceFile

    def peak(folder: str, finding_in: str) -> int:
        files = [SourceFile(tmp_path / folder / f"p{n:05}" / "floe.yaml", "") for n in range(3000)]
        place = Location(tmp_path / folder / "p00000" / finding_in, Span(1, 1, 1, 2))
        findings = [Finding("FL201", "compute-not-approved", "error", "x", place)]
        tracemalloc.start()
        try:
            assert _overlay_directives(findings, files) == []
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # (a floe.prod.yaml that is not there: read as an empty file, no directive)
    assert peak("a", "floe.prod.yaml") > 300_000  # the 3,000 files resolved: what is measured
    assert peak("b", "floe.yaml") < 30_000
