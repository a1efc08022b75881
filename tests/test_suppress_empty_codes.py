"""A suppression comment whose list of codes is empty, or ends in an empty code, is not a
suppression (suppressions._parse_at): it silences nothing and is not reported as naming a rule
'' (issue 20: a mutation run found that line unguarded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files


@pytest.mark.parametrize("codes", ["", "FL201,", " , FL201"])
def test_an_empty_code_makes_no_suppression(
    codes: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    manifest = f"plugins: {{compute: {{approved: [duckdb], default: duckdb}}}}  # floe-lint: disable={codes}\n"
    write_files(tmp_path, {"manifest.yaml": manifest})
    run = run_cli("check", "--no-cache", ".")
    assert (run.code, run.stdout) == (0, "")
    assert run.stderr == "floe-lint: no problems (1 file checked)\n"
