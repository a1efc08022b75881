"""Microsoft's SARIF validator with GitHub's ingestion rules accepts every kind of log we write.

`scripts/test` installs the npm package `@microsoft/sarif-multitool-linux` into `.cache/npm`;
a missing validator fails this test. A deliberately broken log proves the validator applies
GitHub's rules.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, REPO, run_cli, write_files
from tests.test_sarif_report import MANIFEST, PRODUCT, sarif_of

MULTITOOL = Path(
    os.environ.get("SARIF_MULTITOOL")
    or REPO / ".cache/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
)


def _multitool() -> Path:
    assert MULTITOOL.is_file() and os.access(MULTITOOL, os.X_OK), (
        f"SARIF multitool missing at {MULTITOOL}; scripts/test installs it"
    )
    return MULTITOOL


def _logs(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    """One log of each shape: every rule, suppressed, baselined, downgraded, clean."""
    logs: dict[str, dict[str, Any]] = {}
    monkeypatch.chdir(EXAMPLES / "broken")  # its config keeps it offline
    logs["broken"] = sarif_of(".")
    logs["broken-suppressed"] = sarif_of(
        ".", "--include-suppressed", "--sarif-category", "floe/broken"
    )
    project = tmp / "project"
    write_files(project, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    monkeypatch.chdir(project)
    assert run_cli("check", ".", "--write-baseline", "baseline.json").code == 0
    logs["baselined"] = sarif_of(".", "--baseline", "baseline.json", "--include-suppressed")
    (project / ".floe-lint.yaml").write_text("severity: {FL201: note}\n", "utf-8")
    logs["downgraded"] = sarif_of(".")
    (project / "floe.yaml").write_text(PRODUCT.replace("snowflake", "spark"), "utf-8")
    logs["clean"] = sarif_of(".")
    return logs


def _validate(files: list[Path], out: Path) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [
            str(_multitool()),
            "validate",
            *map(str, files),
            "--rule-kind",
            "Gh;Sarif",
            "--output",
            str(out),
            "--log",
            "ForceOverwrite",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(out.read_text("utf-8-sig"))
    found: list[dict[str, Any]] = report["runs"][0].get("results", [])
    return found


def test_multitool_with_github_rules_accepts_every_log(tmp_path: Path, monkeypatch) -> None:
    _multitool()
    logs = _logs(tmp_path, monkeypatch)
    files = []
    for name, log in logs.items():
        path = tmp_path / f"{name}.sarif"
        path.write_text(json.dumps(log, indent=2), "utf-8")
        files.append(path)
    # Negative control: GitHub requires result locations; the validator must say so.
    broken = json.loads(json.dumps(logs["broken"]))
    del broken["runs"][0]["results"][0]["locations"]
    control = tmp_path / "control.sarif"
    control.write_text(json.dumps(broken), "utf-8")

    found = _validate([*files, control], tmp_path / "validation.sarif")

    def file_of(result: dict[str, Any]) -> str:
        uri: str = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        return uri.rsplit("/", 1)[-1]

    errors = [r for r in found if r.get("level", "warning") == "error"]
    ours = [
        f"{file_of(r)}: {r['ruleId']} {r['message']}" for r in errors if "control" not in file_of(r)
    ]
    assert ours == []
    assert {r["ruleId"] for r in errors if file_of(r) == "control.sarif"} & {
        "GH1015",
        "GH1017",
        "GH2012",
    }
