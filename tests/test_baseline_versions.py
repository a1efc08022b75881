"""A version 1 baseline (positional pointers) in a run that checks only some of its files: the
entries of files the run did not load are named from their pointer, never read from a file,
and they are neither matched nor stale (issue 20: a mutation run found this line unguarded)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"


def _product(compute: str) -> str:
    return (
        "name: p\nplatform: {ref: ../manifest.yaml}\n"
        f"transforms: [{{type: dbt, path: models/a/, compute: {compute}}}]\n"
    )


@pytest.fixture
def version_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two products with one finding each, accepted by a version 1 baseline bl.json."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {"manifest.yaml": MANIFEST, "a/floe.yaml": _product("spark"), "b/floe.yaml": _product("x")},
    )
    assert run_cli("check", ".", "--write-baseline", "bl.json").code == 0
    data = json.loads((tmp_path / "bl.json").read_text("utf-8"))
    old = [
        {k: e[k] for k in ("rule", "file", "pointer", "hash", "message")} for e in data["findings"]
    ]
    assert [e["file"] for e in old] == ["a/floe.yaml", "b/floe.yaml"]
    (tmp_path / "bl.json").write_text(json.dumps({"version": 1, "findings": old}), "utf-8")
    return tmp_path


def test_a_version_1_entry_of_a_file_the_run_did_not_check_is_neither_read_nor_stale(
    version_1: Path,
) -> None:
    run = run_cli("check", "a/floe.yaml", "--baseline", "bl.json")
    assert (run.code, run.stdout) == (0, "")
    assert run.stderr == "floe-lint: no problems (2 files checked; 1 baselined not shown)\n"
    assert "stale" not in run.stderr

    (version_1 / "a/floe.yaml").write_text(_product("duckdb"), "utf-8")  # a fixed, b untouched
    run = run_cli("check", "a/floe.yaml", "--baseline", "bl.json")
    assert run.code == 0
    assert "1 stale baseline entry" in run.stderr and "FL201 a/floe.yaml" in run.stderr
    assert "b/floe.yaml" not in run.stderr


def test_a_version_1_entry_still_accepts_its_finding_when_the_file_was_not_loaded_before(
    version_1: Path,
) -> None:
    """Only b is checked: a's entry is named from its pointer, b's from b as it is now."""
    run = run_cli("check", "b/floe.yaml", "--baseline", "bl.json", "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["findings"] == []
    assert "stale" not in run.stderr


SECRET = """\
plugins:
  compute:
    approved:
      - name: spark
        config: {host: spark.example, password: hunter2}
    default: spark
"""


def test_a_secret_s_entry_hashes_no_part_of_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hash of a sensitive finding is of a fixed text, so the baseline cannot be used to
    guess the secret: rotating the value keeps the finding baselined."""
    import hashlib

    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": SECRET})
    assert run_cli("check", ".", "--write-baseline", "bl.json").code == 0
    (entry,) = json.loads((tmp_path / "bl.json").read_text("utf-8"))["findings"]
    assert (entry["rule"], entry["node"]) == (
        "FL501",
        '/plugins/compute/approved/[name="spark"]/config/password',
    )
    assert entry["hash"] == hashlib.sha256(b"<sensitive>").hexdigest()[:16]
    assert "hunter2" not in (tmp_path / "bl.json").read_text("utf-8")
    (tmp_path / "manifest.yaml").write_text(SECRET.replace("hunter2", "rotated9"), "utf-8")
    run = run_cli("check", ".", "--baseline", "bl.json")
    assert (run.code, run.stdout) == (0, "")


def test_a_finding_on_the_whole_document_is_named_by_the_empty_pointer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The node of a finding on the document itself is "" (RFC 6901's whole document), as
    baselines already written say: a baseline entry naming it "" still accepts it."""
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"floe.yaml": "a: 1\n"})
    assert run_cli("check", ".", "--write-baseline", "bl.json").code == 0
    entries = json.loads((tmp_path / "bl.json").read_text("utf-8"))["findings"]
    assert [(e["rule"], e["node"], e["pointer"]) for e in entries] == [
        ("FL103", "", ""),
        ("FL103", "", ""),
        ("FL101", "/a", "/a"),
    ]
    run = run_cli("check", ".", "--baseline", "bl.json")
    assert (run.code, run.stdout) == (0, "")


def test_a_baseline_keeps_text_as_written_not_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The baseline is reviewed in diffs: a name in another script stays readable."""
    monkeypatch.chdir(tmp_path)
    product = (
        "name: p\nplatform: {ref: manifest.yaml}\n"
        "transforms: [{type: dbt, path: models/a/, compute: spärk}]\n"
    )
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": product})
    assert run_cli("check", ".", "--write-baseline", "bl.json").code == 0
    text = (tmp_path / "bl.json").read_text("utf-8")
    assert "selects compute 'spärk'" in text and "\\u00e4" not in text
    assert run_cli("check", ".", "--baseline", "bl.json").code == 0
