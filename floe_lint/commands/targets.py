"""What `compile` and `check-connections` point at: a product file and its resolved hierarchy."""

from __future__ import annotations

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
