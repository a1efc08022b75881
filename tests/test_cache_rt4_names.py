"""Red team of the result cache after the memory round (262e71f): a folder of exactly 8 or 9
names (the walk's listing keeps more than 8 as sorted hashes) changed between runs, and files
named with unicode, escapes or newlines: a cached run prints what `--no-cache` prints."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from floe_lint.lint import cache
from tests.conftest import check, write_files
from tests.test_cache import tree

LOCK_BAD = "not: [a lock\n"


def _change(ws: Path, how: str) -> None:
    folder = ws / "products/p0"
    if how == "add lock":
        (folder / "floe.lock").write_text(LOCK_BAD)
    elif how == "lock as folder":
        (folder / "floe.lock").mkdir()
    elif how == "lock as link":
        (folder / "floe.lock").symlink_to(ws / "products/p1/floe.yaml")
    elif how == "lock as dangling link":
        (folder / "floe.lock").symlink_to(ws / "nowhere")
    elif how == "remove extra":
        (folder / "x0.txt").unlink()
    elif how == "add extra":
        (folder / "y.txt").write_text("y\n")
    elif how == "rename extra to lock":
        (folder / "x0.txt").rename(folder / "floe.lock")
    elif how == "rename product":
        (folder / "floe.yaml").rename(folder / "floe.yml")
    elif how == "product replaced by folder":
        (folder / "floe.yaml").unlink()
        (folder / "floe.yaml").mkdir()
    elif how == "add product":
        shutil.copy(folder / "floe.yaml", folder / "other.floe.yaml")
    elif how == "add yaml":
        (folder / "z.yaml").write_text("a: [\n")
    elif how == "domain lock":
        (ws / "platform/sales/floe.lock").write_text(LOCK_BAD)
    elif how == "domain lock as folder":
        (ws / "platform/sales/floe.lock").mkdir()
    elif how == "lock as fifo":
        os.mkfifo(folder / "floe.lock")
    else:
        raise AssertionError(how)


CHANGES = [
    "add lock",
    "lock as folder",
    "lock as link",
    "lock as dangling link",
    "remove extra",
    "add extra",
    "rename extra to lock",
    "rename product",
    "product replaced by folder",
    "add product",
    "add yaml",
    "domain lock",
    "domain lock as folder",
    "lock as fifo",
]


@pytest.mark.parametrize("names", [7, 8, 9, 10])
@pytest.mark.parametrize("how", CHANGES)
def test_a_folder_of_8_or_9_names_changed_between_runs(
    names: int, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    ws = tmp_path / "ws"
    files = tree()
    for i in range(names - 1):  # (with floe.yaml: `names` names in products/p0)
        files[f"products/p0/x{i}.txt"] = "x\n"
    for i in range(names - 1):  # a domain folder of as many
        files[f"platform/sales/x{i}.txt"] = "x\n"
    write_files(ws, files)
    monkeypatch.chdir(ws)
    before = check(".", "--no-cache")
    assert check(".") == before
    assert check(".") == before  # (replayed whole)
    _change(ws, how)
    cold = check(".", "--no-cache")
    assert check(".") == cold, ascii(how)
    assert check(".") == cold, ascii(how)


NAMES = [
    "caf\u00e9",
    "a\nb",
    "tab\there",
    "back\\slash",
    "sp ace",
    "\u65e5\u672c",
    'q"uote',
    "e\u0301",
]


@pytest.mark.parametrize("extra", [0, 4])
def test_files_named_with_unicode_escapes_and_newlines(
    extra: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    ws = tmp_path / "ws"
    files = tree()
    for n, name in enumerate(NAMES):
        text = files["products/p0/floe.yaml"].replace("name: p0", f"name: q{n}")
        files[f"products/{name}/floe.yaml"] = text.replace("spark", "snowflake")
        for i in range(extra):
            files[f"products/{name}/x{i}.txt"] = "x\n"
    write_files(ws, files)
    bad = os.fsencode(str(ws / "products")) + b"/bad\xff"  # (not UTF-8)
    os.mkdir(bad)
    (Path(os.fsdecode(bad)) / "floe.yaml").write_text(files["products/p0/floe.yaml"])
    monkeypatch.chdir(ws)
    cold = check(".", "--no-cache")
    assert cold[0] == 1 and "products/caf\u00e9/floe.yaml:5:" in cold[1]
    assert check(".") == cold
    assert check(".") == cold
    for name in NAMES:
        (ws / "products" / name / "floe.lock").mkdir()
        cold = check(".", "--no-cache")
        assert check(".") == cold, ascii(name)
        assert check(".") == cold, ascii(name)
        lock = ws / "products" / name / "floe.lock"
        lock.rmdir()
        lock.write_text(LOCK_BAD)
        cold = check(".", "--no-cache")
        assert check(".") == cold, ascii(name)
        lock.unlink()


def test_a_lock_file_made_a_folder_is_reported_by_a_cached_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An absent dep and one that cannot be read both hash None: the entry of a product whose
    floe.lock was absent stood when a folder (or a FIFO) took that name, and FL306 was lost."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    ws = tmp_path / "ws"
    write_files(ws, tree())
    monkeypatch.chdir(ws)
    assert check(".")[0] == 0
    (ws / "products/p0/floe.lock").mkdir()
    line = (
        "products/p0/floe.yaml:2:17: ERROR FL306 [lock-stale] products/p0/floe.lock: cannot"
        " read the lock file: it is a directory, not a regular file\n"
    )
    expected = (1, line, "floe-lint: 1 error (6 files checked)\n")
    assert check(".", "--no-cache") == expected
    assert check(".") == expected
    assert check(".") == expected  # (replayed whole)
