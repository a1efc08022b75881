"""`--write-baseline` / `--baseline`: accepted findings stay quiet, new ones fail, stale entries show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

MANIFEST = """
plugins:
  compute:
    approved:
      - duckdb
      - spark
    default: duckdb
"""
PRODUCT = """
name: orders
platform: {ref: manifest.yaml}
transforms:
  - {type: dbt, path: models/x/, compute: snowflake}
  - {type: dbt, path: models/y/, compute: spark}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    assert run_cli("check", ".", "--write-baseline", "baseline.json").code == 0
    return tmp_path


def check(*args: str):  # type: ignore[no-untyped-def]
    return run_cli("check", ".", "--baseline", "baseline.json", "--format", "json", *args)


def test_written_baseline_is_keyed_on_rule_file_node_and_value_hash(project: Path) -> None:
    data = json.loads((project / "baseline.json").read_text("utf-8"))
    assert data["version"] == 2
    [entry] = data["findings"]
    assert entry["rule"] == "FL201" and entry["file"] == "floe.yaml"
    assert entry["node"] == '/transforms/[path="models/x/"]/compute'
    assert entry["pointer"] == "/transforms/0/compute"
    assert len(entry["hash"]) == 16
    assert "line" not in json.dumps(entry).replace("pipeline", "")


def test_baselined_findings_pass(project: Path) -> None:
    run = check()
    assert run.code == 0 and run.findings == []
    assert "stale" not in run.stderr


def test_moving_lines_does_not_resurrect_a_baselined_finding(project: Path) -> None:
    (project / "floe.yaml").write_text("# moved down\n\n\n" + PRODUCT.lstrip(), "utf-8")
    (project / "manifest.yaml").write_text("# header\n" + MANIFEST.lstrip(), "utf-8")
    run = check()
    assert run.code == 0 and run.findings == []


def test_a_new_finding_fails_and_the_old_one_stays_quiet(project: Path) -> None:
    (project / "floe.yaml").write_text(
        PRODUCT.replace("compute: spark", "compute: bigquery"), "utf-8"
    )
    run = check()
    assert run.code == 1
    assert [(f["rule"], f["pointer"]) for f in run.findings] == [("FL201", "/transforms/1/compute")]


def test_changing_the_offending_value_is_a_new_finding_and_the_entry_is_stale(
    project: Path,
) -> None:
    (project / "floe.yaml").write_text(PRODUCT.replace("snowflake", "bigquery"), "utf-8")
    run = check()
    assert run.code == 1 and len(run.findings) == 1
    assert "1 stale baseline entry in baseline.json" in run.stderr
    assert "FL201 floe.yaml /transforms/0/compute" in run.stderr


def test_fixed_finding_leaves_a_stale_entry_reported(project: Path) -> None:
    (project / "floe.yaml").write_text(PRODUCT.replace("snowflake", "duckdb"), "utf-8")
    run = check()
    assert run.code == 0
    assert "1 stale baseline entry" in run.stderr and "--write-baseline" in run.stderr


def test_baseline_paths_are_relative_to_the_baseline_file(project: Path, monkeypatch) -> None:
    monkeypatch.chdir(project.parent)
    run = run_cli(
        "check", project.name, "--baseline", f"{project.name}/baseline.json", "--format", "json"
    )
    assert run.code == 0 and run.findings == []


def test_baseline_from_config(project: Path) -> None:
    (project / ".floe-lint.yaml").write_text("baseline: baseline.json\n", "utf-8")
    assert run_cli("check", ".").code == 0


def test_secret_values_are_not_hashed_into_the_baseline(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    secret = MANIFEST.replace(
        "      - duckdb\n",
        "      - name: duckdb\n        config: {path: x.db, password: hunter2}\n",
    )
    write_files(tmp_path, {"manifest.yaml": secret})
    assert run_cli("check", ".", "--format", "json").named("secret-literal")
    assert run_cli("check", ".", "--write-baseline", "b.json").code == 0
    (tmp_path / "manifest.yaml").write_text(secret.replace("hunter2", "letmein"), "utf-8")
    run = run_cli("check", ".", "--baseline", "b.json", "--format", "json")
    assert run.named("secret-literal") == []  # hash left the value out: still baselined
    assert "hunter2" not in (tmp_path / "b.json").read_text("utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline file not found"),
        ("{not json", "baseline.json:1:2: baseline is not valid JSON"),
        ('{"version": 7}', "not a floe-lint baseline of version 1 or 2"),
        ('{"version": 1, "findings": [{"rule": "FL201"}]}', "findings[0] needs rule"),
    ],
)
def test_bad_baseline_is_exit_2_with_a_clear_message(
    tmp_path: Path, monkeypatch, content: str | None, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": MANIFEST})
    if content is not None:
        (tmp_path / "baseline.json").write_text(content, "utf-8")
    run = run_cli("check", ".", "--baseline", "baseline.json")
    assert run.code == 2
    assert message in run.stderr and "Traceback" not in run.stderr


def test_baseline_and_write_baseline_together_is_a_usage_error(project: Path) -> None:
    run = run_cli("check", ".", "--baseline", "baseline.json", "--write-baseline", "x.json")
    assert run.code == 2 and "cannot be combined" in run.stderr


def test_duplicate_findings_need_one_entry_each(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    write_files(tmp_path, {"b/floe.yaml": PRODUCT.replace("manifest.yaml", "../manifest.yaml")})
    assert run_cli("check", ".", "--write-baseline", "bl.json").code == 0
    entries = json.loads((tmp_path / "bl.json").read_text("utf-8"))["findings"]
    assert sorted(e["file"] for e in entries) == ["b/floe.yaml", "floe.yaml"]
    assert run_cli("check", ".", "--baseline", "bl.json").code == 0
