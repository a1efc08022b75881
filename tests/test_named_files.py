"""Files and folders named on the command line never pass quietly: an empty or non-Floe file is
a finding naming it, and a folder with nothing to check says so (and fails with
--fail-on-empty)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files


@pytest.mark.parametrize("name", ["floe.yaml", "manifest.yaml", "floe.yml", "manifest.yml"])
@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "is empty"),
        ("\n\n", "is empty"),
        ("# name: orders\n# transforms: []\n", "holds only comments"),
        ("---\n# nothing\n...\n", "holds only comments"),
        ("- duckdb\n- spark\n", "holds a list, not a mapping"),
        ("orders\n", "holds a single value, not a mapping"),
        ("42\n", "holds a single value, not a mapping"),
    ],
)
def test_a_floe_file_without_a_document_is_a_finding_naming_it(
    name: str, text: str, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(text, "utf-8")
    for given in (name, "."):  # named, and found in a folder
        run = run_cli("check", given, "--format", "json")
        assert run.code == 1, (given, run.stderr)
        [finding] = run.findings
        assert finding["name"] == "no-floe-document" and finding["file"] == name
        assert finding["message"].startswith(f"{name} {says}")
        assert run.report["summary"]["files"] == 1


def test_a_named_file_that_is_no_manifest_or_product_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"dbt_project.yml": "name: x\nversion: '1.0'\n", "notes.yaml": "[]\n"})
    for name, says in (
        ("dbt_project.yml", "holds a mapping with no manifest or product keys"),
        ("notes.yaml", "holds a list"),
    ):
        run = run_cli("check", name, "--format", "json")
        assert run.code == 1
        assert [(f["file"], f["name"]) for f in run.findings] == [(name, "no-floe-document")]
        assert says in run.findings[0]["message"]
    # found in a folder, the same files are not ours and are skipped
    run = run_cli("check", ".", "--format", "json")
    assert run.code == 0 and run.findings == []


def test_a_folder_without_floe_files_says_so_and_fails_with_fail_on_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "docs/dbt_project.yml": "name: x\n",
            "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
        },
    )
    run = run_cli("check", "docs", "platform")
    assert run.code == 0
    assert "floe-lint: docs holds no manifest or floe.yaml (nothing checked there)" in run.stderr
    assert "platform holds" not in run.stderr

    run = run_cli("check", "docs", "platform", "--fail-on-empty")
    assert run.code == 1 and "--fail-on-empty" in run.stderr

    assert run_cli("check", "platform", "--fail-on-empty").code == 0

    (tmp_path / ".floe-lint.yaml").write_text("fail-on-empty: true\n", "utf-8")
    run = run_cli("check", "docs")
    assert run.code == 1 and "docs holds no manifest or floe.yaml" in run.stderr
    assert run_cli("config").stdout.count("fail-on-empty: true") == 1


def test_fail_on_empty_when_every_named_file_is_excluded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": "exclude: [sandbox/**]\n",
            "sandbox/manifest.yaml": "plugins: {compute: {approved: [duckdb]}}\n",
        },
    )
    run = run_cli("check", "sandbox/manifest.yaml", "--fail-on-empty")
    assert run.code == 1
    assert "no manifest or floe.yaml was checked" in run.stderr
