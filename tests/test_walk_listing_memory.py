"""What a walk's listing keeps of each folder (issue 17, memory with the result cache on, fourth
round): the result cache's runs keep the names of every folder listed for the whole run (a
floe.lock looked for is told absent without a system call). Most folders of a large tree hold
the same few names (`floe.yaml`): each such folder costs its entry, not a tuple and a string of
its own; the names told are the same."""

from __future__ import annotations

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
