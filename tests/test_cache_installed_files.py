"""The installed code's files that key the result cache (floe_lint.lint.installed_files) are
those `os.walk` finds, in its order, with their size and time: listing them without `os.walk`
weakens nothing the key covers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from floe_lint.lint import cache
from floe_lint.lint.installed_files import stat_files


def walked(root: Path) -> list[Any]:
    """What the key held when `os.walk` listed the files (the reference)."""
    seen: list[Any] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "tests"))
        for name in sorted(files):
            if name.endswith((".py", ".json", ".so", ".pyd")):
                info = os.stat(os.path.join(folder, name))
                seen.append([os.path.join(folder, name), info.st_size, info.st_mtime_ns])
    return seen


def listed(root: Path) -> list[Any]:
    seen: list[Any] = []
    stat_files(root, seen)
    return seen


def test_the_files_listed_are_os_walks_in_its_order(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    for name in ("z.py", "b/y.json", "b/a/x.so", "a.pyd", "A.py", "notes.txt", "b/c.pyc"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    for skipped in ("__pycache__/m.py", "tests/test_m.py", "b/tests/t.py"):
        (root / skipped).parent.mkdir(parents=True, exist_ok=True)
        (root / skipped).write_text("skipped")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.py").write_text("o")
    (root / "linked").symlink_to(outside, target_is_directory=True)  # (not entered)
    (root / "link.py").symlink_to(outside / "o.py")  # (its target's size and time)
    expected = walked(root)
    assert [Path(p).relative_to(root).as_posix() for p, _, _ in expected] == [
        "A.py",
        "a.pyd",
        "link.py",
        "z.py",
        "b/y.json",
        "b/a/x.so",
    ]
    assert listed(root) == expected
    assert listed(tmp_path / "absent") == walked(tmp_path / "absent") == []


def test_a_file_edited_in_place_changes_what_is_listed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    code = tmp_path / "sub" / "m.py"
    code.write_text("x = 1\n")
    before = listed(tmp_path)
    code.write_text("x = 22\n")
    assert listed(tmp_path) != before
    assert listed(tmp_path) == walked(tmp_path)


def test_floe_lints_own_files_are_listed_as_os_walk_lists_them() -> None:
    import floe_lint

    root = Path(floe_lint.__file__).parent
    assert listed(root) == walked(root)
    seen: list[Any] = []
    cache._stat_files(root, seen)
    assert seen == walked(root) and len(seen) > 100


def test_a_file_gone_or_linked_to_nothing_is_noted_without_stopping_the_run(
    tmp_path: Path,
) -> None:
    """A `.py` link to nothing (or a file removed between the listing and its `stat`, as a
    checkout or an editor saving does) stopped every cached run with FileNotFoundError, exit
    2: it is noted as such, a key of its own that a file there again changes."""
    (tmp_path / "a.py").write_text("x = 1\n", "utf-8")
    (tmp_path / "b.py").symlink_to(tmp_path / "gone.py")
    info = (tmp_path / "a.py").stat()
    assert listed(tmp_path) == [
        [str(tmp_path / "a.py"), info.st_size, info.st_mtime_ns],
        [str(tmp_path / "b.py"), None, None],
    ]
    (tmp_path / "gone.py").write_text("", "utf-8")
    assert listed(tmp_path)[1][1:] == [0, (tmp_path / "gone.py").stat().st_mtime_ns]
