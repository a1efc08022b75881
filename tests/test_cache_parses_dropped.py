"""A run filling the result cache keeps the parses of up to `parsed.MAX_FILLED` bytes of files
until it records its entries, and held them to its end (its filtering, its report and the
whole-run record, the peak of a first run with the cache on, issue 17): once written, they are
let go. The next run still builds its files from them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import generate
from floe_lint.cli import main
from floe_lint.lint import cache, parsed


def test_the_kept_parses_are_let_go_once_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generate(tmp_path / "tree", 30, 4).root
    monkeypatch.chdir(root)
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    runs: list[parsed.Parses] = []
    written: list[int] = []
    save = parsed.Parses.save

    def saving(self: parsed.Parses) -> None:
        runs.append(self)
        written.append(len(self.parses))
        save(self)

    served = parsed.Parses.serve

    def serving(self: parsed.Parses, *args: Any) -> Any:
        source = served(self, *args)
        runs.append(self)
        return source

    monkeypatch.setattr(parsed.Parses, "save", saving)
    first = main(["check", "."], stdout=io.StringIO(), stderr=io.StringIO())
    (run,) = runs
    assert written[0] >= 30  # (every product's parse, kept)
    assert (run.parses, run._made, run._held) == ({}, {}, [])  # (30 texts of ~2 KB on main)
    manifest = root / "platform" / "domains" / "finance" / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "# edited\n", "utf-8")
    monkeypatch.setattr(parsed.Parses, "serve", serving)
    out = io.StringIO()
    assert main(["check", "."], stdout=out, stderr=io.StringIO()) == first
    assert runs[-1].served > 0  # (the products checked again are built from the parses kept)
