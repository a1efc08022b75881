"""`paths.made`: a `Path` with what pathlib works out on first use worked out up front (issue 17:
each of those slots was filled by catching an AttributeError, seven or so for every file an
edited run replays). It must be the `Path` that `Path(text)` makes in every way a caller sees,
and a run must not raise those exceptions for the files it replays."""

from __future__ import annotations

import io
import os
import sys
from collections import Counter
from pathlib import Path, PurePath
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.lint import cache
from floe_lint.load import paths
from floe_lint.load.paths import made
from tests.conftest import write_files
from tests.test_cache import PRODUCT, tree

SEGMENTS = st.sampled_from(["", ".", "..", "a", "b.yaml", "A", "é", "x y", "-z", "~", "//"])
TEXTS = st.lists(SEGMENTS, max_size=5).map("/".join) | st.text(max_size=12).filter(
    lambda text: "\x00" not in text
)


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
def test_made_is_the_path_of_its_text(text: str, other: str) -> None:
    # each made anew: a slot read once is then filled in the plain Path too
    for observe in (
        str,
        repr,
        hash,
        os.fspath,
        lambda p: p.parts,
        lambda p: p.as_posix(),
        lambda p: p.name,
        lambda p: p.parent,
        lambda p: p.is_absolute(),
        lambda p: p / "c",
        lambda p: type(p),
    ):
        assert observe(made(text)) == observe(Path(text))
    for compare in (
        lambda p, q: p == q,
        lambda p, q: p < q,
        lambda p, q: p <= q,
        lambda p, q: hash(p) == hash(q),
    ):
        assert compare(made(text), made(other)) == compare(Path(text), Path(other))
        assert compare(made(text), Path(other)) == compare(Path(text), Path(other))
    assert sorted([made(text), made(other)]) == sorted([Path(text), Path(other)])
    assert {made(text): 1}.get(Path(text)) == 1


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="CPython 3.11's pathlib slots")
def test_made_fills_the_slots_pathlib_would_fill_on_first_use() -> None:
    assert paths._PRIMED
    path = made("products/p0/floe.yaml")
    slots: Any = path
    assert slots._str == "products/p0/floe.yaml"
    assert slots._pparts == ("products", "p0", "floe.yaml")
    assert slots._hash == hash(Path("products/p0/floe.yaml"))
    assert isinstance(path, PurePath)


def _pathlib_misses(watched: set[str]) -> tuple[Counter[str], Any]:
    """A tracer counting the AttributeErrors pathlib raises (an empty slot read first) for
    `Path`s whose text is in `watched`, by that text."""
    misses: Counter[str] = Counter()
    pathlib_file = sys.modules["pathlib"].__file__

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "exception" and arg[0] is AttributeError:
            tb = arg[2]
            if tb is not None and tb.tb_next is None and tb.tb_frame is frame:
                self = frame.f_locals.get("self")
                parts = getattr(self, "_parts", None)
                if isinstance(parts, list):
                    text = "/".join(parts).replace("//", "/")
                    if text in watched:
                        misses[text] += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename == pathlib_file else None

    return misses, calls


def test_an_edited_run_raises_no_pathlib_miss_for_the_files_it_replays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    files = tree()
    replayed = [f"products/q{n}/floe.yaml" for n in range(12)]
    for n, name in enumerate(replayed):
        files[name] = PRODUCT.format(name=f"q{n}", domain="sales", compute="spark", comment="")
    root = tmp_path / "ws"
    write_files(root, files)
    monkeypatch.chdir(root)

    def check() -> str:
        out, err = io.StringIO(), io.StringIO()
        main(["check", "."], stdout=out, stderr=err)
        return out.getvalue() + err.getvalue()

    cold = check()
    risk = root / "platform/risk/manifest.yaml"
    risk.write_text(risk.read_text() + "# edited\n")
    assert check() == cold
    risk.write_text(risk.read_text() + "# edited again\n")
    real = os.path.realpath(root)
    watched = set(replayed) | {f"{real}/{name}" for name in replayed}
    misses, tracer = _pathlib_misses(watched)
    sys.settrace(tracer)
    try:
        again = check()
    finally:
        sys.settrace(None)
    assert again == cold
    # each of these 12 products was replayed (its products' domain did not change): its name
    # and its key, hashed, printed and sorted, missed 7 slots each before
    assert misses == Counter()
