"""What the server knows: the workspace's config, the editor's unsaved buffers (overlays of
the files on disk), the last findings of each open file, and which files each open file's
hierarchy passes through (so that editing a manifest re-lints the open files below it).

Each lint is `check` of one file with the buffers as overlays, without dependents: the file
and its hierarchy are read, not the whole workspace. The workspace-wide model (for find
references) is built on first use and dropped on any change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from floe_lint.config import Config, load_config
from floe_lint.findings import Finding
from floe_lint.load.document import Document
from floe_lint.load.workspace import Workspace

if TYPE_CHECKING:
    from floe_lint.fix.runner import Outcome
    from floe_lint.lint.engine import Result
    from floe_lint.model.hierarchy import Hierarchy
    from floe_lint.model.product import Product
    from floe_lint.oci.pull import Fetcher


@dataclass
class Model:
    """A file's documents with the hierarchy they resolve in (buffers overlaid)."""

    workspace: Workspace
    hierarchy: Hierarchy
    docs: list[Document]


def _key(path: Path) -> Path:
    return path.resolve()


def _mandatory(config: Config, result: Result, findings: list[Finding]) -> set[Finding]:
    """The findings a suppression comment may not silence (see `floe_lint.lint.mandatory`):
    the server offers no "suppress" action for them."""
    from floe_lint.lint.mandatory import Control
    from floe_lint.model.enforcement import is_strict

    hierarchy = result.hierarchy
    strict = [p.doc.path for p in result.products if is_strict(p.platform)]
    if hierarchy is not None:
        strict += [level.doc.path for level in hierarchy.levels() if is_strict(level)]
    control = Control.of(config, strict)
    return {f for f in findings if control.why(f) is not None}


class Session:
    def __init__(self, root: Path, config: Config | None = None):
        self.root = root
        self.config = config if config is not None else load_config(None, root)
        self.buffers: dict[Path, str] = {}
        self.paths: dict[Path, Path] = {}  # resolved -> as the editor named it
        self.findings: dict[Path, list[Finding]] = {}
        self.chains: dict[Path, set[Path]] = {}
        #: per open file, its findings that nothing but a config exception may silence
        self.mandatory: dict[Path, set[Finding]] = {}
        self._fetch: Fetcher | None = None
        self._index: tuple[Model, list[Product]] | None = None

    # -- buffers -----------------------------------------------------------------------------
    def open(self, path: Path, text: str) -> None:
        self.buffers[_key(path)] = text
        self.paths[_key(path)] = path
        self._index = None

    change = open

    def close(self, path: Path) -> None:
        key = _key(path)
        self.buffers.pop(key, None)
        self.paths.pop(key, None)
        self.findings.pop(key, None)
        self.chains.pop(key, None)
        self.mandatory.pop(key, None)
        self._index = None

    def text(self, path: Path) -> str:
        """The buffer of `path`, else the file on disk ('' when unreadable)."""
        key = _key(path)
        if key in self.buffers:
            return self.buffers[key]
        from floe_lint.load.reading import MAX_BYTES, read_regular

        try:
            return read_regular(path, MAX_BYTES).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return ""

    def sources(self) -> dict[Path, bytes]:
        return {self.paths[k]: text.encode("utf-8") for k, text in self.buffers.items()}

    # -- linting -----------------------------------------------------------------------------
    @property
    def fetch(self) -> Fetcher:
        """Refs resolve from the cache and floe.lock files only, unless the config turns
        `oci.offline` off explicitly: an editor never waits on a registry by default."""
        if self._fetch is None:
            from floe_lint.commands.fetching import fetcher

            online = self.config.oci.get("offline") is False
            self._fetch = fetcher(self.config, [self.root], offline=not online)
        return self._fetch

    def run(self, path: Path, sources: dict[Path, bytes] | None = None) -> Result:
        from floe_lint.lint import engine

        return engine.run(
            [path],
            self.config,
            fetch=self.fetch,
            sources=self.sources() if sources is None else sources,
            require_suppression_reason=self.config.require_suppression_reason,
        )

    def ours(self, path: Path) -> bool:
        """Whether `path` is a Floe file: it holds a manifest or a product, or is called
        floe.yaml or manifest.yaml. An editor sends every YAML file it opens (CI workflows,
        Helm values); those get no diagnostics, as `check` of a folder skips them."""
        from floe_lint.load.document import parse
        from floe_lint.load.workspace import FLOE_NAMES, holds_floe

        if path.name.lower() in FLOE_NAMES:
            return True
        return holds_floe(parse(path, self.text(path).encode("utf-8")))

    def lint(self, path: Path) -> list[Finding]:
        """The findings of `path` (buffers overlaid), remembered for code actions; none for
        a file that is not a Floe file."""
        key = _key(path)
        if not self.ours(path):
            self.findings[key], self.chains[key] = [], {key}
            return []
        result = self.run(path)
        findings = [f for f in result.findings if _key(f.path) == key]
        hierarchy = result.hierarchy
        chain = {key}
        if hierarchy is not None:
            chain |= {_key(level.doc.path) for level in hierarchy.levels()}
        self.findings[key], self.chains[key] = findings, chain
        self.mandatory[key] = _mandatory(self.config, result, findings)
        return findings

    def below(self, path: Path) -> list[Path]:
        """The open files, other than `path`, whose hierarchy passes through it."""
        key = _key(path)
        return [
            self.paths[k]
            for k, chain in self.chains.items()
            if k != key and key in chain and k in self.paths
        ]

    def fix_all(self, path: Path) -> Outcome:
        """Every safe fix of `path` applied in memory, as `check --fix` would."""
        from floe_lint.fix import runner

        key = _key(path)
        policy = runner.Policy(
            ["safe"],
            self.config.fixable,
            self.config.unfixable,
            lambda finding, edit: _key(finding) == key and _key(edit) == key,
        )
        base = self.sources()
        return runner.run(lambda extra: self.run(path, {**base, **extra}), policy)

    # -- models ------------------------------------------------------------------------------
    def _workspace(self) -> tuple[Workspace, Hierarchy]:
        from floe_lint.model.hierarchy import Hierarchy
        from floe_lint.model.refs import Resolver

        workspace = Workspace(self.config.dialect)
        for path, raw in self.sources().items():
            workspace.put(path, raw)
        resolver = Resolver(dict(self.config.refs), self.fetch)
        return workspace, Hierarchy(workspace, resolver, self.config.manifest)

    def model(self, path: Path) -> Model:
        workspace, hierarchy = self._workspace()
        source = workspace.reach(path)
        return Model(workspace, hierarchy, [d for d in source.documents if d.kind])

    def index(self) -> tuple[Model, list[Product]]:
        """Every product of the workspace, resolved (built once until something changes)."""
        if self._index is None:
            from floe_lint.lint.engine import is_env_variant
            from floe_lint.lint.walking import selected_files

            workspace, hierarchy = self._workspace()
            for path, explicit in selected_files([self.root], self.config, self.root):
                workspace.add(path, explicit)
            docs = [d for d in workspace.documents() if d.kind and not is_env_variant(d)]
            products = [hierarchy.product(d) for d in docs if d.kind == "floe"]
            self._index = (Model(workspace, hierarchy, docs), products)
        return self._index
