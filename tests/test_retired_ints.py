"""What a workspace keeps of each file a streamed run retired (issue 17, memory with the result
cache on, eighth round): one int by its key's text (`retired.RetiredFiles`), a `Retired` made
again when asked for, not a `Retired` shell per file to the end of the run (112 bytes each, and
its fingerprint int); and a walk's listing made again at its size once its folders are
forgotten. Measured in-process with tracemalloc at N and 3N files."""

from __future__ import annotations

import os
import sys
import tracemalloc
from pathlib import Path

import pytest

from floe_lint.load.retired import Retired
from floe_lint.load.walk import Beside
from floe_lint.load.workspace import Workspace

TEXT = "name: p{n}\ntransforms: [{{path: models/x/, compute: duckdb}}]\n"


def _retired(folder: Path, count: int) -> Workspace:
    """A workspace that loaded `count` product files below `folder` and retired each."""
    workspace = Workspace()
    for n in range(count):
        path = folder / f"p{n:05}" / "floe.yaml"
        if not path.exists():
            path.parent.mkdir(parents=True)
            path.write_text(TEXT.format(n=n), "utf-8")
        relative = Path(os.path.relpath(path))
        workspace.add(relative, False)
        key = workspace.key(relative)
        source = workspace.reported[key]
        assert source.release()
        assert workspace.retire(key, source, os.fspath(relative))
    return workspace


def _kept(folder: Path, count: int) -> int:
    """The bytes the workspace's retired files hold beyond their keys' texts."""
    tracemalloc.start()
    try:
        workspace = _retired(folder, count)
        names = list(workspace._retired)  # (the keys' texts: not what is measured)
        start = tracemalloc.get_traced_memory()[0]
        workspace.drop_files()
        freed = start - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(names) == count
    return freed


def test_a_retired_file_is_kept_as_an_int(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """About 260 bytes a file before (a `Retired`, its fingerprint int, its path's text and a
    slot); an int and a slot now (about 80)."""
    monkeypatch.chdir(tmp_path)
    _kept(tmp_path / "warm", 50)  # (what the first call imports is not measured)
    per_file = (_kept(tmp_path / "large", 3000) - _kept(tmp_path / "small", 1000)) / 2000
    assert per_file < 100, per_file


def test_a_retired_file_reads_as_it_was_retired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file made again from its int is the file: its path as the walk gave it, its
    documents' shape, its mark of a suppression comment; one read again late stays read."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "floe.yaml").write_text(
        "# floe-lint: disable=FL201\n" + TEXT.format(n="q"), "utf-8"
    )
    workspace = _retired(tmp_path, 3)
    workspace.add(Path("q/floe.yaml"), False)
    key = workspace.key(Path("q/floe.yaml"))
    source = workspace.reported[key]
    assert source.release() and workspace.retire(key, source, "q/floe.yaml")
    files = workspace.files()
    assert [os.fspath(f.path) for f in files] == [
        "p00000/floe.yaml",
        "p00001/floe.yaml",
        "p00002/floe.yaml",
        "q/floe.yaml",
    ]
    assert all(type(f) is Retired and f.released for f in files)
    assert [f.mentions("floe-lint:") for f in files] == [False, False, False, True]
    assert [[(d.index, d.kind) for d in f.documents] for f in files] == [[(0, "floe")]] * 4
    late = files[1]
    assert late.text == TEXT.format(n=1)  # read again from disk
    again = workspace.files()[1]
    assert again is late and not again.released  # (kept as read: not read a second time)
    assert files[0] is not workspace.files()[0]  # (the others: made again when asked for)
    assert workspace.is_reported(Path("p00002/floe.yaml"))
    revived = workspace.load(Path("p00002/floe.yaml"))  # a late reader puts it back
    assert revived.text == TEXT.format(n=2)
    assert workspace.is_reported(Path("p00002/floe.yaml"))
    # the list made before still gives it (put back), and every file in its place
    assert files[2] is revived and workspace.files()[2] is revived
    assert [os.fspath(f.path) for f in files] == [os.fspath(f.path) for f in workspace.files()]


def test_a_listing_is_made_again_once_its_folders_are_forgotten() -> None:
    """A streamed run forgets each folder of the walk once its files are checked; a table
    kept the room of every folder to the end of the run (about 30 bytes a folder each)."""
    listing = Beside(every_name=True)
    folders = [f"products/p{n:05}" for n in range(8000)]
    for folder in folders:
        listing.note("/w/" + folder, folder, ["floe.yaml", "floe.prod.yaml"], [])
    full = sys.getsizeof(listing.beside) + sys.getsizeof(listing.names)
    for folder in folders[:-10]:
        listing.forget(folder, "/w/" + folder)
    assert listing.candidates(folders[-1]) == ("floe.prod.yaml",)
    assert listing.candidates(folders[0]) is None
    left = sys.getsizeof(listing.beside) + sys.getsizeof(listing.names)
    assert left < full / 4, (left, full)  # (made again at most each 1,024 forgotten)
