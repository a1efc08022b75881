"""What `compile` and `check-connections` point at: a product file and its resolved hierarchy."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from floe_lint.commands.usage import UsageError

if TYPE_CHECKING:
    from floe_lint.config import Config
    from floe_lint.load.document import Document
    from floe_lint.model.hierarchy import Hierarchy
    from floe_lint.model.refs import OciFetcher


def product_file(path: Path) -> Path:
    if path.is_dir():
        for name in ("floe.yaml", "floe.yml"):
            if (path / name).is_file():
                return path / name
        raise UsageError(f"no floe.yaml in {path}")
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    return path


ARTIFACTS = "compiled_artifacts.json"
_PRODUCT_NAMES = ("floe.yaml", "floe.yml")


def committed_outputs(folder: Path) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """For `compile --check` given no product: every `compiled_artifacts.json` that git tracks
    below `folder`, as (product, output folder), the product being the floe.yaml nearest above
    its folder (within `folder`); and the artifacts above which there is none."""
    from floe_lint.load.revision import RevisionError, run_git
    from floe_lint.load.root import git_root

    if git_root(folder) is None:
        return [], []
    try:  # pathspec `*` crosses `/`: every depth; the base name is checked below
        listed = run_git(
            folder,
            ("ls-files", "-z", "--", f"*{ARTIFACTS}"),
            f"the files git tracks in {folder}",
            "list the committed compiled artifacts",
        )
    except RevisionError as error:
        raise UsageError(str(error)) from error
    found: list[tuple[Path, Path]] = []
    orphans: list[Path] = []
    for name in sorted(os.fsdecode(n) for n in listed.split(b"\0") if n):
        artifacts = Path(name)
        if artifacts.name != ARTIFACTS:
            continue
        product = _nearest_product(artifacts.parent)
        if product is None:
            orphans.append(artifacts)
        else:
            found.append((product, artifacts.parent))
    return found, orphans


def _nearest_product(out: Path) -> Path | None:
    for folder in (out, *out.parents):
        for name in _PRODUCT_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def hierarchy(config: Config, refs: dict[str, Path], fetch: OciFetcher | None) -> Hierarchy:
    from floe_lint.load.workspace import Workspace
    from floe_lint.model.hierarchy import Hierarchy
    from floe_lint.model.refs import Resolver

    return Hierarchy(
        Workspace(config.dialect), Resolver({**config.refs, **refs}, fetch), config.manifest
    )


def first(hierarchy: Hierarchy, path: Path, kinds: tuple[str, ...]) -> Document:
    source = hierarchy.workspace.reach(path)
    for doc in source.documents:
        if doc.kind in kinds:
            return doc
    if source.problems:
        problem = source.problems[0]
        raise UsageError(f"{path}:{problem.span.start_line}: {problem.message}")
    raise UsageError(f"{path} is not a {' or '.join(kinds)} document")
