"""The workspace: the folder whose files may depend on a changed manifest.

Dependents are searched for in the whole repository, not only among the files a command was
given: git's root, else the config file's folder, else the working directory; for paths given
outside that folder, their own repository (a run from elsewhere must not search, and report, an
unrelated tree), and so for paths of one project below a working directory of none (`cd ~`).
`--workspace` overrides it. Finding git's root is a walk up the folders, not a
`git` process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from floe_lint.errors import ConfigError


class WorkspaceError(ConfigError):
    """A `--workspace` that is not a folder (reported like any bad input, exit status 2)."""


def git_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds `.git` (a folder, or a worktree's file)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def workspace_root(
    explicit: Path | None,
    config_path: Path | None,
    cwd: Path,
    targets: Sequence[Path] = (),
) -> Path:
    """`explicit`, else git's root above `cwd`, else the config file's folder, else `cwd`;
    but when a path of `targets` lies outside that folder (`cd /tmp && floe-lint check
    ~/repo/platform`), the root of the targets' own project (`target_root`), if they have one:
    their repository is searched for their dependents, not the working directory's tree."""
    return choose_workspace(explicit, config_path, cwd, targets)[0]


def choose_workspace(
    explicit: Path | None,
    config_path: Path | None,
    cwd: Path,
    targets: Sequence[Path] = (),
) -> tuple[Path, str | None]:
    """`workspace_root`, and what to say of it when a target lay outside the working
    directory's workspace (None otherwise: the usual case says nothing)."""
    if explicit is not None:
        if not explicit.is_dir():
            raise WorkspaceError(f"--workspace {explicit}: not a folder")
        return explicit.resolve(), None
    found = git_root(cwd)
    bare = found is None and config_path is None  # the working directory is no project's
    if found is None:
        found = config_path.parent.resolve() if config_path is not None else cwd.resolve()
    here = os.fspath(cwd)
    # as spelt first (no system call: a hook hands every staged file), then where they lead
    spelt = (os.path.normpath(os.path.join(here, t)) for t in targets)
    given = [Path(t) for t in spelt]
    outside = [t.resolve() for t in given if not t.is_relative_to(found)]
    outside = [t for t in outside if not t.is_relative_to(found)]
    if not outside and not bare:
        return found, None
    # from a folder of no project (`cd ~ && floe-lint check work/repo/platform`), paths of one
    # project below it are that project's, as from inside it: not every tree under the folder
    root = target_root(outside or [t.resolve() for t in given])
    if not outside:
        if root is None or root == found or not root.is_relative_to(found):
            return found, None
        return root, _THEIRS.format(root)
    if root is not None and len(outside) < len(given):
        # some paths lie in the working directory's workspace: theirs is searched too, or the
        # dependents of `platform/manifest.yaml` in `check platform/manifest.yaml ../b/m.yaml`
        # went unsearched (a forged pass); a root holding them all is taken, never a narrower
        root = root if all(t.resolve().is_relative_to(root) for t in given) else None
    if root is None:
        return found, (
            f"dependents were searched for in {found}, the working directory's workspace, "
            "which does not hold every path given (pass --workspace to name another)"
        )
    return root, _THEIRS.format(root)


_THEIRS = (
    "dependents were searched for in {}, the project of the paths given (a folder holding .git "
    "or a floe-lint config), not the working directory's"
)


def target_root(targets: Sequence[Path]) -> Path | None:
    """The root of the project `targets` (real paths) lie in: the nearest folder above them
    holding `.git`, else one holding a floe-lint config file (as ruff and pre-commit find a
    project from its files); None when there is none, or when the targets' roots differ."""
    roots = {_project_root(t if t.is_dir() else t.parent) for t in targets}
    return roots.pop() if len(roots) == 1 else None


def _project_root(start: Path) -> Path | None:
    found = git_root(start)
    if found is not None:
        return found
    from floe_lint.config_files import find_config

    try:
        config = find_config(start)
    except ConfigError:
        return None  # (a pyproject.toml that does not parse: no project known)
    return None if config is None else config.parent.resolve()
