"""What a run with the result cache on keeps per file to its end (issue 17, memory with the cache
on, sixth round): the floe.lock looked for and absent beside each replayed product was a string
decoded from its entry, kept for the whole-run record (`Standing.deps`, the spill's summary);
the keys replayed were a set of their own beside the store's table; a walk's listing kept each
folder's absolute path beside its path as shown; a run replayed whole held a tuple per file
found. Measured in-process with tracemalloc at N and 3N entries or files."""

from __future__ import annotations

import io
import json
import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import generate
from floe_lint.cli import main
from floe_lint.lint import cache
from floe_lint.lint import whole as whole_run
from floe_lint.lint.standing import Replayed, Standing, lock_beside, lock_path
from floe_lint.load.walk import Beside, found_under

#: (a checkout saved during the test must not make its runs miss the store: conftest)
pytestmark = pytest.mark.usefixtures("steady_installation")

_MANIFEST = "/w/platform/enterprise/manifest.yaml"


def _grown(make: Callable[[int], Any], small: int, large: int) -> float:
    """The bytes a file that `make(count)` keeps grows by, from `small` files to `large`."""

    def kept(count: int) -> int:
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            held = make(count)
            size = tracemalloc.get_traced_memory()[0] - start
        finally:
            tracemalloc.stop()
        del held
        return size

    kept(small)  # (what the first call imports or caches is not measured)
    return (kept(large) - kept(small)) / (large - small)


_KEYS = [f"/w/products/p{n:05}/floe.yaml" for n in range(3000)]  # (the run's own strings)


def _lines(lock: str | None) -> list[str]:
    """Each product's store entry (its line): its manifest and the floe.lock beside it
    (`lock`: its hash, None when absent)."""
    return [json.dumps({"deps": {_MANIFEST: "e" * 32, lock_path(k): lock}}) for k in _KEYS]


def _standing(lines: list[str], count: int) -> Standing:
    """A `Standing` that noted the first `count` entries as a run decodes them."""
    standing = Standing()
    for key, line in zip(_KEYS[:count], lines, strict=False):
        standing.note(key, json.loads(line))
    return standing


def test_an_absent_floe_lock_beside_a_replayed_file_is_kept_as_its_key() -> None:
    """The decoded floe.lock of every replayed product, about 150 bytes a product with its
    place in the table (140 measured before): now a slot in a list, for the product's key."""
    absent, present = _lines(None), _lines("f" * 32)
    per_absent = _grown(lambda n: _standing(absent, n), 1000, 3000)
    per_present = _grown(lambda n: _standing(present, n), 1000, 3000)
    assert per_present > 150, per_present  # a floe.lock there is kept: the measure sees it
    assert per_absent < 100, per_absent
    standing = _standing(absent, 3)
    assert standing.deps == {_MANIFEST: "e" * 32}
    assert standing.locks == _KEYS[:3]
    assert [lock_path(k) for k in standing.locks] == [
        f"/w/products/p{n:05}/floe.lock" for n in range(3)
    ]


@pytest.mark.parametrize(
    ("key", "dep", "beside"),
    [
        ("/w/p/floe.yaml", "/w/p/floe.lock", True),
        ("/w/p/floe.prod.yaml", "/w/p/floe.lock", True),
        ("/floe.yaml", "/floe.lock", True),
        ("/w/p/floe.yaml", "/w/p/sub/floe.lock", False),
        ("/w/p/floe.yaml", "/w/floe.lock", False),
        ("/w/p/floe.yaml", "/w/pq/floe.lock", False),
        ("/w/pq/floe.yaml", "/w/p/floe.lock", False),
        ("/w/p/floe.yaml", "/w/p/xfloe.lock", False),
        ("/w/p/floe.yaml", "/w/p/floe.lock.bak", False),
        ("/w/p/floe.yaml", "/w/q/floe.lock", False),
    ],
)
def test_only_the_floe_lock_in_the_files_own_folder_is_kept_as_its_key(
    key: str, dep: str, beside: bool
) -> None:
    standing = Standing()
    standing.note(key, {"deps": {dep: None}})
    assert lock_beside(key, dep) is beside
    assert (standing.locks, standing.deps) == (([key], {}) if beside else ([], {dep: None}))


def test_the_keys_replayed_are_those_the_store_writes_as_read() -> None:
    """`Replay.replayed` was a set beside `Store.written` (about 130 bytes a replayed file at
    30,000 products): it is that table's entries written as read."""
    written: dict[str, Any] = {"/w/checked.yaml": {"h": "x"}}
    replayed = Replayed(written)
    replayed.add("/w/a.yaml")
    replayed.add("/w/b.yaml")
    replayed.add("/w/a.yaml")
    assert len(replayed) == 2
    assert "/w/a.yaml" in replayed
    assert "/w/checked.yaml" not in replayed
    assert set(replayed) == {"/w/a.yaml", "/w/b.yaml"}
    assert {"/w/a.yaml", "/w/c.yaml"} & replayed == {"/w/a.yaml"}
    assert written["/w/a.yaml"] is cache.AS_READ

    def adding(count: int) -> tuple[dict[str, Any], Replayed, list[str]]:
        keys = [f"/w/products/p{n:05}/floe.yaml" for n in range(count)]
        table: dict[str, Any] = {}
        seen = Replayed(table)
        for key in keys:
            seen.add(key)
        return table, seen, keys

    def a_set(count: int) -> tuple[dict[str, Any], set[str], list[str]]:
        keys = [f"/w/products/p{n:05}/floe.yaml" for n in range(count)]
        table = dict.fromkeys(keys, cache.AS_READ)
        return table, set(keys), keys

    # (the keys, the table's entries and the list holding them, by either)
    both = _grown(adding, 2000, 6000)
    assert _grown(a_set, 2000, 6000) > both + 25  # a set of the keys too: the measure sees it
    assert both < 260, both


def _tree(root: Path, products: int) -> None:
    for n in range(products):
        folder = root / "products" / f"p{n:05}"
        folder.mkdir(parents=True)
        (folder / "floe.yaml").write_text("apiVersion: floe.dev/v1\n", "utf-8")


@pytest.mark.parametrize("top", [".", "products", "./products/", "absolute", "../w/products"])
def test_a_listing_keys_each_folder_by_its_path_as_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, top: str
) -> None:
    """Each folder's absolute path was kept beside its path as shown (about 100 bytes a
    product folder for the whole run): a name in it is told absent, or not, from the absolute
    path asked, whichever way the walk's folder was spelt."""
    _tree(tmp_path / "w", 3)
    (tmp_path / "w" / "products" / "p00001" / "floe.lock").write_text("{}", "utf-8")
    monkeypatch.chdir(tmp_path / "w")
    given = str(tmp_path / "w" / "products") if top == "absolute" else top
    listing = Beside(every_name=True)
    assert len(list(found_under(given, [], listing))) == 3
    products = str(tmp_path / "w" / "products")
    assert listing.absent(f"{products}/p00000/floe.lock") is True
    assert listing.absent(f"{products}/p00001/floe.lock") is False
    assert listing.absent(f"{products}/p00001/floe.yaml") is False
    assert listing.absent(f"{products}/p00001") is False
    assert listing.absent(f"{products}/p00003") is True
    assert listing.absent(f"{products}/p00003/floe.lock") is None  # (not listed)
    assert listing.absent(f"{tmp_path}/floe.lock") is None
    assert listing.absent(f"{products}x/p00000/floe.lock") is None
    assert all(key in listing.beside for key in listing.names)  # (one string a folder)
    shown = next(key for key in listing.names if key.endswith("p00001"))
    listing.forget(shown, f"{products}/p00001")
    assert listing.absent(f"{products}/p00001/floe.lock") is None  # (forgotten: asked)


def test_a_listing_keeps_one_path_a_folder() -> None:
    """A walk's listing of 300 and 900 product folders, relative to the working directory:
    about 140 bytes a folder beyond its path as shown (240 before: its absolute path too)."""
    cwd = Path.cwd()

    def listed(count: int) -> Beside:
        listing = Beside(every_name=True)
        for name in found_under(f"products{count}", [], listing):
            del name
        return listing

    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            _tree(Path(folder) / "products300", 300)
            os.rename(Path(folder) / "products300", Path(folder) / "keep")
            _tree(Path(folder) / "products900", 900)
            os.rename(Path(folder) / "keep", Path(folder) / "products300")
            shown = len("products300/products/p00000") + 49  # (the string of a path as shown)
            per_folder = _grown(listed, 300, 900) - shown
        finally:
            os.chdir(cwd)
    assert per_folder < 190, per_folder


def test_a_run_replayed_whole_holds_no_tuple_nor_absolute_path_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that changed nothing holds what its walk found and listed while it hashes the files
    its record lists (its peak): about 400 bytes a product before (the name found, a tuple,
    the folder's path as shown and its absolute path, their places in the listing)."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))

    def replayed(count: int) -> int:
        root = tmp_path / f"t{count}"
        generate(root, count, seed=0)
        monkeypatch.chdir(root)
        assert main(["check", "."], stdout=io.StringIO(), stderr=io.StringIO()) == 1
        held: list[int] = []
        same_inputs = whole_run.Whole._same_inputs

        def measured(self: whole_run.Whole, *args: Any) -> bool:
            same = same_inputs(self, *args)
            held.append(tracemalloc.get_traced_memory()[0])
            return same

        with monkeypatch.context() as patched:
            patched.setattr(whole_run.Whole, "_same_inputs", measured)
            tracemalloc.start()
            try:
                start = tracemalloc.get_traced_memory()[0]
                code = main(["check", "."], stdout=io.StringIO(), stderr=io.StringIO())
            finally:
                tracemalloc.stop()
        assert code == 1 and len(held) == 1
        return held[0] - start

    replayed(100)  # (what the first replay imports is not measured)
    per_product = (replayed(900) - replayed(300)) / 600
    assert per_product > 88, per_product  # the name of each file found: the measure sees it
    assert per_product < 345, per_product


def test_a_run_holds_no_text_of_the_parses_it_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file checked again for a manifest's sake is built from its kept parse; the parse's text
    (about 2.5 KB a product) was held from the run's first question about it to its end,
    twice referenced (the answer to `stored`, the table of parses): a tenth of a domain's edit
    at 30,000 products. What is printed is what a run without the cache prints."""
    from floe_lint.lint import parsed

    root = generate(tmp_path / "tree", 40, seed=4).root
    manifest = root / "platform" / "domains" / "finance" / "manifest.yaml"
    monkeypatch.chdir(root)
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))

    def check() -> str:
        out = io.StringIO()
        main(["check", "."], stdout=out, stderr=io.StringIO())
        return out.getvalue()

    held: list[list[Any]] = []
    save = parsed.Parses.save

    def saving(self: parsed.Parses) -> None:
        save(self)
        held.append([*self.parses.values(), *(a[1] for a in self._asked.values())])

    check()  # fills the store
    for n in (1, 2):  # (the first edit keeps the parses of the domain's products)
        manifest.write_text(manifest.read_text("utf-8") + f"# edited {n}\n", "utf-8")
        held.clear()
        with monkeypatch.context() as patched:
            patched.setattr(parsed.Parses, "save", saving)
            printed = check()
    with monkeypatch.context() as patched:
        patched.setenv(cache.DISABLE_ENV, "1")
        assert printed == check()
    ((*parses,),) = held
    served = [p for p in parses if p is not None]
    assert len(served) >= 4  # (the finance products, built from their kept parses)
    assert not [p for p in served if any(type(v) is str and len(v) > 200 for v in p)]
