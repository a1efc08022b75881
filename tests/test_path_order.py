"""`paths.order` sorts paths as `Path`'s own comparison does (the run sorts its files' keys with
it: the order of findings, of groups and of the stored entries depends on it)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from floe_lint.load.paths import order

names = st.sampled_from(["a", "a-b", "a.b", "a b", "A", "b", "é", "a_", "-", "..", ".", "z9", "ab"])


@given(
    st.lists(
        st.tuples(st.sampled_from(["", "/", "//", "./"]), st.lists(names, max_size=4)),
        max_size=30,
    )
)
def test_order_sorts_as_path_compares(spelt: list[tuple[str, list[str]]]) -> None:
    paths = list({Path(top + "/".join(parts)) for top, parts in spelt})
    assert sorted(paths, key=order) == sorted(paths)
