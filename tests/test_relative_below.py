"""A file's name relative to a folder above it is cut from its path, not walked by relpath:
the same text `os.path.relpath` gives, for every pair of resolved paths."""

from __future__ import annotations

import os
from pathlib import Path

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
