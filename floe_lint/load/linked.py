"""Where a folder's walk leaves the folder: `discover`, the files under the paths a command
was given, following a symbolic link out of a folder given into the workspace (to a folder the
walk enters nowhere else, or to a Floe file), never out of it. Apart from `floe_lint.load.walk`
(one folder's walk, which the whole-run replay uses alone) so that neither passes 500 lines.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from floe_lint.load.walk import (
    SKIP_DIRS,
    Beside,
    Folder,
    Listing,
    declares_floe,
    files_of,
    folder_files,
    found_under,
    json_name,
    within_folder,
    yaml_name,
)


def discover(
    paths: Iterable[Path],
    *,
    hook: bool = False,
    listing: Beside | None = None,
    within: str | os.PathLike[str] | None = None,
) -> Iterator[tuple[Path, bool]]:
    """YAML files, and JSON files declaring `apiVersion: floe.dev/v1`, under `paths`, each
    with whether it was named explicitly.

    A folder's walk skips hidden folders and SKIP_DIRS, and never leaves the folder, except
    through a symbolic link to a folder inside `within` (the workspace) that the walk enters
    nowhere else, or to a file of a name it takes inside `within` (`linked_folder_files`):
    any other link whose target lies outside the folder is not followed. With
    `hook` (a pre-commit hook hands every staged YAML and JSON file), files are taken as if
    discovered: one that holds no Floe document is skipped, not reported, and JSON only
    counts when it declares Floe's API version. Each folder walked is noted in `listing`,
    and whether a symbolic link was met (`listing.links_met`).
    """
    for found, explicit in discover_names(paths, hook=hook, listing=listing, within=within):
        yield (Path(found) if isinstance(found, str) else found), explicit


def discover_names(
    paths: Iterable[Path],
    *,
    hook: bool = False,
    listing: Beside | None = None,
    within: str | os.PathLike[str] | None = None,
) -> Iterator[tuple[Path | str, bool]]:
    """`discover`, a file found in a folder given as the walk names it (text, as `Path`
    prints it), one given as its `Path`: a run that checks a tree group by group makes each
    file's `Path` when its group comes (floe_lint.lint.stream), not one per file up front."""
    for path in paths:
        if path.is_dir():
            links: list[str] = []
            for found in found_under(path, links, listing):
                yield found, False
            if links:
                linked = linked_folder_files(path, links, listing, within)
                for found, _, _ in files_of(linked):
                    yield found, False
                if listing is not None:
                    listing.links_met = True
                    if isinstance(listing, Beside):
                        listing.links.extend(links)
        elif hook:
            if yaml_name(path.name) or (json_name(path.name) and declares_floe(path)):
                yield path, False
        else:
            yield path, True


def linked_folder_files(
    top: str | os.PathLike[str],
    links: list[str],
    listing: Listing | None = None,
    within: str | os.PathLike[str] | None = None,
    reached: list[str] | None = None,
) -> Iterator[Folder]:
    """`folder_files` of the targets of the links to folders that a walk of `top` met
    (`links`, extended by those met below them) where they lie inside `top` in a folder its
    walk enters nowhere else (a hidden one, `node_modules/`, ...), or outside `top` inside
    `within` (the workspace: `check products` with products/orders -> ../vendor/orders): a
    product folder linked there is a product Floe reads through the link, and would pass
    unlinted. Each is walked by its own name (`.hidden/orders`, `vendor/orders` from the
    working directory, so no link lies on the way to a file found), each folder once, and
    its real path appended to `reached`; a link out of `top` and `within`, to a folder
    that holds `top` (a loop), or to one the walk of `top` lists anyway, is not followed.
    Then each file of a name the walk takes (`floe.yaml`) linked from out of `top` into
    `within` (`products/c/floe.yaml -> ../../templates/c.yaml`), as a folder of its own
    target's name holding that one file, once, unless a folder walked held it."""
    inside = os.path.realpath(top)
    bound = inside if within is None else os.path.realpath(within)
    targets: set[str] = set()
    done: set[str] = set()
    walked: list[str] = []  # the folders linked that were walked
    files: list[str] = []  # the files linked out of `top` into `within`, by real path
    at = 0
    while at < len(links):
        link = links[at]
        target = os.path.realpath(link)
        at += 1
        if target in targets:
            continue
        targets.add(target)
        if not os.path.isdir(target):
            out = not within_folder(target, inside)
            if out and within_folder(target, bound) and _floe_name(link):
                files.append(target)
            continue
        if within_folder(target, inside):
            below = os.path.relpath(target, inside)
            if not any(part[:1] == "." or part in SKIP_DIRS for part in below.split(os.sep)):
                continue  # the walk lists it by its own name
            start = os.path.join(top, below)
        elif within_folder(target, bound) and not within_folder(inside, target):
            start = _spelt(target)
        else:
            continue  # out of the workspace (not ours to read), or a loop back above `top`
        if reached is not None:
            reached.append(target)
        walked.append(target)
        for folder in folder_files(start, links, listing):
            if folder[1] not in done:
                done.add(folder[1])
                yield folder
    for target in files:  # (after the folders: a file in one walked was found there)
        if any(within_folder(target, folder) for folder in walked):
            continue
        if reached is not None:
            reached.append(target)
        parent, name = os.path.split(target)
        shown = _spelt(parent)
        prefix = "" if shown == "." else os.path.join(shown, "")
        yield prefix, os.path.join(parent, ""), prefix, [name], None


def _floe_name(link: str) -> bool:
    """Whether a walk takes a file of the name of `link` (a YAML name, or JSON declaring
    Floe's API version)."""
    return yaml_name(link) or (json_name(link) and declares_floe(link))


def links_out(top: str | os.PathLike[str], within: str | os.PathLike[str]) -> list[str]:
    """The symbolic links a walk of `top` meets, as it spells them, to files of a name it
    takes that lie outside the workspace `within`: not read (see `linked_folder_files`)."""
    links: list[str] = []
    for _ in found_under(top, links):
        pass
    for _ in linked_folder_files(top, links, None, within):
        pass
    bound = os.path.realpath(within)
    return [
        link
        for link in links
        if _floe_name(link)
        and os.path.isfile(link)
        and not within_folder(os.path.realpath(link), bound)
    ]


def linked_targets(top: str | os.PathLike[str], within: str | os.PathLike[str]) -> list[str]:
    """The real paths of the folders `discover` walks through links met under `top` (see
    `linked_folder_files`), where it finds files of `top` that lie elsewhere."""
    links: list[str] = []
    for _ in found_under(top, links):
        pass
    reached: list[str] = []
    for _ in linked_folder_files(top, links, None, within, reached):
        pass
    return reached


def _spelt(target: str) -> str:
    """`target` (a real path) from the working directory when it lies below it, as a walk
    from there spells its files; else as it is."""
    here = os.getcwd()
    return os.path.relpath(target, here) if within_folder(target, here) else target


def plain(paths: Iterable[Path]) -> bool:
    """Whether no symbolic link lies on the way to any of `paths` (each resolves to itself)."""
    return all(os.path.realpath(p) == os.path.abspath(p) for p in paths)
