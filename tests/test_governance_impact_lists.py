"""`impact` on a plugin whitelist: allowing more is weaker, allowing less is stronger, and
swapping one name for another is a change, neither (issue 20: a mutation run found the last
case unguarded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files
from tests.test_impact import git

ENTERPRISE = """
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
approved_plugins: {orchestrator: [dagster, airflow]}
"""


@pytest.mark.parametrize(
    ("after", "summary", "change"),
    [
        ("[dagster, prefect]", "1 (0 weaker)", "dagster, prefect (enterprise 'acme'): changed"),
        ("[dagster]", "1 (0 weaker)", "dagster (enterprise 'acme'): stronger"),
        (
            "[dagster, airflow, prefect]",
            "1 (1 weaker)",
            "dagster, airflow, prefect (enterprise 'acme'): weaker",
        ),
    ],
)
def test_a_whitelist_edit_is_weaker_stronger_or_changed(
    after: str, summary: str, change: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {"manifest.yaml": ENTERPRISE})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    write_files(tmp_path, {"manifest.yaml": ENTERPRISE.replace("[dagster, airflow]", after)})
    monkeypatch.chdir(tmp_path)
    assert run_cli("impact", "manifest.yaml").stdout.splitlines()[-3:] == [
        f"governance that changes: {summary}",
        "  manifest.yaml (enterprise 'acme')",
        f"    approved_plugins.orchestrator: dagster, airflow (enterprise 'acme') -> {change}",
    ]
