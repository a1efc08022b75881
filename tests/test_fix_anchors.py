"""A safe fix never deletes an anchor: a repeated compute entry written `&s2 spark`, whose
anchor `default: *s2` names, stays (the finding has no fix). Before, `check --fix` deleted the
entry and left `*s2` naming nothing: the manifest was no YAML any more (a `yaml-syntax` error
the fix made, and every product below it unresolved)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

BLOCK = """\
scope: enterprise
plugins:
  compute:
    approved:
      - duckdb
      - &s spark
      - &s2 spark
    default: *s2
"""
FLOW = "scope: enterprise\nplugins:\n  compute:\n    approved: [duckdb, spark, &x spark]\n    default: *x\n"
FINDING = (
    "manifest.yaml:{place}: ERROR FL206 [duplicate-compute] compute 'spark' is approved twice; "
    "only the first entry is used\n"
)


@pytest.mark.parametrize(("text", "place"), [(BLOCK, "7:9"), (FLOW, "4:31")])
def test_a_repeated_entry_holding_an_anchor_is_not_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, place: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "manifest.yaml").write_text(text)
    run = run_cli("check", ".", "--fix")
    assert (run.code, run.stdout) == (1, FINDING.format(place=place))
    assert run.stderr.splitlines()[-1] == "floe-lint: nothing fixed"
    assert (tmp_path / "manifest.yaml").read_text() == text


def test_a_repeated_entry_without_one_still_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "manifest.yaml").write_text(BLOCK.replace("&s2 ", "").replace("*s2", "*s"))
    run = run_cli("check", ".", "--fix")
    assert (run.code, run.stdout) == (0, "")
    assert (tmp_path / "manifest.yaml").read_text() == BLOCK.replace(
        "      - &s2 spark\n", ""
    ).replace("*s2", "*s")
