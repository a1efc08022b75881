"""`found_under` (one scandir per folder) finds exactly what discovery's os.walk found, in the
same order and spelled the same, on random trees with hidden and skipped folders, JSON with and
without Floe's marker, and symbolic links in and out of the folder; and it lists every link."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.load.walk import SKIP_DIRS, Listing, declares_floe, found_under, walk


def reference(path: Path) -> Iterator[Path]:
    """Discovery's walk as it was written with os.walk (floe_lint/load/workspace.py, issue 16)."""
    inside = os.path.realpath(path)
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(files):
            found = Path(root) / name
            folded = name.lower()  # (`floe.YAML` is Floe's where names fold case)
            if not (
                folded.endswith((".yaml", ".yml"))
                or (folded.endswith(".json") and declares_floe(found))
            ):
                continue
            target = os.path.realpath(found)
            if os.path.islink(found) and not (
                target == inside or target.startswith(inside.rstrip(os.sep) + os.sep)
            ):
                continue
            yield found


NAMES = st.sampled_from(
    [
        *("a", "b", "floe.yaml", "manifest.yml", "x.json", "y.JSON", "floe.YAML", "m.Yml"),
        *(".hidden", "target", "z.txt"),
    ]
)
ENTRY = st.tuples(
    st.lists(NAMES, min_size=0, max_size=3),  # folders
    NAMES,
    st.sampled_from(["file", "floe-json", "link-in", "link-out", "link-dir", "broken"]),
)


def build(root: Path, outside: Path, entries: list[tuple[list[str], str, str]]) -> None:
    (outside / "secret.yaml").write_text("k: v\n")
    for folders, name, kind in entries:
        folder = root.joinpath(*folders)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / name
            if target.exists() or target.is_symlink():
                continue
            if kind == "file":
                target.write_text("a: 1\n")
            elif kind == "floe-json":
                target.write_text('{"apiVersion": "floe.dev/v1"}')
            elif kind == "link-in":
                target.symlink_to(root / "in.yaml")
            elif kind == "link-out":
                target.symlink_to(outside / "secret.yaml")
            elif kind == "link-dir":
                target.symlink_to(root if folders else outside, target_is_directory=True)
            else:
                target.symlink_to(root / "nowhere")
        except (FileExistsError, NotADirectoryError):
            continue  # a name already taken by a file or link on the way


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(ENTRY, max_size=12), top=st.sampled_from(["tree", "./tree", "tree/"]))
def test_found_under_is_discoverys_os_walk(
    tmp_path_factory: object, entries: list[tuple[list[str], str, str]], top: str
) -> None:
    base = Path(tmp_path_factory.mktemp("walk"))  # type: ignore[attr-defined]
    root, outside = base / "tree", base / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "in.yaml").write_text("a: 1\n")
    build(root, outside, entries)
    old = os.getcwd()
    os.chdir(base)
    try:
        for given_path in (Path(top), base / "tree"):
            expected = [str(p) for p in reference(given_path)]
            links: list[str] = []
            listing = Listing()
            assert list(found_under(given_path, links, listing)) == expected
            # what the dependents search walks with: each name's absolute path and link flag
            assert walk(given_path) == [
                (name, os.path.abspath(name), os.path.islink(name)) for name in expected
            ]
            every = [
                str(Path(r) / n)
                for r, ds, fs in os.walk(given_path)
                for n in [*ds, *fs]
                if os.path.islink(Path(r) / n) and not _skipped(Path(r).relative_to(given_path))
            ]
            assert sorted(links) == sorted(every)
            walked = {
                os.path.abspath(r)
                for r, _, _ in os.walk(given_path)
                if not _skipped(Path(r).relative_to(given_path))
                and not any(os.path.islink(p) for p in _ancestors(Path(r), given_path))
            }
            assert listing.folders == walked
            for folder in walked:
                for name in [*os.listdir(folder), "floe.lock"]:
                    path = os.path.join(folder, name)
                    told = listing.absent(path)
                    if os.path.lexists(path):  # (None: a folder of many names, `_hashed`)
                        assert told is False or (told is None and len(os.listdir(folder)) > 8)
                    else:
                        assert told is True, path
            assert listing.absent(str(outside / "secret.yaml")) is None
    finally:
        os.chdir(old)


def _skipped(relative: Path) -> bool:
    return any(part.startswith(".") or part in SKIP_DIRS for part in relative.parts)


def _ancestors(folder: Path, top: Path) -> list[Path]:
    """`folder` and the folders between it and `top` (os.walk lists a link to a folder only
    when told to follow links)."""
    found = []
    while folder != top and folder != folder.parent:
        found.append(folder)
        folder = folder.parent
    return found
