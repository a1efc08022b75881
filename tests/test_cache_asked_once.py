"""What a streamed run asks the result cache about each file (floe_lint.lint.engine,
floe_lint.lint.stream): whether it is replayed, asked when its group comes (to parse it or not)
and when it is added, and whether a file checked again is built from its kept parse, asked
once; not asked of every file once more up front to count the files to parse (issue 17). The
output is a cold run's, and the parse workers are as many as the files to parse call for."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from floe_lint.lint import cache, stream
from floe_lint.lint.replay import Replay
from floe_lint.load import bulk
from tests.conftest import check, write_files
from tests.test_cache import tree

SALES = "platform/sales/manifest.yaml"


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    write_files(tmp_path / "ws", tree())
    monkeypatch.chdir(tmp_path / "ws")
    return tmp_path / "ws"


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _asking(monkeypatch: pytest.MonkeyPatch) -> dict[str, Counter[str]]:
    """Count the questions `Replay.replayable` and `Replay.servable` are asked, by name."""
    asked: dict[str, Counter[str]] = {"replayable": Counter(), "servable": Counter()}
    for question, counter in asked.items():
        real = getattr(Replay, question)

        def noting(
            self: Replay, path: Path | str, real: object = real, counter: Counter[str] = counter
        ) -> bool:
            counter[Path(path).as_posix()] += 1
            return real(self, path)  # type: ignore[operator,no-any-return]

        monkeypatch.setattr(Replay, question, noting)
    return asked


def test_an_edited_run_asks_of_each_file_when_its_group_comes(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check(".")
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    check(".")
    _edit(cached, SALES, "[duckdb]", "[duckdb, snowflake]")
    asked = _asking(monkeypatch)
    out = check(".")
    names = sorted(tree())
    # the stream asks when the group comes and when it adds the file: three times before (the
    # engine asked of every file first, only to count those to parse)
    assert asked["replayable"] == Counter({name: 2 for name in names})
    # only of the files not replayed (the changed manifest, its products, the other
    # manifests): once each, two before
    checked = [SALES, "platform/enterprise/manifest.yaml", "platform/risk/manifest.yaml"]
    assert asked["servable"] == Counter(
        {name: 1 for name in [*checked, "products/p0/floe.yaml", "products/p1/floe.yaml"]}
    )
    assert out == check(".", "--no-cache")
    assert "products/p0/floe.yaml:5:" in out[1] and "compute 'spark'" in out[1]


@pytest.mark.parametrize("jobs", ["1", "2", "3"])
def test_the_parse_workers_are_as_many_as_the_files_to_parse_call_for(
    cached: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """A first run parses every file (its workers as many as asked for, up to the files), an
    edited run only the changed manifest (none: the run parses it itself), and each prints
    what a cold run prints."""
    started: list[int] = []
    load_groups = bulk.load_groups

    def noting(todo: list[list[Path | str]], workers: int) -> object:
        started.append(workers)
        return load_groups(todo, workers)

    monkeypatch.setattr(stream.bulk, "load_groups", noting)
    cold = check(".", "--no-cache", "--jobs", jobs)
    started.clear()
    assert check(".", "--jobs", jobs) == cold
    assert started == ([] if jobs == "1" else [int(jobs) - 1])
    started.clear()
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    edited = check(".", "--jobs", jobs)
    assert started == []  # one file to parse: no worker
    assert edited == check(".", "--no-cache", "--jobs", jobs) != cold
