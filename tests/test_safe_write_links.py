"""`safe_write.check_no_symlink` tells the folders between its root and a path by their parts
and asks each by its text (issue 17: pathlib's `root in folder.parents` and a new `Path` per
folder raised and caught about 30 exceptions for each fixable finding a `check` summed up). It
refuses exactly what the pathlib spelling refused, with the same message: a property over
small trees with links in random places, against that spelling kept here."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.safe_write import SymlinkRefused, _refuse, check_no_symlink


def pathlib_spelling(path: Path, root: Path | None = None) -> None:
    """`check_no_symlink` as it was written at 9c1ba51."""
    absolute = Path(os.path.abspath(path))
    base = Path(os.path.abspath(root or Path.cwd()))
    if absolute.is_symlink():
        raise _refuse(absolute)
    folder = absolute.parent
    if folder.is_symlink():
        raise _refuse(folder)
    if folder == base or base in folder.parents:
        for parent in reversed(folder.parents):
            if (parent == base or base in parent.parents) and parent.is_symlink():
                raise _refuse(parent)


def _outcome(check: Any, path: Path, root: Path | None) -> str:
    try:
        check(path, root)
    except SymlinkRefused as refused:
        return f"refused: {refused}"
    except OSError as error:
        return f"{type(error).__name__}: {error.errno}"
    return "ok"


NAMES = ["a", "b", "c"]
#: a tree: folders a/b/c (each may be a link to a real folder beside it instead), a file in c
LINKS = st.lists(st.sampled_from(["a", "a/b", "a/b/c", "a/b/c/f.yaml"]), max_size=3, unique=True)
PATHS = st.sampled_from(
    ["a/b/c/f.yaml", "a/b/c/new.yaml", "a/b/f.yaml", "a/f.yaml", "f.yaml", "a/b/c", "x/y.yaml"]
)
ROOTS = st.sampled_from([None, ".", "a", "a/b", "a/b/c", "elsewhere", "/"])


def _build(top: Path, links: list[str]) -> None:
    (top / "real").mkdir()
    (top / "a/b/c").mkdir(parents=True)
    (top / "a/b/c/f.yaml").write_text("x: 1\n")
    for n, link in enumerate(sorted(links, key=len, reverse=True)):
        where = top / link
        target = top / "real" / str(n)
        if where.is_dir():
            where.rename(target)
        elif where.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            where.rename(target)
        else:
            continue
        where.symlink_to(target)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(links=LINKS, path=PATHS, root=ROOTS, absolute=st.booleans())
def test_it_refuses_what_the_pathlib_spelling_refused(
    tmp_path_factory: pytest.TempPathFactory,
    links: list[str],
    path: str,
    root: str | None,
    absolute: bool,
) -> None:
    top = tmp_path_factory.mktemp("tree")
    _build(top, links)
    here = os.getcwd()
    os.chdir(top)
    try:
        given_path = (top / path) if absolute else Path(path)
        given_root = None if root is None else Path(root) if root == "/" else top / root
        want = _outcome(pathlib_spelling, given_path, given_root)
        assert _outcome(check_no_symlink, given_path, given_root) == want
    finally:
        os.chdir(here)


def test_a_link_between_root_and_the_file_is_named(tmp_path: Path) -> None:
    _build(tmp_path, ["a/b"])
    with pytest.raises(SymlinkRefused) as refused:
        check_no_symlink(tmp_path / "a/b/c/f.yaml", tmp_path)
    assert refused.value.strerror.startswith(f"{tmp_path / 'a/b'} is a symbolic link (to ")
    check_no_symlink(tmp_path / "a/b/c/f.yaml", tmp_path / "a/b/c")  # (above the root: ok)


def test_it_raises_and_catches_nothing(tmp_path: Path) -> None:
    """Asked of a file 8 folders below its root: no exception raised and caught inside."""
    deep = tmp_path.joinpath(*"abcdefgh")
    deep.mkdir(parents=True)
    (deep / "f.yaml").write_text("x: 1\n")
    caught: Counter[str] = Counter()

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "exception":
            caught[f"{frame.f_code.co_name}: {arg[0].__name__}"] += 1
        return local

    sys.settrace(lambda frame, event, arg: local)
    try:
        check_no_symlink(deep / "f.yaml", tmp_path)
    finally:
        sys.settrace(None)
    # (pathlib fills a Path's text and parts on first use by catching an AttributeError: the
    # path given, the root's and the folder's parts; 83 before, growing with the depth)
    assert sum(caught.values()) <= 3, caught
