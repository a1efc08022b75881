"""Manifests a commit deletes or renames, and the files that named them.

pre-commit hands a hook only files that exist, so a commit that deletes or renames a domain
manifest would reach the hook with nothing to check while every product below it breaks.
`check --hook` therefore asks git itself for the staged deletions and renames
(`git diff --cached --name-status -z`, an argument list, with every repository-controlled
program off), reads each old file from HEAD, and, when it was a Floe manifest, finds the
workspace's files whose refs named it: they are linted with the commit, and since their ref
now leads nowhere, the commit is refused naming them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from floe_lint.load.revision import RevisionError, run_git, show_in
from floe_lint.record import Frozen, set_field

# A commit that deletes nothing (nearly every one) costs one `git diff`: the rest is imported
# only when there is a removal to follow.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from floe_lint.config import Config
    from floe_lint.load.workspace import Workspace
    from floe_lint.model.ref_needles import _Targets

_SUFFIXES = (".yaml", ".yml", ".json")

_MANIFEST_NAMES = ("manifest.yaml", "manifest.yml")


class Removal(Frozen):
    """A Floe manifest the index no longer has at `path` (absolute)."""

    __slots__ = ("path", "renamed_to")
    path: Path
    renamed_to: Path | None

    def __init__(self, path: Path, renamed_to: Path | None = None) -> None:
        set_field(self, "path", path)
        set_field(self, "renamed_to", renamed_to)

    def describe(self) -> str:
        from floe_lint.load.paths import relative_posix

        shown = relative_posix(self.path)
        if self.renamed_to is None:
            return f"{shown} is deleted in this commit"
        return f"{shown} is renamed to {relative_posix(self.renamed_to)} in this commit"


def _entries(output: bytes) -> Iterator[tuple[str, str, str | None]]:
    """(status, path, new path) of `git diff --name-status -z` output."""
    fields = output.split(b"\0")
    i = 0
    while i + 1 < len(fields) and fields[i]:
        status = fields[i].decode("ascii", "replace")
        old = os.fsdecode(fields[i + 1])
        if status[:1] in ("R", "C") and i + 2 < len(fields):
            yield status, old, os.fsdecode(fields[i + 2])
            i += 3
        else:
            yield status, old, None
            i += 2


def staged_removals(root: Path) -> list[Removal]:
    """The Floe manifests that the staged changes of the repository at `root` delete or rename
    away; none outside a git repository or before its first commit."""
    return staged_changes(root)[0]


def staged_changes(root: Path) -> tuple[list[Removal], list[Path]]:
    """`staged_removals`, and what the staged changes bring that pre-commit hands the hook
    none of: the folders of the submodules whose commit they add or move (a gitlink: a folder
    in the work tree), though the products there change with the commit, and the symbolic links
    of a Floe file's name they add, rename or turn a file into (identify tags a link `symlink`
    alone, never `yaml`), or whose target of another name they change (`_links_to`), though
    Floe reads the product through the link."""
    try:
        output = run_git(
            root,
            ("diff", "--cached", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv"),
            "the staged changes",
            "list the staged changes",
        )
    except RevisionError:
        return [], []
    found = []
    unhanded = []
    changed = []  # staged files of no Floe name: a Floe link's target may be one
    for status, old, new in _entries(output):
        now = old if new is None else new
        if status[:1] in ("A", "M", "T", "R", "C") and now.lower().endswith(_SUFFIXES):
            # (a link out of the repository is not read, as a walk reads none)
            if os.path.islink(root / now) and _inside(os.path.realpath(root / now), root):
                unhanded.append(root / now)
        elif status[:1] in ("A", "M", "T", "R", "C"):
            if status[:1] in ("A", "M") and os.path.isdir(root / old):  # (git stages no folder
                # but a submodule's commit, or a link to a folder)
                unhanded.append(root / old)
            elif os.path.isfile(root / now):
                changed.append(now)
            if status[:1] in ("A", "M"):
                continue
        if status[:1] not in ("D", "R") or not old.lower().endswith(_SUFFIXES):
            continue
        try:
            raw = show_in(root, "HEAD", old)
        except RevisionError:
            continue
        from floe_lint.load.workspace import Workspace

        path = root / old
        workspace = Workspace()
        workspace.put(path, raw)
        if any(d.kind == "manifest" for d in workspace.load(path).documents):
            found.append(Removal(path, root / new if new is not None else None))
    if changed:
        unhanded += [link for link in _links_to(root, changed) if link not in unhanded]
    return found, unhanded


#: the index's names a walk takes as Floe's, in any case (git's pathspec magic)
_FLOE_PATHSPECS = tuple(f":(glob,icase)**/*{suffix}" for suffix in _SUFFIXES)


def _links_to(root: Path, changed: list[str]) -> list[Path]:
    """The symbolic links of a Floe name in the index that lead to one of `changed` (staged
    files of another name: `products/c/floe.yaml -> ../../templates/c.tmpl`). pre-commit hands
    over neither, though Floe reads the product through the link: it is checked again."""
    targets = {os.path.realpath(root / name) for name in changed}
    try:
        output = run_git(
            root,
            ("ls-files", "-s", "-z", "--", *_FLOE_PATHSPECS),
            "the index's Floe files",
            "list the index's symbolic links",
        )
    except RevisionError:
        return []
    found = []
    for entry in output.split(b"\0"):
        info, tab, name = entry.partition(b"\t")
        if tab and info.startswith(b"120000 "):  # (git's mode of a symbolic link)
            link = root / os.fsdecode(name)
            if os.path.islink(link) and os.path.realpath(link) in targets:
                found.append(link)
    return found


def _inside(path: str, root: Path) -> bool:
    top = os.path.realpath(root)
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def former_dependents(
    removals: Sequence[Removal], root: Path, config: Config
) -> list[tuple[Path, Removal]]:
    """The workspace's files (with the removal they depended on) whose platform or parent
    ref named a removed manifest: by its path, its folder, or as the manifest beside them.

    A file is parsed when its text may name one (`_may_name`), and its refs are resolved as
    the loader resolves them (`_real`): from the folder a linked file leads to, each `..`
    taken after the link before it is followed."""
    from floe_lint.lint import filtering
    from floe_lint.load.bounded import read_bounded
    from floe_lint.load.walk import walk
    from floe_lint.load.workspace import Workspace
    from floe_lint.model.ref_needles import _Targets

    targets: dict[str, Removal] = {}
    for removal in removals:
        for form in {os.path.normpath(removal.path.absolute()), _real(removal.path)}:
            targets[form] = removal
            if removal.path.name in _MANIFEST_NAMES:
                targets.setdefault(os.path.dirname(form), removal)
    links: list[str] = []
    files = walk(root, links)
    needles = _Targets([r.path for r in removals])
    aliases = _aliases(links, targets)
    if aliases:
        needles = _Targets([r.path for r in removals], needles.needles | aliases)
    written = {os.fsencode(name) for r in removals for name in (r.path.name, r.path.parent.name)}
    names = tuple(name for name in written | {os.fsencode(a) for a in aliases} if name)
    # a product naming no platform takes the config's `manifest` (absolute): if it is removed,
    # such a product's text need not name it, so every file is parsed
    every = config.manifest is not None and "://" not in config.manifest
    every = every and _real(config.manifest or "") in targets
    workspace = Workspace(config.dialect)
    found: list[tuple[Path, Removal]] = []
    for name, _, _ in files:
        path = Path(name)
        if not filtering.selected(path, config):
            continue
        raw = read_bounded(path)
        if raw is None:
            continue
        sibling = targets.get(os.path.join(os.path.dirname(_real(path)), "manifest.yaml"))
        if sibling is None and not every and not _may_name(raw, names, needles):
            continue
        hit = _named(workspace, path, targets, config, sibling)
        if hit is not None:
            found.append((path, hit))
    return found


def _aliases(links: list[str], targets: dict[str, Removal]) -> set[str]:
    """The names of the symbolic links the walk met that lead to a removed manifest or its
    folder (a link named manifest.yaml: its folder's name): a ref through one need hold no
    name of the manifest's path (`ReverseIndex._aliases` does the same for the dependents)."""
    names: set[str] = set()
    for link in links:
        if _real(link) in targets:
            name = os.path.basename(link)
            above = os.path.basename(os.path.dirname(os.path.abspath(link)))
            names.add(above if name in _MANIFEST_NAMES and above else name)
    return names


def _may_name(raw: bytes, names: tuple[bytes, ...], needles: _Targets) -> bool:
    """Whether a file whose bytes are `raw` may name a removed manifest, so it is parsed: it
    holds the manifest's or its folder's name as written (`names`), a backslash (a
    double-quoted scalar's escape, `\\x27` or `\\u0066`, may spell any name), or each piece
    of a name where a scalar may spell it otherwise (a `''`, a line break folded to a space:
    `_Targets.spells_otherwise`)."""
    if b"\\" in raw or any(name in raw for name in names):
        return True
    return needles.may_name(raw) and needles.spells_otherwise(raw.decode("utf-8", "replace"))


def _real(path: Path | str) -> str:
    """The path the system opens for `path` (every symbolic link followed, each `..` taken
    after the link before it, as the loader's refs resolve: `Resolver`, `Workspace.named`);
    the names that do not exist (a removed manifest) as written; a path through a symlink
    loop or one the system refuses as written (it names nothing the loader reads)."""
    from floe_lint.load.paths import real

    try:
        return os.fspath(real(Path(path)))
    except (OSError, RuntimeError, ValueError):
        return os.path.normpath(os.path.abspath(path))


def _named(
    workspace: Workspace,
    path: Path,
    targets: dict[str, Removal],
    config: Config,
    sibling: Removal | None,
) -> Removal | None:
    from floe_lint.model.dialects import product_of
    from floe_lint.model.reverse_index import level_refs

    for doc in workspace.load(path).documents:
        if doc.kind == "floe" and sibling is not None:
            product = product_of(doc)
            implicit = product.platform_node.value is None and product.platform_optional
            if implicit and config.manifest is None:
                return sibling  # it took the manifest beside it, which is gone
        for _, ref in level_refs(doc, config.manifest):
            if "://" in ref:
                continue
            target = _real(doc.path.parent / ref)  # (doc.path: where a linked file leads)
            if target in targets:
                return targets[target]
    return None
