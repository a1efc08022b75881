"""The whole-run record's files found (floe_lint.lint.whole): keyed and hashed once, as the
record is written (issue 17: once to ask whether each can be listed and again to list it,
before), and a run with a file that cannot be listed (a symbolic link found as a file, or a
file that cannot be read) still stores no record: the next runs are checked, and print what
a cold run prints."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from floe_lint.lint import cache
from floe_lint.lint import whole as whole_run
from tests.conftest import check, write_files

FILES = {
    "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
    "products/a/floe.yaml": "name: a\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: spark}]\n",
    "products/b/floe.yaml": "name: b\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/b/, compute: duckdb}]\n",
}
FINDING = (
    "products/a/floe.yaml:3:52: ERROR FL201 [compute-not-approved] transform 'models/a/' "
    "selects compute 'spark', which platform manifest manifest.yaml does not approve (no level "
    "of the hierarchy approves it); approved: duckdb\n"
)


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    write_files(tmp_path / "ws", FILES)
    monkeypatch.chdir(tmp_path / "ws")
    return tmp_path / "ws"


def _records() -> list[Path]:
    return sorted(cache.directory().glob(f"{whole_run.PREFIX}*.json"))


def test_the_files_found_are_listed_once_as_the_record_is_written(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed: list[int] = []
    found_items = whole_run._found_items

    def counting(replay: Any) -> Any:
        listed.append(len(replay.found))
        return found_items(replay)

    monkeypatch.setattr(whole_run, "_found_items", counting)
    cold = check("--no-cache", ".")
    assert cold[0] == 1 and cold[1].startswith(FINDING), cold
    assert check(".") == cold  # fills the store and the record
    assert listed == [3]  # (twice before: [3, 3])
    (record,) = _records()
    lines = record.read_text("utf-8").splitlines()
    assert [line.split(",")[0] for line in lines[1:4]] == [
        '["platform/manifest.yaml"',
        '["products/a/floe.yaml"',
        '["products/b/floe.yaml"',
    ]
    assert check(".") == cold  # replayed whole
    assert listed == [3]


def test_a_linked_file_found_stores_no_record(ws: Path) -> None:
    """A product found through a symbolic link to a file is keyed where it leads: the run is
    not stored whole (it would list the file under a path that is not its key), and the runs
    that follow are checked, each printing what a cold run prints."""
    (ws / "products/c").mkdir()
    os.symlink("../b/floe.yaml", ws / "products/c/floe.yaml")
    cold = check("--no-cache", ".")
    assert FINDING in cold[1]
    assert check(".") == cold
    assert _records() == []
    assert check(".") == cold
    (ws / "products/b/floe.yaml").write_text(
        FILES["products/b/floe.yaml"].replace("duckdb}", "spark}")
    )
    edited = check(".")
    assert edited == check("--no-cache", ".") != cold
    assert "products/b/floe.yaml:3:52: ERROR FL201" in edited[1]
    assert _records() == []


def test_a_record_left_unwritten_keeps_the_one_before(ws: Path) -> None:
    """A run that cannot be stored whole leaves no temporary file and the record of an
    earlier run as it was (its key differs: it is never replayed for this run)."""
    cold = check(".")
    assert check(".") == cold
    (record,) = _records()
    before = record.read_bytes()
    (ws / "products/c").mkdir()
    os.symlink("../b/floe.yaml", ws / "products/c/floe.yaml")
    assert check(".") == check("--no-cache", ".") == cold  # (b, twice: one key)
    assert _records() == [record] and record.read_bytes() == before
    assert sorted(p.name for p in cache.directory().iterdir() if p.name.endswith(".tmp")) == []
