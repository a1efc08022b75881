"""What a walk's listing keeps of each folder (issue 17, memory with the result cache on, fourth
round): the result cache's runs keep the names of every folder listed for the whole run (a
floe.lock looked for is told absent without a system call). Most folders of a large tree hold
the same few names (`floe.yaml`): each such folder costs its entry, not a tuple and a string of
its own; the names told are the same."""

from __future__ import annotations

import gc
import sys
import tracemalloc
from pathlib import Path

from floe_lint.load.walk import Beside, found_under


def _tree(root: Path, products: int) -> None:
    for n in range(products):
        folder = root / "products" / f"p{n:05}"
        folder.mkdir(parents=True)
        (folder / "floe.yaml").write_text("apiVersion: floe.dev/v1\n", "utf-8")


def _kept(root: Path) -> tuple[int, Beside]:
    """The bytes a walk's listing (every name, as the result cache's runs keep it) holds."""
    listing = Beside(every_name=True)
    tracemalloc.start()
    try:
        found = list(found_under(root, [], listing))
        del found
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return kept, listing


def test_folders_of_the_same_names_share_them(tmp_path: Path) -> None:
    """A tuple and a name per folder were about 110 bytes a product folder beyond its entries
    (its absolute path, its place in two tables)."""
    _tree(tmp_path / "small", 300)
    _tree(tmp_path / "large", 900)
    small, _ = _kept(tmp_path / "small")
    large, listing = _kept(tmp_path / "large")
    folder = tmp_path / "large" / "products" / "p00000"
    # each folder's own: its absolute path and its path as shown (both this long), and its
    # slots in two tables (about 230 bytes a folder beyond its two paths; 335 before)
    paths = 2 * sys.getsizeof(str(folder))
    per_folder = (large - small) / 600 - paths
    assert per_folder < 280, (small, large, paths)
    first = listing.names[str(tmp_path / "large" / "products" / "p00000")]
    last = listing.names[str(tmp_path / "large" / "products" / "p00899")]
    assert first == last == ("floe.yaml",)
    assert first is last
    assert listing.absent(str(tmp_path / "large" / "products" / "p00007" / "floe.lock"))
    assert not listing.absent(str(tmp_path / "large" / "products" / "p00007" / "floe.yaml"))


def test_a_walk_holds_no_list_of_every_file_while_it_is_read(tmp_path: Path) -> None:
    """`found_under` gives each folder's files as the folder is listed: it built a list of the
    whole walk first, each file with its absolute path too (about 240 bytes a file at the peak
    of a run replayed whole, issue 17)."""

    def peak(root: Path) -> int:
        listing = Beside(every_name=True)
        tracemalloc.start()
        try:
            count = 0
            for _ in found_under(root, [], listing):
                count += 1
            current, top = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert count == len(listing.names) - 2  # (a product a folder; the top, `products`)
        return top - current

    _tree(tmp_path / "small", 300)
    _tree(tmp_path / "large", 900)
    per_file = (peak(tmp_path / "large") - peak(tmp_path / "small")) / 600
    assert per_file < 40, per_file


def test_a_folder_of_many_names_keeps_their_hashes(tmp_path: Path) -> None:
    """A folder of products (one name a product) kept each name as a string in a set, about
    90 bytes a product for the whole run (issue 17): its names' hashes take 8; a name there is
    never told absent, one not there is (but for another of the same hash: then not known)."""

    def kept(root: Path) -> tuple[int, Beside]:
        tracemalloc.start()
        try:
            listing = Beside(every_name=True)
            found = list(found_under(root, [], listing))
            del found
            for absolute in [a for a, names in listing.names.items() if len(names) == 1]:
                listing.forget(absolute, absolute)  # (as a streamed run does: shown so here)
            listing.compact()
            gc.collect()  # (what pytest's cyclic GC has not yet freed is not the listing's)
            size = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        return size, listing

    _tree(tmp_path / "small", 300)
    _tree(tmp_path / "large", 900)
    kept(tmp_path / "small")  # (a first walk imports and caches what every walk shares)
    small, _ = kept(tmp_path / "small")
    large, listing = kept(tmp_path / "large")
    assert (large - small) / 600 < 20, (small, large)
    products = tmp_path / "large" / "products"
    for n in (0, 7, 899):
        assert listing.absent(str(products / f"p{n:05}")) is None  # (there: asked)
    assert listing.absent(str(products / "p00900")) is True
    assert listing.absent(str(products / "floe.lock")) is True
    assert listing.absent(str(products / "p\0")) is True
