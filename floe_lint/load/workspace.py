"""The set of files a run looks at: discovered from the given paths, or reached through refs.

Every file is read and parsed once, however many products reference it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from floe_lint.load import bulk, document
from floe_lint.load.document import Document, SourceFile

YAML_SUFFIXES = (".yaml", ".yml")
SKIP_DIRS = frozenset(
    {"node_modules", "target", "dbt_packages", "__pycache__", "venv", "site-packages"}
)


def _looks_ours(path: Path) -> bool:
    name = path.name.lower()
    return name.startswith("floe") or "manifest" in name


def discover(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """YAML files under `paths`, each with whether it was named explicitly."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
                for name in sorted(files):
                    if name.endswith(YAML_SUFFIXES):
                        yield Path(root) / name, False
        else:
            yield path, True


class Workspace:
    """Loaded files keyed by resolved path, plus which of them the run reports on."""

    def __init__(self) -> None:
        self._files: dict[Path, SourceFile] = {}
        self.reported: dict[Path, SourceFile] = {}
        self._keys: dict[Path, Path] = {}

    def key(self, path: Path) -> Path:
        """`path.resolve()`, once per path (it costs a system call per path component)."""
        key = self._keys.get(path)
        if key is None:
            key = self._keys[path] = path.resolve()
        return key

    def load(self, path: Path) -> SourceFile:
        key = self.key(path)
        source = self._files.get(key)
        if source is None:
            source = document.load(path)
            self._files[key] = source
        return source

    def preload(self, paths: Sequence[Path], jobs: int) -> None:
        """Parse `paths` ahead of `add`, on `jobs` processes when more than one."""
        if jobs > 1:
            for path, source in zip(paths, bulk.load_all(paths, jobs), strict=True):
                self._files.setdefault(self.key(path), source)

    def add(self, path: Path, explicit: bool) -> None:
        """Load a discovered file; keep it if it is a Floe document or was named explicitly."""
        source = self.load(path)
        if (source.documents and any(d.kind for d in source.documents)) or (
            source.problems and (explicit or _looks_ours(path))
        ):
            self.reported.setdefault(self.key(path), source)

    def reach(self, path: Path) -> SourceFile:
        """Load a file reached through a ref; a Floe document is reported on like any given file.

        Anything else (a file that cannot be read or parsed, YAML that is no Floe document) is
        reported at the referencing line only: its lines are never quoted in a report.
        """
        source = self.load(path)
        if any(d.kind for d in source.documents):
            self.reported.setdefault(self.key(path), source)
        return source

    def documents(self) -> Iterator[Document]:
        for source in self.files():
            yield from source.documents

    def files(self) -> list[SourceFile]:
        return [self.reported[k] for k in sorted(self.reported)]
