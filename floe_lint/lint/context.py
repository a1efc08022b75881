"""What a rule may consult while it runs, and how it states a finding.

A rule sees the model (products, levels, transforms and the nodes they came from), schema
results, unresolved refs, and the compute names that plugins provide; it points a finding at
a node. The engine fills in the rule's id, name and severity.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from floe_lint.findings import Edit, Finding, Fix, Location, Related, Span
from floe_lint.load.document import ENV_VARIANT, Document, Node, SourceFile
from floe_lint.load.kinds import same_base
from floe_lint.load.paths import beside, made
from floe_lint.load.walk import Beside
from floe_lint.load.workspace import Workspace
from floe_lint.model.dialects import manifest_of, product_of
from floe_lint.model.hierarchy import Hierarchy, RefProblem
from floe_lint.model.level import Level
from floe_lint.model.manifest import Manifest
from floe_lint.model.product import Product
from floe_lint.oci import LOCK_NAME

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal, overload

    from floe_lint.findings import Applicability
    from floe_lint.lint.shared import Shared
    from floe_lint.load.validation import SchemaProblem
    from floe_lint.model.trust import Trust, Verdict

    At = Literal["key", "value"]


def _node(where: Any, pointer: str | None) -> Node:
    """A node from a Node, or (for rule folders written before the API) a document and a
    pointer; products and levels stand for their documents."""
    if isinstance(where, Node):
        return where
    doc = where if isinstance(where, Document) else where.doc
    return Node(doc, pointer or "")


def schema_name(doc: Document) -> str:
    """The bundled schema of a document: `manifest`/`floe`, or `manifest-floe`/`floe-floe`
    for upstream Floe's code dialect."""
    return f"{doc.kind}-floe" if doc.dialect == "floe" else str(doc.kind)


def overlay_files(path: Path, listed: Beside | None = None) -> list[Path]:
    """The per-environment files beside `path` (`floe.prod.yaml` for `floe.yaml`), sorted.
    `listed`: what the run's walk listed (its folder's names are not listed again)."""
    base_name = path.name.rsplit(".", 1)[0]
    # the test below implies `{base_name}.*.y*ml`, in any case (`Floe.prod.yaml` is
    # `floe.yaml`'s where names fold case), a base with `*?[` too: fnmatch read it as a
    # pattern, case-sensitive, and `[x]` matched no name of the base's own spelling
    prefix = f"{base_name}."
    folded = prefix.lower()

    def keep(name: str) -> bool:
        return name.startswith(prefix) or name[: len(folded)].lower() == folded

    return [
        sibling
        for sibling in _siblings(_folder(path), keep, listed)
        if (match := ENV_VARIANT.match(sibling.name)) is not None
        and same_base(match["base"], base_name)
        and sibling != path
    ]


def _folder(path: Path) -> Path | str:
    """`path.parent`, as its text on POSIX: a `Path` made so prints by catching an exception
    (`paths.made`), twice a product checked."""
    return (os.path.dirname(os.fspath(path)) or ".") if os.sep == "/" else path.parent


def _siblings(
    folder: Path | str, keep: Callable[[str], bool], listed: Beside | None = None
) -> list[Path]:
    """`sorted(folder.glob(pattern))` for a pattern of one name (`keep` tells a name it
    matches), without pathlib's glob machinery (a rule asks this of every product's folder):
    the same names, in the same order, case-sensitive as pathlib is here. A folder the walk
    listed (`listed`, every name of it that `keep` can keep) is not listed again; any other is
    (a file named on the command line, a manifest reached through a ref from elsewhere)."""
    names: Sequence[str] | None = listed.candidates(str(folder)) if listed is not None else None
    if names is None:
        try:
            names = os.listdir(folder)
        except OSError:
            return []
    elif not names:  # the walk listed the folder: no name in it can be one
        return []
    base = folder if isinstance(folder, Path) else Path(folder)
    return sorted(base / name for name in names if keep(name))


class Context:
    """What a rule may consult: the model, schema results, ref problems, known computes."""

    def __init__(self, workspace: Workspace, hierarchy: Hierarchy, trust: Trust | None = None):
        self.workspace = workspace
        self.hierarchy = hierarchy
        #: the trusted roots (`--trusted-root`, the config's `trusted-roots`), if any
        self.trust = trust
        self._schema: dict[int, list[SchemaProblem]] = {}
        #: the per-environment overlay documents of a base document, by its id
        self._overlays: dict[int, list[Document]] = {}
        #: what this run shares with another over the same tree (impact's two runs)
        self.shared: Shared | None = None
        #: whether rules state their fixes: not in runs whose findings' fixes nobody sees
        #: (`impact`'s, with built-in rules only: see `Shared.states_fixes`)
        self.fixes = True

    def forget(self, doc: Document) -> None:
        """Drop what was noted about `doc` (a released document: floe_lint.lint.stream)."""
        self._schema.pop(id(doc), None)
        self._overlays.pop(id(doc), None)

    @property
    def known_computes(self) -> frozenset[str]:
        """Every compute name that a plugin (built-in or installed) provides."""
        from floe_lint.compute.plugin import known_compute_names

        return known_compute_names()

    def schema_problems(self, doc: Document) -> list[SchemaProblem]:
        """Schema problems of a document, validated once and shared by the schema-* rules."""
        key = id(doc)
        if key not in self._schema:
            # (imported here: a run whose every file the result cache replays validates none)
            from floe_lint.load.validation import validate

            self._schema[key] = validate(doc.data, schema_name(doc)) if doc.kind else []
        return self._schema[key]

    def overlay_schema_problems(self, overlay: Document, base: Document) -> list[SchemaProblem]:
        """Schema problems of a per-environment overlay of `base`, read with the base's schema
        and dialect; an overlay may omit anything, so none is a missing required key."""
        key = id(overlay)
        if key not in self._schema:
            from floe_lint.load.validation import validate

            self._schema[key] = (
                validate(overlay.data, schema_name(base), overlay=True) if base.kind else []
            )
        return self._schema[key]

    def trust_verdict(self, doc: Document) -> Verdict | None:
        """Whether a product's or a domain's hierarchy ends at a trusted root (`verdict.node`
        and `verdict.message` say where and how it leaves the trusted tree); None without
        trusted roots, for a top level, and for a chain broken by a ref of its own."""
        if self.trust is None:
            return None
        return self.trust.verdict_of(doc, self.hierarchy)

    def ref_problems(self, doc: Document) -> list[RefProblem]:
        """The refs written in `doc` that could not be followed (or lead into a cycle)."""
        return [p for p in self.hierarchy.problems if p.doc is doc]

    def model_of(self, doc: Document) -> Product | Manifest:
        """What a product or manifest document says, read in its dialect (unresolved)."""
        return product_of(doc) if doc.kind == "floe" else manifest_of(doc)

    def product_of(self, doc: Document) -> Product:
        """A product document's model with the level its platform ref resolves to (a result
        cache entry of the file already depends on every manifest of its hierarchy)."""
        return self.hierarchy.product(doc)

    def compute_config_problems(
        self, name: str, config: dict[str, Any], placeholders: bool = False
    ) -> Iterator[Any]:
        """Problems of a compute's config under its plugin's schema (`path`, `message`, `at`);
        `placeholders`: upstream's compile fills `{product_name}` in it first."""
        from floe_lint.compute import config_check

        return config_check.problems(name, config, placeholders)

    def must_hold_floe(self, source: SourceFile) -> bool:
        """Whether a file was named on the command line or is called floe.yaml or
        manifest.yaml: holding no Floe document, it is a finding, not a file to skip."""
        return self.workspace.is_expected(source.path)

    def missing_compute_config(self, name: str, config: dict[str, Any]) -> list[str]:
        """Keys the plugin `name` requires that `config` (merged across levels) lacks."""
        from floe_lint.compute import config_check

        return config_check.missing(name, config)

    def storage_problem(self, level: Level) -> Any:
        """Why `compile` refuses the storage or catalog `level` selects in upstream's dialect
        (`doc`, `pointer`, `message`), or None."""
        from floe_lint.compute import floe_compile

        return floe_compile.storage_problem(level)

    def may_be_compiled_on(self, level: Level) -> bool:
        """Whether products may be compiled on `level`, so its merged config must be complete
        (see `Hierarchy.may_be_compiled_on`)."""
        return self.hierarchy.may_be_compiled_on(level)

    def stale_locks(self, product: Product) -> Iterator[Any]:
        """How a product's floe.lock disagrees with its refs (`message`, `site.node`)."""
        if self.shared is None:  # (`made`: no slot of it filled by catching an exception)
            path = made(beside(product.doc.path, LOCK_NAME))
            workspace = self.hierarchy.workspace
            text = workspace.side_text(path)
            if text is None and not workspace.side_there(path):
                return iter(())  # no lock file (what `lockfile.read` says): none is imported
        else:  # runs over the same tree ask of the same folders (`shared`): once
            memo = self.shared.locks
            known = memo.get(product.doc.path)
            if known is None:
                path = product.doc.path.parent / LOCK_NAME
                known = memo[product.doc.path] = (path, os.path.lexists(path))
            path = known[0]
            text = self.hierarchy.workspace.side_text(path, known[1])  # (each run's own)
            if text is None and not known[1]:
                return iter(())  # no lock file (what `lockfile.read` says): none is imported
        from floe_lint.oci import lockfile

        return lockfile.stale(self.hierarchy, product.doc, text)

    @staticmethod
    def mixed_dialect(doc: Document) -> tuple[Node, Node] | None:
        """For a document written half in each dialect: (the node of the dialect it is not read
        in, the node of the one it is read in); None for a document written in one."""
        if doc.mixed is None:
            return None
        return doc.node(doc.mixed[0]), doc.node(doc.mixed[1])

    def environment_overlays(self, doc: Document) -> Iterator[Document]:
        """The documents of `doc`'s per-environment files (`floe.prod.yaml` for `floe.yaml`)."""
        key = id(doc)
        if key not in self._overlays:
            self._overlays[key] = list(self._find_overlays(doc))
        return iter(self._overlays[key])

    def _find_overlays(self, doc: Document) -> Iterator[Document]:
        memo = self.shared.overlays if self.shared is not None else None
        files = memo.get(doc.path) if memo is not None else None
        if files is None:  # (runs over the same tree list the same folders: `shared`)
            files = overlay_files(doc.path, self.workspace.listed)
            if memo is not None:
                memo[doc.path] = files
        for sibling in files:
            loaded = self.load(sibling).documents
            yield from (d for d in loaded if isinstance(d.data, dict))

    def load(self, path: Path) -> SourceFile:
        """A file by path (say, a per-environment overlay), loaded once per run."""
        return self.workspace.load(path)

    @staticmethod
    def location(node: Node, at: At = "value") -> Location:
        return Location(node.doc.path, node.span(at), node.pointer)

    if TYPE_CHECKING:

        @overload
        def related(self, node: Node, message: str, /, *, at: At = "value") -> Related: ...

        @overload
        def related(
            self, doc: Document | Product | Level, pointer: str, message: str, at: At = "value", /
        ) -> Related: ...

    def related(
        self,
        where: Any,
        first: str,
        second: str | None = None,
        legacy_at: At = "value",
        /,
        *,
        at: At = "value",
    ) -> Related:
        """A related location: `related(node, message, at="value")`.

        `related(doc, pointer, message, at)` is kept for rule folders written before API 1.
        """
        if second is None:
            return Related(self.location(_node(where, None), at), first)
        return Related(self.location(_node(where, first), legacy_at), second)

    if TYPE_CHECKING:

        @overload
        def finding(
            self,
            node: Node,
            message: str,
            /,
            *,
            at: At = "value",
            related: Sequence[Related] = (),
            sensitive: bool = False,
            fix: Fix | None = None,
        ) -> Finding: ...

        @overload
        def finding(
            self,
            doc: Document | Product | Level,
            pointer: str,
            message: str,
            /,
            *,
            at: At = "value",
            related: Sequence[Related] = (),
            sensitive: bool = False,
            fix: Fix | None = None,
        ) -> Finding: ...

    def finding(
        self,
        where: Any,
        first: str,
        second: str | None = None,
        /,
        *,
        at: At = "value",
        related: Sequence[Related] = (),
        sensitive: bool = False,
        fix: Fix | None = None,
    ) -> Finding:
        """A finding at a node: `finding(node, message, at=..., related=..., fix=...)`.

        `finding(doc, pointer, message)` is kept for rule folders written before API 1.
        """
        if second is None:
            node, message = _node(where, None), first
        else:
            node, message = _node(where, first), second
        location = self.location(node, at)
        return Finding("", "", "error", message, location, tuple(related), sensitive, fix=fix)

    def fix(self, applicability: Applicability, title: str, *edits: Edit | None) -> Fix | None:
        """A fix made of `edits`, or None when one of them could not be stated (see
        `replace_value`, `remove_item`): a rule then reports its finding without a fix. None
        in a run that states no fixes (`fixes`)."""
        if not self.fixes or not edits or any(edit is None for edit in edits):
            return None
        return Fix(applicability, title, tuple(e for e in edits if e is not None))

    def replace_value(self, node: Node, value: str) -> Edit | None:
        """An edit setting the string at `node` to `value`, quoted as it was written; None
        when its text is not plainly its value (escapes, several lines), or in a run that
        states no fixes (`fixes`: the file's text is not read for it)."""
        if not self.fixes:
            return None
        from floe_lint.fix.edits import replace_scalar

        return replace_scalar(node, value)

    def remove_item(self, node: Node) -> Edit | None:
        """An edit deleting the list item at `node` and its separator, keeping every comment
        and other line; None when it shares a line with something else, holds a comment,
        or is the list's only item (or in a run that states no fixes: `fixes`)."""
        if not self.fixes:
            return None
        from floe_lint.fix import edits

        return edits.remove_item(node)

    def pin_ref(self, node: Node) -> tuple[str, tuple[Edit, ...]] | None:
        """(pinned ref, edits) that pin the `oci://` tag at `node` of a product to the digest
        its floe.lock records (renaming the lock's entry to match); None without one."""
        from floe_lint.fix.pins import pin

        return pin(node, self.load, self.workspace.overlay)

    @staticmethod
    def file_finding(
        source: SourceFile,
        span: Span,
        message: str,
        pointer: str = "",
        related: Sequence[Related] = (),
    ) -> Finding:
        """A finding at a span of a file (for `file` rules: syntax, duplicate keys)."""
        return Finding(
            "", "", "error", message, Location(source.path, span, pointer), tuple(related)
        )

    def load_findings(self, source: SourceFile, rule: str, related: str = "") -> Iterator[Finding]:
        """A finding for each problem the loader noted for `rule` in a file (duplicate keys,
        merge keys, ...); `related` names the problem's second place, when it has one."""
        for problem in source.problems:
            if problem.rule != rule:
                continue
            also = []
            if related and problem.related_span is not None:
                where = Location(source.path, problem.related_span, problem.pointer)
                also.append(Related(where, related))
            yield self.file_finding(source, problem.span, problem.message, problem.pointer, also)
