"""The line named when a file is not UTF-8 counts the lines before the bad byte, a byte-order
mark or not: the position the decoder gives is after the mark, and was applied to the bytes
with it, so `BOM + "a\\n" + 0xFF` was said to fail on line 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.load.reading import ReadError, read_text

BOM = b"\xef\xbb\xbf"


def _named_line(path: Path) -> str:
    try:
        read_text(path)
    except ReadError as error:
        return str(error)
    raise AssertionError("read as UTF-8")


def test_a_bad_byte_after_a_mark_and_a_line_break_is_on_line_2(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(BOM + b"a\n\xff")
    assert _named_line(path) == "it is not valid UTF-8 (line 2)"


@given(
    st.booleans(),
    st.lists(st.text("ab \n", max_size=6), max_size=5).map("\n".join),
)
@settings(max_examples=80, deadline=None)
def test_the_line_named_is_the_bad_bytes_line(mark: bool, before: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.yaml"
        path.write_bytes((BOM if mark else b"") + before.encode() + b"\xff")
        assert _named_line(path) == f"it is not valid UTF-8 (line {before.count(chr(10)) + 1})"


def test_a_baseline_not_utf8_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "baseline.json").write_bytes(BOM + b'{"version": 1,\n\xff\n')
    run = subprocess.run(
        [sys.executable, "-m", "floe_lint", "check", "--baseline", "baseline.json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert "baseline.json" in run.stderr, run.stderr
    assert "it is not valid UTF-8 (line 2)" in run.stderr, run.stderr
