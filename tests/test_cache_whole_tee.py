"""What a first run with the result cache on prints is copied for its whole-run record
(floe_lint.lint.whole): to a temporary file of the cache folder, not to memory (the output is
1.2 MB at 30,000 products, held at the run's peak: issue 17). The file has no name in the
folder, is gone after the run, and the record holds the output exactly as it was printed."""

from __future__ import annotations

import io
import os
import tracemalloc
from pathlib import Path

import pytest

from floe_lint.cli import _parser, main
from floe_lint.config import Config
from floe_lint.lint import cache, whole_record
from floe_lint.lint import whole as whole_run
from tests.conftest import write_files
from tests.test_cache import tree

#: what a run's copy of its output must take in memory at most, whatever it printed
_BOUND = 200_000


def _whole(folder: Path) -> whole_run.Whole:
    args = _parser("check").parse_args(["check", "."])
    sink = open(os.devnull, "w")  # noqa: SIM115  (closed by the test's end: a stream)
    return whole_run.Whole(folder, args, Config(), None, sink, sink)


def test_the_copy_of_a_runs_output_is_not_held_in_memory(tmp_path: Path) -> None:
    """Writing 3 MB through the streams `tee` returns takes no more than a buffer (a copy in
    memory, as an `io.StringIO` kept it, takes the 3 MB and more)."""
    whole = _whole(tmp_path / "cache")
    with open(os.devnull, "w") as stdout, open(os.devnull, "w") as stderr:
        out, err = whole.tee(stdout, stderr)
        line = "products/p/floe.yaml:3:52: ERROR FL201 [compute-not-approved] é x\n"
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            for _ in range(3_000_000 // len(line)):
                out.write(line)
                err.write("w\n")
            grown = tracemalloc.get_traced_memory()[0] - start
        finally:
            tracemalloc.stop()
        assert grown < _BOUND, grown
        whole.close()


def test_the_copy_reads_back_as_printed_and_leaves_no_file(tmp_path: Path) -> None:
    """Line endings, lone surrogates (a path's undecodable bytes on stderr) and text past a
    slice's end read back as printed; nothing is left in the folder, during the run or after."""
    folder = tmp_path / "cache"
    whole = _whole(folder)
    text = 'a\r\nb\rc\n\ud800 é \U0001f600 \x7f"\\\n' * 9_000  # (over `_CHUNK`, many times)
    with open(os.devnull, "w", errors="surrogatepass") as stdout:
        out, _ = whole.tee(stdout, stdout)
        out.write(text)
        assert os.listdir(folder) == []  # (no name in the folder: a link there is never met)
        header = {"out": whole._out, "code": 1}
        assert whole_record.sealed_header(header) == whole_record.sealed_header(
            {"out": text, "code": 1}
        )
        whole.close()
    assert os.listdir(folder) == []


def test_a_cold_run_stored_whole_replays_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    files = tree()
    files["products/p1/floe.yaml"] += "\n# \u2028 é\n"
    write_files(tmp_path / "ws", files)
    monkeypatch.chdir(tmp_path / "ws")
    runs = []
    for _ in range(2):
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", "."], stdout=out, stderr=err)
        runs.append((code, out.getvalue(), err.getvalue()))
    assert runs[0] == runs[1]
    assert runs[0][1]  # (it printed findings)
    stored = sorted(os.listdir(tmp_path / "cache"))
    assert [n for n in stored if n.startswith(whole_run.PREFIX)], stored
    assert not [n for n in stored if not n.startswith("results-")], stored
