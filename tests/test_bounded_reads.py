"""The scans' fast readers (floe_lint.load.bounded) answer what `read_regular` answers: its bytes,
or None wherever it refuses (no file, a folder, a FIFO, a device, a file over the limit, a /proc
file, and for `read_unlinked` a symbolic link), in one open, one fstat and one read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.load.bounded import read_bounded, read_unlinked
from floe_lint.load.reading import ReadError, read_regular

KINDS = ("file", "empty", "big", "missing", "folder", "fifo", "link", "dangling", "link-to-fifo")


def _make(base: Path, kind: str, content: bytes) -> Path:
    path = base / kind
    if kind == "file":
        path.write_bytes(content)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "big":
        path.write_bytes(b"x" * 40)
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "link":
        (base / "target").write_bytes(content)
        path.symlink_to(base / "target")
    elif kind == "dangling":
        path.symlink_to(base / "nowhere")
    elif kind == "link-to-fifo":
        os.mkfifo(base / "pipe")
        path.symlink_to(base / "pipe")
    return path


def _regular(path: Path, limit: int, follow: bool) -> bytes | None:
    try:
        return read_regular(path, limit, follow_symlinks=follow)
    except ReadError:
        return None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(KINDS), content=st.binary(max_size=64))
def test_the_fast_readers_answer_what_read_regular_answers(
    tmp_path_factory: pytest.TempPathFactory, kind: str, content: bytes
) -> None:
    base = tmp_path_factory.mktemp("read")
    path = _make(base, kind, content)
    assert read_bounded(path) == _regular(path, 5 * 1024 * 1024, True)
    assert read_bounded(str(path)) == _regular(path, 5 * 1024 * 1024, True)
    for limit in (32, 5 * 1024 * 1024):
        assert read_unlinked(str(path), limit) == _regular(path, limit, False)


def test_a_symbolic_link_is_never_followed_by_read_unlinked(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_bytes(b"token: x\n")
    (tmp_path / "floe.yaml").symlink_to(tmp_path / "secret.yaml")
    assert read_bounded(tmp_path / "floe.yaml") == b"token: x\n"
    assert read_unlinked(str(tmp_path / "floe.yaml")) is None


def test_a_proc_file_that_makes_up_its_content_is_refused() -> None:
    if not Path("/proc/self/environ").exists():
        pytest.skip("no /proc here")
    assert read_bounded("/proc/self/environ") is None
    assert read_unlinked("/proc/self/environ") is None
