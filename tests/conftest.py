"""Shared helpers: write YAML files into a temporary folder and lint it in-process."""

from __future__ import annotations

import io
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from floe_lint.cli import main

REPO = Path(__file__).resolve().parent.parent
# An enterprise manifest that many tests build hierarchies under.
ENTERPRISE = """
scope: enterprise
metadata: {name: acme}
plugins:
  compute:
    approved: [duckdb, spark, snowflake]
    default: duckdb
"""

EXAMPLES = REPO / "examples"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    @property
    def findings(self) -> list[dict[str, Any]]:
        return self.report["findings"]

    def named(self, name: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["name"] == name]


def run_cli(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """lint({"floe.yaml": "...", ...}, *extra_args) -> Run with a JSON report, cwd = tmp_path."""
    monkeypatch.chdir(tmp_path)

    def _lint(files: dict[str, str], *args: str) -> Run:
        write_files(tmp_path, files)
        return run_cli("check", ".", "--format", "json", *args)

    return _lint
