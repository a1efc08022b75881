"""Discovers rules, runs each on the subjects it asks for, and stamps id, name and severity.

A rule is a module with `ID`, `NAME`, `SEVERITY`, `SUBJECT` and `check(subject, ctx)`; its
docstring is its documentation. Subjects: `file` (a SourceFile), `document` (every Floe
document), `manifest` (a hierarchy `Level`), `product` (a floe.yaml `Document`).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from floe_lint.compute.plugin import known_compute_names
from floe_lint.config import Config
from floe_lint.findings import Finding, Location, Related, Severity, Span
from floe_lint.lint import filtering
from floe_lint.lint.baseline import Baseline, Entry
from floe_lint.load import bulk
from floe_lint.load import document as documents
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.validation import SchemaProblem, validate
from floe_lint.load.workspace import Workspace, discover
from floe_lint.model.hierarchy import Hierarchy, Level
from floe_lint.model.refs import OciFetcher, Resolver

Subject = Literal["file", "document", "manifest", "product", "suppression"]
# `suppression` rules run in the filter stage, after every other rule, on each unused code.
SUBJECTS: tuple[Subject, ...] = ("file", "document", "manifest", "product", "suppression")


class RuleError(Exception):
    """A rule module that does not follow the rule contract."""


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    subject: Subject
    check: Callable[[Any, Context], Iterable[Finding]]
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


def rule_from_module(module: ModuleType) -> Rule:
    missing = [a for a in ("ID", "NAME", "SEVERITY", "SUBJECT", "check") if not hasattr(module, a)]
    if missing or not module.__doc__:
        raise RuleError(
            f"rule module {module.__name__} lacks {', '.join(missing) or 'a docstring'}"
        )
    if module.SUBJECT not in SUBJECTS:
        raise RuleError(f"rule module {module.__name__} has unknown SUBJECT {module.SUBJECT!r}")
    return Rule(
        module.ID, module.NAME, module.SEVERITY, module.SUBJECT, module.check, module.__doc__
    )


@cache
def builtin_rules() -> tuple[Rule, ...]:
    """Every rule module in `floe_lint.rules`, ordered by id."""
    package = importlib.import_module("floe_lint.rules")
    rules = [
        rule_from_module(importlib.import_module(f"floe_lint.rules.{info.name}"))
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]
    return tuple(sorted(rules, key=lambda r: r.id))


def find_rule(key: str, rules: Sequence[Rule] | None = None) -> Rule | None:
    for rule in rules if rules is not None else builtin_rules():
        if key.upper() == rule.id or key == rule.name:
            return rule
    return None


def _matches(rule: Rule, keys: Iterable[str]) -> bool:
    """A key selects a rule by id, id prefix (`FL2`), name or name prefix ending in `*`."""
    for key in keys:
        if key.upper() == rule.id or key == rule.name or key.upper() == "ALL":
            return True
        if key.endswith("*") and rule.name.startswith(key[:-1]):
            return True
        if key.upper().startswith("FL") and rule.id.startswith(key.upper()):
            return True
    return False


def folder_rules(folders: Sequence[Path]) -> tuple[Rule, ...]:
    """Rule modules (`*.py` not starting with `_`) of the config's `rule-folders`.

    Loading them runs their code, as with any plugin: only folders the config names are read.
    """
    import hashlib
    import importlib.util
    import sys

    from floe_lint.config import ConfigError

    rules = []
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(f"{folder}: rule folder not found (rule-folders in the config)")
        tag = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:8]
        for path in sorted(folder.glob("*.py")):
            if path.name.startswith("_"):
                continue
            name = f"floe_lint_folder_rules_{tag}.{path.stem}"
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise ConfigError(f"{path}: cannot load rule module")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
                rules.append(rule_from_module(module))
            except RuleError as error:
                raise ConfigError(f"{path}: {error}") from error
            except Exception as error:
                raise ConfigError(f"{path}: rule module failed to load: {error!r}") from error
            taken = {k for r in (*builtin_rules(), *rules[:-1]) for k in (r.id, r.name)}
            if rules[-1].id in taken or rules[-1].name in taken:
                raise ConfigError(f"{path}: rule id or name is already taken by another rule")
    return tuple(rules)


def enabled_rules(
    select: Sequence[str], ignore: Sequence[str], extra: Sequence[Rule] = ()
) -> list[Rule]:
    rules = sorted([*builtin_rules(), *extra], key=lambda r: r.id)
    chosen = [r for r in rules if not select or _matches(r, select)]
    return [r for r in chosen if not _matches(r, ignore)]


class Context:
    """What a rule may consult: documents, the hierarchy, schema results and known computes."""

    def __init__(self, workspace: Workspace, hierarchy: Hierarchy):
        self.workspace = workspace
        self.hierarchy = hierarchy
        self._schema: dict[int, list[SchemaProblem]] = {}

    @property
    def known_computes(self) -> frozenset[str]:
        return known_compute_names()

    def schema_problems(self, doc: Document) -> list[SchemaProblem]:
        """Schema problems of a document, validated once and shared by the schema-* rules."""
        key = id(doc)
        if key not in self._schema:
            self._schema[key] = validate(doc.data, doc.kind) if doc.kind else []
        return self._schema[key]

    def load(self, path: Path) -> SourceFile:
        return self.workspace.load(path)

    @staticmethod
    def location(doc: Document, pointer: str, at: Literal["key", "value"] = "value") -> Location:
        return Location(doc.path, doc.span(pointer, at), pointer)

    def related(
        self, doc: Document, pointer: str, message: str, at: Literal["key", "value"] = "value"
    ) -> Related:
        return Related(self.location(doc, pointer, at), message)

    def finding(
        self,
        doc: Document,
        pointer: str,
        message: str,
        *,
        at: Literal["key", "value"] = "value",
        related: Sequence[Related] = (),
        sensitive: bool = False,
    ) -> Finding:
        """A finding at a node; the engine fills in the rule id, name and severity."""
        return Finding(
            "", "", "error", message, self.location(doc, pointer, at), tuple(related), sensitive
        )

    @staticmethod
    def file_finding(
        source: SourceFile,
        span: Span,
        message: str,
        pointer: str = "",
        related: Sequence[Related] = (),
    ) -> Finding:
        return Finding(
            "", "", "error", message, Location(source.path, span, pointer), tuple(related)
        )


@dataclass
class Result:
    findings: list[Finding]
    files: list[SourceFile]
    rules: list[Rule]
    suppressed: list[filtering.Suppressed] = dataclasses.field(default_factory=list)
    stale: list[Entry] = dataclasses.field(default_factory=list)


def is_env_variant(doc: Document) -> bool:
    """`floe.prod.yaml`-style overlays are compared with their base file, not linted alone."""
    return documents.ENV_VARIANT.match(doc.path.name) is not None


def _variant_base(path: Path) -> Path | None:
    """`floe.yaml` for `floe.prod.yaml`, when it exists."""
    match = documents.ENV_VARIANT.match(path.name)
    if match is None:
        return None
    for suffix in (".yaml", ".yml"):
        base = path.with_name(match["base"] + suffix)
        if base.is_file():
            return base
    return None


@bulk.gc_paused
def run(
    paths: Sequence[Path],
    config: Config,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    refs: dict[str, Path] | None = None,
    fetch: OciFetcher | None = None,
    baseline: Baseline | None = None,
    require_suppression_reason: bool = False,
    jobs: int | None = None,
) -> Result:
    """Lint `paths`: load, resolve the hierarchy, run the enabled rules, return sorted findings.

    `jobs` processes parse the files (None: all cores for large inputs); the rest is serial,
    so the output does not depend on it.
    """
    workspace = Workspace()
    found = [
        (path, explicit) for path, explicit in discover(paths) if filtering.selected(path, config)
    ]
    workspace.preload([path for path, _ in found], bulk.jobs_for(len(found), jobs))
    for path, explicit in found:
        workspace.add(path, explicit)
        base = _variant_base(path)
        if base is not None:  # an overlay alone (say, from pre-commit) is checked against its base
            workspace.add(base, False)
    resolver = Resolver({**config.refs, **(refs or {})}, fetch)
    hierarchy = Hierarchy(workspace, resolver)
    ctx = Context(workspace, hierarchy)

    # Resolve first: refs may reach manifests outside `paths`, which are then linted too.
    products: list[Document] = []
    manifests: list[Level] = []
    pending = True
    seen: set[int] = set()
    while pending:
        pending = False
        for doc in list(workspace.documents()):
            if id(doc) in seen or is_env_variant(doc):
                continue
            seen.add(id(doc))
            pending = True
            if doc.kind == "floe":
                products.append(doc)
                hierarchy.platform(doc)
            elif doc.kind == "manifest":
                manifests.append(hierarchy.level(doc))

    extra = folder_rules(config.rule_folders) if config.rule_folders else ()
    rules = enabled_rules([*config.select, *select], [*config.ignore, *ignore], extra)
    subjects: dict[Subject, list[Any]] = {
        "file": workspace.files(),
        "document": [d for d in workspace.documents() if d.kind and not is_env_variant(d)],
        "manifest": manifests,
        "product": products,
        "suppression": [],
    }
    findings: list[Finding] = []
    for rule in rules:
        for subject in subjects[rule.subject]:
            findings.extend(_checked(rule, subject, ctx, config))
    findings = _drop_shadowed_schema_findings(findings)
    late = [r for r in rules if r.subject == "suppression"]
    filtered = filtering.apply(
        _dedupe(findings),
        workspace.files(),
        config,
        rule_keys=(
            {k for r in rules for k in (r.id, r.name)},
            {k for r in (*builtin_rules(), *extra) for k in (r.id, r.name)},
        ),
        check_unused=(
            (lambda unused: [f for r in late for f in _checked(r, unused, ctx, config)])
            if late
            else None
        ),
        baseline=baseline,
        require_reason=require_suppression_reason,
    )
    return Result(filtered.findings, workspace.files(), rules, filtered.suppressed, filtered.stale)


def _checked(rule: Rule, subject: Any, ctx: Context, config: Config) -> Iterator[Finding]:
    """A rule's findings on one subject, stamped with its id, name and configured severity."""
    severity = config.severity.get(rule.id) or config.severity.get(rule.name) or rule.severity
    for finding in rule.check(subject, ctx):
        yield dataclasses.replace(finding, rule_id=rule.id, name=rule.name, severity=severity)


def _drop_shadowed_schema_findings(findings: list[Finding]) -> list[Finding]:
    """A schema finding is dropped when a semantic rule explains the same node more precisely."""
    semantic = {
        (f.path, f.pointer) for f in findings if not f.name.startswith("schema-") and f.pointer
    }
    return [
        f
        for f in findings
        if not (f.name.startswith("schema-") and (f.path, f.pointer) in semantic)
    ]


def _dedupe(findings: list[Finding]) -> list[Finding]:
    unique: dict[tuple[Any, ...], Finding] = {}
    for f in findings:
        unique.setdefault((f.rule_id, f.path, f.location.span, f.message), f)
    return list(unique.values())
