"""What a run with the result cache asks of the system about the files it checks again (issue
17: an edited run of 1,000 products made about 15,000 system calls, a sixth of its CPU time).

The walk listed every folder: a floe.lock that its folder did not hold is keyed as nothing
there (`Replay.hash`), and the rules of a product checked again read it so too, unasked
(`Replay.side_text`, `Workspace.side_there`), instead of opening it, asking `lstat` twice and
opening it again when the product is retired. A floe.lock added between runs is in the next
run's listing: read, and reported as a cold run reports it."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from floe_lint.lint import cache
from tests.conftest import check, write_files
from tests.test_cache import tree

SALES = "platform/sales/manifest.yaml"
#: what a run asks of the system about a path, counted (`asked`)
ASKING = ("open", "stat", "lstat", "scandir", "listdir", "readlink")


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    write_files(tmp_path / "ws", tree())
    monkeypatch.chdir(tmp_path / "ws")
    return tmp_path / "ws"


def asked(*args: str) -> tuple[tuple[int, str, str], Counter[tuple[str, str]]]:
    """`check(*args)`, and each call it made of `os.open`, `os.stat`, ... (and `os.getcwd`)
    counted by function and path (`os.path.lexists` asks `os.lstat`)."""
    counted: Counter[tuple[str, str]] = Counter()
    with pytest.MonkeyPatch.context() as patch:
        for name in (*ASKING, "getcwd"):
            real = getattr(os, name)

            def noting(*a: object, real: object = real, name: str = name, **kw: object) -> object:
                path = a[0] if a and isinstance(a[0], (str, os.PathLike)) else ""
                counted[(name, os.fspath(path) if path != "" else "")] += 1
                return real(*a, **kw)  # type: ignore[operator]

            patch.setattr(os, name, noting)
        return check(*args), counted


def _edit_sales(root: Path, n: int) -> None:
    path = root / SALES
    path.write_text(path.read_text() + f"# edited {n}\n")


def _locks(counted: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
    return Counter({k: v for k, v in counted.items() if k[1].endswith("floe.lock")})


def test_an_edited_run_asks_nothing_of_a_floe_lock_its_walk_did_not_list(cached: Path) -> None:
    check(".")
    _edit_sales(cached, 1)
    check(".")  # (the first run after a fill)
    _edit_sales(cached, 2)
    edited, counted = asked(".")
    # p0 and p1 (sales) were checked again, each with the lock-stale rule: not one question
    # about a floe.lock (four per product before: open, lstat twice, open when retired)
    assert _locks(counted) == Counter()
    assert edited == check(".", "--no-cache")


@pytest.mark.parametrize("text", ["not json", "{}"])
def test_a_floe_lock_added_beside_a_product_checked_again_is_read(cached: Path, text: str) -> None:
    check(".")
    _edit_sales(cached, 1)
    check(".")
    _edit_sales(cached, 2)
    (cached / "products/p0/floe.lock").write_text(text)
    edited, counted = asked(".")
    assert _locks(counted)[("open", str(cached / "products/p0/floe.lock"))] >= 1
    assert edited == check(".", "--no-cache")
    if text == "not json":
        assert "ERROR FL306 [lock-stale] products/p0/floe.lock: not valid JSON" in edited[1]
    # and once it is gone again, the run that follows is a cold run's too
    (cached / "products/p0/floe.lock").unlink()
    _edit_sales(cached, 3)
    assert check(".") == check(".", "--no-cache")


def test_a_folder_named_floe_lock_is_still_seen(cached: Path) -> None:
    """Something there that is not a file to read: the rule says so, cached or not."""
    check(".")
    _edit_sales(cached, 1)
    check(".")
    (cached / "products/p1/floe.lock").mkdir()
    _edit_sales(cached, 2)
    edited = check(".")
    assert edited == check(".", "--no-cache")
    assert "products/p1/floe.lock" in edited[1]
