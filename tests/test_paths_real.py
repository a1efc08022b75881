"""`paths.real`, the cached `Path.resolve`: the same answer over trees with symlinks."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.load import paths

NAMES = ["a", "b", "c", "link", "up", "loop", "..", ".", "f.yaml"]


def _tree(root: Path) -> None:
    (root / "a" / "b" / "c").mkdir(parents=True, exist_ok=True)
    (root / "a" / "b" / "f.yaml").write_text("x: 1\n")
    for link, target in (("a/link", "b/c"), ("a/b/up", "../.."), ("a/b/c/loop", "loop")):
        if not (root / link).is_symlink():
            os.symlink(target, root / link)


def test_real_is_resolve_over_symlinks(tmp_path: Path) -> None:
    _tree(tmp_path)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(NAMES), max_size=8), st.booleans())
    def same(parts: list[str], relative: bool) -> None:
        path = Path(*parts) if relative and parts else tmp_path.joinpath(*parts)
        outcomes = []
        for resolve in (Path.resolve, paths.real):
            try:
                outcomes.append(resolve(path))
            except RuntimeError:  # a symlink loop
                outcomes.append("loop")
        assert outcomes[0] == outcomes[1], path

    cwd = os.getcwd()
    os.chdir(tmp_path / "a")
    try:
        same()
    finally:
        os.chdir(cwd)


def test_a_key_a_link_free_walk_told_is_what_resolve_gives_until_the_next_run(
    tmp_path: Path,
) -> None:
    """`Workspace.know_keys` tells `resolved` each discovered file's key (the walk met no
    symbolic link): reports then resolve nothing, and get what resolving would give."""
    from floe_lint.load.workspace import Workspace

    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "floe.yaml").write_text("name: p\n")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        workspace = Workspace()
        relative = Path("p/floe.yaml")
        workspace.know_keys([relative, tmp_path / "p" / "floe.yaml"])
        key = (tmp_path / "p" / "floe.yaml").resolve()
        assert paths._KNOWN[str(tmp_path)]["p/floe.yaml"] == str(key)
        assert paths.known(relative) == str(key)
        assert paths.resolved(relative) == (tmp_path / "p" / "floe.yaml").resolve()
        Workspace()  # a new run forgets what the last one was told
        assert paths._KNOWN == {}
    finally:
        os.chdir(old)
