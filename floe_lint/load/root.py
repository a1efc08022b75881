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

from floe_lint.config_files import find_config, probe, remembered
from floe_lint.errors import ConfigError


class WorkspaceError(ConfigError):
    """A `--workspace` that is not a folder (reported like any bad input, exit status 2)."""


def git_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds `.git` (a folder, or a worktree's file)."""
    return remembered(("git", start), _git_root)


def _git_root(start: Path) -> Path | None:
    here = start.resolve()
    for folder in (here, *here.parents):
        if probe(folder, ".git") is not None:
            return folder
    return None


def workspace_root(
    explicit: Path | None,
    config_path: Path | None,
    cwd: Path,
    targets: Sequence[Path] = (),
    *,
    discovered: bool = False,
) -> Path:
    """`explicit`, else git's root above `cwd`, else the config file's folder, else `cwd`;
    but when a path of `targets` lies outside that folder (`cd /tmp && floe-lint check
    ~/repo/platform`), the root of the targets' own project (`target_root`), if they have one:
    their repository is searched for their dependents, not the working directory's tree."""
    return choose_workspace(explicit, config_path, cwd, targets, discovered=discovered)[0]


def choose_workspace(
    explicit: Path | None,
    config_path: Path | None,
    cwd: Path,
    targets: Sequence[Path] = (),
    *,
    discovered: bool = False,
) -> tuple[Path, str | None]:
    """`workspace_root`, and what to say of it when a target lay outside the working
    directory's workspace (None otherwise: the usual case says nothing). `discovered`:
    `config_path` was discovered (`project_config`), not given with --config."""
    if explicit is not None:
        if not explicit.is_dir():
            raise WorkspaceError(f"--workspace {explicit}: not a folder")
        return explicit.resolve(), None
    # a config found from the targets (`project_config`) may not be the working directory's
    away = config_path is not None and not cwd.resolve().is_relative_to(config_path.parent)
    if discovered and away and git_root(cwd) is None:
        config_path = _find_config(cwd)
    found = git_root(cwd)
    bare = found is None and config_path is None  # the working directory is no project's
    found = _cwd_workspace(config_path, cwd)
    given, outside = _outside(found, cwd, targets)
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


def _cwd_workspace(config_path: Path | None, cwd: Path) -> Path:
    """The working directory's workspace: git's root above it, else its config's folder."""
    found = git_root(cwd)
    if found is None:
        found = config_path.parent.resolve() if config_path is not None else cwd.resolve()
    return found


def _outside(found: Path, cwd: Path, targets: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The targets as absolute paths, and the real paths of those outside `found`."""
    here = os.fspath(cwd)
    # as spelt first (no system call: a hook hands every staged file), then where they lead
    spelt = (os.path.normpath(os.path.join(here, t)) for t in targets)
    given = [Path(t) for t in spelt]
    outside = [t.resolve() for t in given if not t.is_relative_to(found)]
    return given, [t for t in outside if not t.is_relative_to(found)]


def project_config(cwd: Path, targets: Sequence[Path] = ()) -> Path | None:
    """The config file a run on `targets` discovers: the working directory's (`find_config`:
    its project's), unless the targets lie outside its workspace (or below a working directory of
    no project, as `choose_workspace` takes them) in a project of their own; then
    that project's, found from its root as a run from there finds it (so a product folder's
    own config, nearer to the target than the root, is never read: it cannot relax the
    repository's mandatory rules). A target of no project keeps the working directory's. When
    the targets would read different configs, a ConfigError names them: one run has one
    config, never silently another project's."""
    here = _find_config(cwd)
    if not targets:
        return here
    found = _cwd_workspace(here, cwd)
    given, outside = _outside(found, cwd, targets)
    bare = here is None and git_root(cwd) is None  # (paths below it: their project's, too)
    if not outside and not bare:
        return here
    chosen: dict[Path | None, tuple[Path | None, Path]] = {}  # by real path: (config, a target)
    for spelt, target in zip(targets, given, strict=True):
        config = here
        if bare or (
            not target.is_relative_to(found) and not target.resolve().is_relative_to(found)
        ):
            root = _project_root(target if target.is_dir() else target.parent)
            config = here if root is None else _find_config(root)
        chosen.setdefault(None if config is None else config.resolve(), (config, spelt))
    if len(chosen) == 1:
        return next(iter(chosen.values()))[0]
    from floe_lint.reporters import printable

    read = "; ".join(
        f"{printable(os.fspath(target))} reads "
        + (printable(os.fspath(config)) if config is not None else "none (the defaults)")
        for config, target in chosen.values()
    )
    raise ConfigError(
        f"the paths given lie in projects with different floe-lint configs ({read}): check "
        "each project in its own run, or pass --config FILE"
    )


def _find_config(start: Path) -> Path | None:
    return remembered(("config", start), find_config)


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
    try:
        config = _find_config(start)
    except ConfigError:
        return None  # (a pyproject.toml that does not parse: no project known)
    return None if config is None else config.parent.resolve()
