"""A file's name relative to a folder above it is cut from its path, not walked by relpath:
the same text `os.path.relpath` gives, for every pair of resolved paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.load import paths

NAMES = st.sampled_from(["a", "b", "ab", "a.yaml", "é", "x y", "-", ".hidden", "a\udcff"])


@given(
    base=st.lists(NAMES, max_size=3),
    below=st.lists(NAMES, max_size=3),
    other=st.lists(NAMES, max_size=3),
)
def test_a_name_below_a_folder_is_what_relpath_gives(
    base: list[str], below: list[str], other: list[str]
) -> None:
    folder = Path("/", *base)
    for target in (Path(folder, *below), Path("/", *other), folder):
        expected = paths.shown_name(Path(os.path.relpath(target, folder)).as_posix())
        assert paths._relative.__wrapped__(target, folder) == expected, (target, folder)


def test_a_file_is_named_from_one_look_at_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every finding, filter and reporter names its file (`relative_posix`): the working
    directory is asked once a name, not twice (about 250 `getcwd` calls of an edited run of
    1,000 products with 126 findings), and the name is the one `os.path.relpath` gives."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a/f.yaml").write_text("", "utf-8")
    monkeypatch.chdir(tmp_path / "a")
    asked: list[str] = []
    real = os.getcwd

    def counting() -> str:
        asked.append(real())
        return asked[-1]

    monkeypatch.setattr(os, "getcwd", counting)
    named = [Path("f.yaml"), Path("../a/./f.yaml"), Path(".."), tmp_path / "a/f.yaml"]
    for path, shown in zip(named, ["f.yaml", "f.yaml", "..", "f.yaml"], strict=True):
        assert paths.relative_posix(path) == shown  # (resolved the first time: asked there too)
        asked.clear()
        assert paths.relative_posix(path) == shown
        assert len(asked) == 1, path
