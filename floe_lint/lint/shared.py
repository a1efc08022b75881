"""What runs over the same tree share: `impact` lints the tree with a manifest as it was and as it
is, and only that manifest differs between the two runs.

- the files parsed (every file but the manifest is the same object in both runs);
- the dependents search (who references the manifest does not depend on its content: the same
  manifests changed give the same dependents);
- where paths lead: each file's key (its resolved path), each relative ref's target as the
  hierarchy resolved it (by the ref overrides in force), the per-environment files beside
  each document, and whether a floe.lock is beside each product: all read the tree, never a
  file's content;
- the findings of rules that read one file or document and nothing else (schema, secrets,
  syntax), or a document and its per-environment overlays (environment-override), or a
  product's transforms alone (duplicate-transform: each run builds its own product, but from
  the same document's model, whose transforms are one tuple in both): such a rule says the
  same of the same objects, so the second run takes the first one's answer. Findings are
  stamped (severity, mandatory controls) by each run itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from floe_lint.findings import Finding
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.walk import Beside
from floe_lint.load.workspace import Workspace
from floe_lint.record import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from floe_lint.model.reverse_index import Dependent

    class Overlays(Protocol):
        """What finds a document's per-environment overlays (a run's `Context`; not imported
        here: the context imports this module)."""

        def environment_overlays(self, doc: Document) -> Iterator[Document]: ...


#: Built-in rules whose findings on a subject depend on that file or document alone (not the
#: hierarchy, other files, the workspace or the command line). A rule from a rule folder is
#: never among them.
LOCAL_RULES = frozenset(
    {
        "FL001",  # yaml-syntax
        "FL002",  # duplicate-key
        "FL004",  # multiple-documents
        "FL005",  # merge-key
        "FL101",  # schema-unknown-key
        "FL102",  # schema-type
        "FL103",  # schema-required
        "FL104",  # schema-enum
        "FL105",  # schema-empty-list
        "FL106",  # schema-invalid
        "FL108",  # mixed-dialect
        "FL222",  # quality-provider-unknown
        "FL311",  # ref-credential
        "FL501",  # secret-literal
        "FL701",  # upstream-refuses
        "FL708",  # schema-coerced (a schema rule: the document alone)
    }
)
#: Built-in product rules whose findings depend on the product's `transforms` alone (the
#: tuple its document's model holds: the same object in both runs when the document is)
ON_TRANSFORMS = frozenset({"FL207"})  # duplicate-transform
#: local rules that also report in a document's per-environment overlays (rules/_schema): on a
#: document that has one, their findings depend on another file, so no cache serves them
OVERLAY_RULES = frozenset({"FL101", "FL102", "FL104"})
#: Built-in rules whose findings on a document depend on it and its per-environment overlays
#: alone (`floe.prod.yaml` beside `floe.yaml`): shared when both runs read the same objects.
WITH_OVERLAYS = frozenset(
    {
        "FL401",  # environment-override
        "FL403",  # overlay-merge-ambiguous
    }
)
#: Of those, the rules whose findings on a manifest that names a parent read its parents too
#: (environment-override compares an overlay's governance with what the base inherits): there
#: neither another run nor the result cache's local findings serve them (the file's whole
#: entry, keyed by its hierarchy, still does)
WITH_PARENTS = frozenset({"FL401"})


def reads_parents(rule: Any, subject: Any, ctx: Overlays) -> bool:
    """Whether `rule`'s findings on `subject` depend on the manifests above it (`WITH_PARENTS`):
    a manifest naming a parent that has an overlay (a per-environment file, or a block)."""
    if rule.id not in WITH_PARENTS or not isinstance(subject, Document) or subject.kind == "floe":
        return False
    from floe_lint.model.dialects import manifest_of

    model = manifest_of(subject)
    if not (_builtin(rule) and model.has_parent):
        return False
    data = subject.data
    blocks = isinstance(data, dict) and any(
        isinstance(data.get(name), dict) for name in model.environment_blocks
    )
    return blocks or next(ctx.environment_overlays(subject), None) is not None


class Shared(Value):
    """Shared by runs over the same tree (see the module's docstring); pass one to each."""

    __slots__ = (
        "_findings",
        "_kinds",
        "dependents",
        "fixes",
        "keys",
        "listed",
        "locks",
        "overlays",
        "parsed",
        "refs",
    )
    parsed: dict[Path, SourceFile]
    #: the dependents found, by the search's inputs (see `dependents.add`)
    dependents: dict[tuple[Any, ...], list[Dependent]]
    #: each path's key (`Workspace.key`)
    keys: dict[Path, Path]
    #: by the ref overrides in force: the relative refs resolved (`Hierarchy._resolved`)
    refs: dict[tuple[Any, ...], dict[tuple[str, str], tuple[Path, Path]]]
    #: the per-environment files beside each document's path (`context.overlay_files`)
    overlays: dict[Path, list[Path]]
    #: by a product document's path: the path of the floe.lock beside it, and whether anything
    #: is there (`Context.stale_locks`: one `Path` and one `lstat` per product, not per run)
    locks: dict[Path, tuple[Path, bool]]
    #: what the runs' walks listed (`Workspace.listed`): the dependents search's walk of the
    #: whole tree, so the runs list no folder again
    listed: Beside
    #: (rule id, ids of the subject and what else it read) -> (those objects, kept so that
    #: each id stays its own; findings)
    _findings: dict[tuple[Any, ...], tuple[tuple[Any, ...], list[Finding]]]
    #: whether anyone reads the runs' findings' fixes (`impact` and `publish` show none)
    fixes: bool

    def __init__(
        self,
        parsed: dict[Path, SourceFile] | None = None,
        dependents: dict[tuple[Any, ...], list[Dependent]] | None = None,
        _findings: dict[tuple[Any, ...], tuple[tuple[Any, ...], list[Finding]]] | None = None,
        keys: dict[Path, Path] | None = None,
        refs: dict[tuple[Any, ...], dict[tuple[str, str], tuple[Path, Path]]] | None = None,
        overlays: dict[Path, list[Path]] | None = None,
        listed: Beside | None = None,
        fixes: bool = True,
    ) -> None:
        self.parsed = {} if parsed is None else parsed
        self.dependents = {} if dependents is None else dependents
        self.keys = {} if keys is None else keys
        self.refs = {} if refs is None else refs
        self.overlays = {} if overlays is None else overlays
        self.locks: dict[Path, tuple[Path, bool]] = {}
        self.listed = Beside() if listed is None else listed
        self._findings = {} if _findings is None else _findings
        self.fixes = fixes
        #: per rule object: whether and how its findings are shared (see `_kind`)
        self._kinds: dict[Any, int] = {}

    def workspace(self, dialect: str) -> Workspace:
        """A run's workspace: this parse, each node's position noted by it (such runs place
        many findings), these keys, and what the walks listed (the same tree's)."""
        workspace = Workspace(dialect, self.parsed, True, self.keys)
        workspace.listed = self.listed
        return workspace

    def states_fixes(self, rules: Iterable[Any]) -> bool:
        """Whether a run's rules state their fixes (`Context.fixes`): unless nobody reads them
        and every rule the run knows is built-in (whose messages never depend on a fix; a rule
        from a rule folder or a plugin might word one by whether its edit could be stated)."""
        return self.fixes or any(not _builtin(rule) for rule in rules)

    def resolved_refs(
        self, overrides: Mapping[str, Path]
    ) -> dict[tuple[str, str], tuple[Path, Path]]:
        """The relative refs resolved under `overrides` (see `Hierarchy`), for every run."""
        key = tuple(sorted((name, str(path)) for name, path in overrides.items()))
        return self.refs.setdefault(key, {})

    def shares(self, rule: Any) -> bool:
        """Whether `findings` may serve `rule`'s findings from another run (else a run asks
        the rule itself, as one that shares nothing)."""
        kind = self._kinds.get(rule)
        if kind is None:
            kind = self._kinds[rule] = _kind(rule)
        return kind != _OTHER

    def ask(self, rule: Any, subject: Any, ctx: Overlays) -> list[Finding]:
        """`rule`'s raw findings on `subject`, as `stamp.checked` asks them in a run that
        shares this (what the engine calls for a rule that `shares` says is shared)."""
        if (
            rule.id in OVERLAY_RULES
            and isinstance(subject, Document)
            and next(ctx.environment_overlays(subject), None) is not None
        ) or reads_parents(rule, subject, ctx):
            # its findings cover another file: never shared (see `stamp._reads_overlays`)
            return list(rule.check(subject, ctx))
        return self.findings(rule, subject, lambda: rule.check(subject, ctx), ctx)

    def asker(self, rule: Any) -> Callable[[Any, Overlays], list[Finding]]:
        """`ask` for one rule whose findings are shared, its kind looked up once: the engine
        asks it of every subject (a rule of one document alone, the common case, asks the
        table directly, as `findings` does)."""
        kind = self._kinds.get(rule)
        if kind is None:
            kind = self._kinds[rule] = _kind(rule)
        if kind != _LOCAL or rule.id in OVERLAY_RULES:
            return lambda subject, ctx: self.ask(rule, subject, ctx)
        table, rule_id, check = self._findings, rule.id, rule.check

        def ask(subject: Any, ctx: Overlays) -> list[Finding]:
            key = (rule_id, id(subject))
            entry = table.get(key)
            if entry is not None and entry[0][0] is subject:
                return entry[1]
            found = list(check(subject, ctx))
            table[key] = ((subject,), found)
            return found

        return ask

    def findings(
        self,
        rule: Any,
        subject: Any,
        check: Callable[[], Iterable[Finding]],
        ctx: Overlays | None = None,
    ) -> list[Finding]:
        """`check()` (the rule's raw findings on `subject`), remembered for built-in rules
        that read the subject alone (`LOCAL_RULES`), a document and the overlays `ctx`
        finds for it (`WITH_OVERLAYS`), or a product's transforms (`ON_TRANSFORMS`)."""
        kind = self._kinds.get(rule)
        if kind is None:
            kind = self._kinds[rule] = _kind(rule)
        if kind == _LOCAL:  # the common case, kept short: most subjects are asked twice
            key: tuple[Any, ...] = (rule.id, id(subject))
            entry = self._findings.get(key)
            if entry is not None and entry[0][0] is subject:
                return entry[1]
            found = list(check())
            self._findings[key] = ((subject,), found)
            return found
        if kind == _WITH_OVERLAYS and ctx is not None and isinstance(subject, Document):
            kept = (subject, *ctx.environment_overlays(subject))
        elif kind == _ON_TRANSFORMS and isinstance(getattr(subject, "transforms", None), tuple):
            kept = (subject.transforms,)
        else:
            return list(check())
        key = (rule.id, *map(id, kept))
        entry = self._findings.get(key)
        if entry is not None and all(a is b for a, b in zip(entry[0], kept, strict=True)):
            return entry[1]
        found = list(check())
        self._findings[key] = (kept, found)  # kept alive, so that no other object takes an id
        return found


_OTHER, _LOCAL, _WITH_OVERLAYS, _ON_TRANSFORMS = 0, 1, 2, 3


def _builtin(rule: Any) -> bool:
    return str(rule.module).startswith("floe_lint.rules.")


def _kind(rule: Any) -> int:
    """Whether the findings of `rule` can be shared, and keyed by what."""
    if not _builtin(rule):
        return _OTHER  # a rule from a rule folder or a plugin: never
    if rule.id in LOCAL_RULES:
        return _LOCAL
    if rule.id in ON_TRANSFORMS:
        return _ON_TRANSFORMS
    return _WITH_OVERLAYS if rule.id in WITH_OVERLAYS else _OTHER
