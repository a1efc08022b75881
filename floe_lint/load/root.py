"""The workspace: the folder whose files may depend on a changed manifest.

Dependents are searched for in the whole repository, not only among the files a command was
given: git's root, else the config file's folder, else the working directory. `--workspace`
overrides it. Finding git's root is a walk up the folders, not a `git` process.
"""

from __future__ import annotations

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


def workspace_root(explicit: Path | None, config_path: Path | None, cwd: Path) -> Path:
    """`explicit`, else git's root above `cwd`, else the config file's folder, else `cwd`."""
    if explicit is not None:
        if not explicit.is_dir():
            raise WorkspaceError(f"--workspace {explicit}: not a folder")
        return explicit.resolve()
    found = git_root(cwd)
    if found is not None:
        return found
    if config_path is not None:
        return config_path.parent.resolve()
    return cwd.resolve()
