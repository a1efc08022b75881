"""A run after a whole-run record exists (floe_lint.lint.whole), with one manifest edited, is
given the walk's names as text, as a run without a record is: no `Path` per file found up front,
none made just to ask the result cache whether a file is replayed, and its output is what a cold
run prints (issue 17: the edited run's fixed cost)."""

from __future__ import annotations

import gc
import io
from collections import Counter
from pathlib import Path, PurePath
from typing import Any

import pytest

from benchmarks.corpus import generate
from floe_lint.cli import main
from floe_lint.lint import cache, engine, stream


def _check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _edited_run(
    root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, int, dict[str, Any], tuple[int, str, str]]:
    """Fill the cache (its whole-run record too), edit a domain manifest, check again: the
    `Path`s alive when that run's stream ends, how many files, what the engine was given and the
    stream asked the cache of, and what the run printed."""
    monkeypatch.chdir(root)
    monkeypatch.setattr(stream, "GROUP", 8)
    with monkeypatch.context() as patch:
        patch.delenv(cache.DISABLE_ENV, raising=False)
        patch.setenv(cache.CACHE_ENV, str(folder))
        _check(".", "--jobs", "1")
        _check(".", "--jobs", "1")  # (replayed whole: the record stands)
        manifest = root / "platform" / "domains" / "finance" / "manifest.yaml"
        manifest.write_text(manifest.read_text("utf-8") + "# edited\n", "utf-8")
        seen: dict[str, Any] = {}
        run, to_parse, real_engine = stream.Stream.run, stream.Stream._to_parse, engine.run

        def counting(self: stream.Stream, *args: Any, **kwargs: Any) -> int | None:
            added = run(self, *args, **kwargs)
            seen["paths"] = sum(1 for o in gc.get_objects() if isinstance(o, PurePath))
            return added

        def asking(self: stream.Stream, name: Path | str, empty: bool) -> bool:
            seen["asked"] = seen.get("asked", Counter()) + Counter([type(name).__name__])
            return to_parse(self, name, empty)

        def given(*args: Any, **kwargs: Any) -> engine.Result:
            seen["discovered"] = Counter(type(p).__name__ for p, _ in kwargs["discovered"])
            return real_engine(*args, **kwargs)

        patch.setattr(stream.Stream, "run", counting)
        patch.setattr(stream.Stream, "_to_parse", asking)
        patch.setattr(engine, "run", given)
        gc.collect()
        printed = _check(".", "--jobs", "1")
    return seen["paths"], len(list(root.rglob("*.yaml"))), seen, printed


def test_an_edited_run_after_a_whole_record_makes_no_path_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = generate(tmp_path / "small", 100, 3).root
    large = generate(tmp_path / "large", 300, 3).root
    paths_small, files_small, seen_small, printed_small = _edited_run(
        small, tmp_path / "c-small", monkeypatch
    )
    paths_large, files_large, seen_large, printed_large = _edited_run(
        large, tmp_path / "c-large", monkeypatch
    )
    assert files_large - files_small == 200
    # the engine is given the walk's names (text), and the stream asks the cache of them
    for seen, files in ((seen_small, files_small), (seen_large, files_large)):
        assert seen["discovered"] == Counter({"str": files})
        assert seen["asked"] == Counter({"str": files})
    # a replayed file is held as its `Path` and key (for its text, suppressions and reports):
    # two a file, not a third for the walk's listing and a fourth to ask the cache
    assert paths_large - paths_small <= 2.3 * 200
    # and each prints what a cold run prints
    for root, printed in ((small, printed_small), (large, printed_large)):
        monkeypatch.chdir(root)
        monkeypatch.setenv(cache.DISABLE_ENV, "1")
        assert _check(".", "--jobs", "1") == printed
