"""`check --hook`: what the pre-commit hook lints.

pre-commit hands the hook every staged YAML and JSON file that exists (`types_or`), and runs
it on every commit (`always_run`), even one that only deletes files. Those files are taken as
if discovered (one that is not Floe's, a `package.json` or a CI workflow, is skipped, never an
error), and to them are added the files that named a manifest the commit deletes or renames
(`floe_lint.lint.removals`): their refs now lead nowhere, so the commit is refused naming them.
So are the files of a submodule whose commit the commit adds or moves, and the symbolic links
of Floe names it stages or whose target it changes (pre-commit hands over none of them).
When pre-commit splits the files into several batches, only the first one does that
(`floe_lint.lint.hook_run`).
"""

from __future__ import annotations

import os
from pathlib import Path

from floe_lint.commands.usage import DEFAULT_PATHS
from floe_lint.config import Config

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import TextIO


def hook_paths(args: argparse.Namespace, config: Config, stderr: TextIO) -> list[Path]:
    """The files to lint: those pre-commit handed over, and the former dependents of every
    manifest the staged changes delete or rename (each named on stderr with why)."""
    from floe_lint.lint.removals import former_dependents, staged_changes
    from floe_lint.load.paths import relative_posix
    from floe_lint.load.root import git_root
    from floe_lint.reporters import printable

    paths = [] if args.paths is DEFAULT_PATHS else list(args.paths)
    root = git_root(Path.cwd())
    if root is None:
        return paths
    removals, unhanded = staged_changes(root)
    if not removals and not unhanded:
        return paths
    from floe_lint.lint.hook_run import first_of_run

    shown = "\n".join(
        [f"{r.path}\0{r.renamed_to}" for r in removals] + [f"{s}\0" for s in unhanded]
    )
    if not first_of_run(root, shown):
        return paths  # an earlier batch of this pre-commit run reported them (hook_run)
    if unhanded:
        from floe_lint.load.linked import discover

        for path in unhanded:
            here = Path(os.path.relpath(path))  # (as a walk from here names its files)
            if not here.is_symlink():  # (a staged link: pre-commit left it out, no more)
                stderr.write(
                    f"floe-lint: the submodule {printable(relative_posix(path))} moves to "
                    "another commit; checking its files\n"
                )
            if here.is_dir():
                paths.extend(found for found, _ in discover([here]))
            else:
                paths.append(here)
    if not removals:
        return paths
    former = former_dependents(removals, root, config)
    for removal in removals:
        named = sorted(relative_posix(p) for p, r in former if r is removal)
        what = ", ".join(named) if named else "nothing names it"
        stderr.write(
            f"floe-lint: {printable(removal.describe())}; checking the files that named "
            f"it: {printable(what)}\n"
        )
    given = {p.absolute() for p in paths}
    return paths + [p for p, _ in former if p.absolute() not in given]
