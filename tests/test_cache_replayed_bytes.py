"""A file the result cache replays keeps no bytes (issue 17: a run replaying a large tree held
every file's): only the content hash the run saw and whether its bytes mention a suppression
marker (`floe_lint.load.lazy.LazySourceFile`). Its text is read again only for a marker or a report, and a
late read of bytes that no longer have that hash is refused, as restoring a released file is."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import generate
from floe_lint.cli import main
from floe_lint.lint import cache
from floe_lint.lint.replay import Replay
from floe_lint.load import lazy
from floe_lint.load import lazy as lazy_module
from floe_lint.load.document import ChangedWhileChecked
from floe_lint.load.lazy import LazySourceFile
from floe_lint.load.workspace import Workspace


def _check(root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(root)
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    out = io.StringIO()
    code = main(["check", ".", "--jobs", "1"], out, io.StringIO())
    return code, out.getvalue()


def test_a_replayed_file_keeps_no_bytes_but_a_marked_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate(tmp_path / "repo", 30, 5)
    marked = corpus.products[3]
    text = marked.read_text("utf-8").replace("compute: duckdb", "compute: duckdbb", 1)
    marked.write_text("# floe-lint: disable-file=FL201\n" + text, "utf-8")
    folder = tmp_path / "cache"
    _check(corpus.root, folder, monkeypatch)
    domain = corpus.domains[sorted(corpus.domains)[0]]
    domain.write_text(domain.read_text("utf-8") + "# changed\n", "utf-8")  # not whole: replayed
    lazy: list[LazySourceFile] = []
    real = Workspace.replay

    def noting(self: Workspace, path: Path, *args: Any) -> None:
        real(self, path, *args)
        source = self.reported.get(self.key(path))
        if isinstance(source, LazySourceFile):
            lazy.append(source)

    monkeypatch.setattr(Workspace, "replay", noting)
    shelve = lazy_module.Shelved.of

    def shelving(source: Any, *args: Any) -> lazy_module.Shelved | None:
        shelved = shelve(source, *args)  # (what a streamed run keeps once its group is done)
        if shelved is not None:
            lazy.append(shelved)
        return shelved

    monkeypatch.setattr(lazy_module.Shelved, "of", shelving)
    held: list[set[str]] = []
    record = Replay.record

    def holding(self: Replay, *args: Any, **kwargs: Any) -> None:
        held.append({k for k, raw in self._raw.items() if raw is not None} & self.replayed)
        record(self, *args, **kwargs)

    monkeypatch.setattr(Replay, "record", holding)
    cached = _check(corpus.root, folder, monkeypatch)
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    assert cached == _check(corpus.root, folder, monkeypatch)  # (the marker is honoured)
    assert len(lazy) >= 25
    read = {source.path.resolve() for source in lazy if source._raw is not None}
    assert read == {marked.resolve()}  # the one whose bytes mention the marker
    assert held == [set()]  # nor does the run hold the bytes it hashed of a replayed file


def test_a_late_read_of_changed_bytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "floe.yaml"
    raw = b"# floe-lint: disable=FL201\nname: a\n"
    path.write_bytes(raw)
    source = LazySourceFile(path, cache.digest(raw), lazy.marks(raw))
    assert source.mentions("floe-lint:") and source.text == raw.decode()
    quiet = LazySourceFile(path, cache.digest(b"name: a\n"), lazy.marks(b"name: a\n"))
    assert not quiet.mentions("floe-lint:") and quiet._raw is None  # answered unread
    with pytest.raises(ChangedWhileChecked):
        quiet.documents  # noqa: B018  (the bytes on disk are not those hashed)
