"""The run: load, resolve the hierarchy, run each enabled rule on the subjects it asks for,
stamp id, name and severity, then filter. The rules come from `floe_lint.lint.registry`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from floe_lint.config import Config
from floe_lint.errors import UnknownRuleError
from floe_lint.findings import Finding
from floe_lint.lint import filtering, selectors
from floe_lint.lint.baseline import Baseline, Entry
from floe_lint.lint.context import Context
from floe_lint.lint.mandatory import Control
from floe_lint.lint.registry import Rule, Subject, enabled_rules, folder_rules, installed_rules
from floe_lint.load import bulk
from floe_lint.load import document as documents
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.workspace import Workspace, discover
from floe_lint.model.enforcement import is_strict
from floe_lint.model.hierarchy import Hierarchy
from floe_lint.model.level import Level
from floe_lint.model.product import Product
from floe_lint.model.refs import OciFetcher, Resolver, is_oci
from floe_lint.model.trust import Trust

if TYPE_CHECKING:
    from floe_lint.model.reverse_index import Dependent


@dataclass
class Result:
    findings: list[Finding]
    files: list[SourceFile]
    rules: list[Rule]
    suppressed: list[filtering.Suppressed] = dataclasses.field(default_factory=list)
    stale: list[Entry] = dataclasses.field(default_factory=list)
    dependents: list[Dependent] = dataclasses.field(default_factory=list)
    hierarchy: Hierarchy | None = None
    products: list[Product] = dataclasses.field(default_factory=list)


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
    dependents_root: Path | None = None,
    sources: Mapping[Path, bytes] | None = None,
    parsed: dict[Path, SourceFile] | None = None,
) -> Result:
    """Lint `paths`: load, resolve the hierarchy, run the enabled rules, return sorted findings.

    `jobs` processes parse the files (None: all cores for large inputs); the rest is serial,
    so the output does not depend on it. With `dependents_root`, every file of that workspace
    whose hierarchy passes through a manifest among `paths` is linted too, and its findings name
    that manifest in `related`. `sources` replaces files' contents (by path), so a manifest can
    be linted as it was at another revision. `parsed` is shared by runs over the same files
    (`impact`'s two): a file another run parsed is not parsed again (`sources` excepted).
    """
    extra = folder_rules(config.rule_folders) if config.rule_folders else ()
    known = (*installed_rules(), *extra)
    if extra:  # without rule folders, load_config checked the config's selectors already
        config.check_selectors(known)
    for selector in (*select, *ignore):
        if not selectors.names_a_rule(selector, known):
            raise UnknownRuleError(selectors.unknown_message(selector, known))
    rules = enabled_rules([*config.select, *select], [*config.ignore, *ignore], extra)
    workspace = Workspace(config.dialect, parsed)
    for path, raw in (sources or {}).items():
        workspace.put(path, raw)
    found = [
        (path, explicit) for path, explicit in discover(paths) if filtering.selected(path, config)
    ]
    workspace.preload([path for path, _ in found], bulk.jobs_for(len(found), jobs))
    for path, explicit in found:
        workspace.add(path, explicit)
        base = _variant_base(path)
        if base is not None:  # an overlay alone (say, from pre-commit) is checked against its base
            workspace.add(base, False)
    overrides = {**config.refs, **(refs or {})}
    dependents: list[Dependent] = []
    if dependents_root is not None and _may_have_dependents(workspace, found):
        from floe_lint.lint import dependents as lint_dependents

        dependents = lint_dependents.add(
            workspace, paths, found, dependents_root, config, overrides, jobs
        )
        # A ref that reaches a changed manifest through a lock file's digest is linted
        # against the changed file, not the published one.
        overrides.update({d.ref: d.via for d in dependents if is_oci(d.ref)})
    resolver = Resolver(overrides, fetch)
    hierarchy = Hierarchy(workspace, resolver, config.manifest)
    trust = (
        Trust(config.trusted_roots, resolver, workspace.is_reported)
        if config.trusted_roots
        else None
    )
    ctx = Context(workspace, hierarchy, trust)

    # Resolve first: refs may reach manifests outside `paths`, which are then linted too.
    products: list[Product] = []
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
                products.append(hierarchy.product(doc))
            elif doc.kind == "manifest":
                manifests.append(hierarchy.level(doc))

    subjects: dict[Subject, list[Any]] = {
        "file": workspace.files(),
        "document": [d for d in workspace.documents() if d.kind and not is_env_variant(d)],
        "manifest": manifests,
        "product": products,
        "suppression": [],
        "control": [],
    }
    control = Control.of(config, _strict_files(products, hierarchy))
    # Mandatory rules run whatever the config's select and ignore say (only their mandatory
    # findings stay); the command line's own --select/--ignore are the invoker's to decide.
    enabled = {rule.id for rule in rules}
    every = enabled_rules(select, ignore, extra)
    forced = [r for r in every if r.id not in enabled and r.subject not in _LATE]
    forced = [r for r in forced if control.may_be_mandatory(r)]
    findings: list[Finding] = []
    for rule in [*rules, *forced]:
        for subject in subjects[rule.subject]:
            findings.extend(_checked(rule, subject, ctx, config, control))
    findings = [f for f in findings if f.rule_id in enabled or control.why(f) is not None]
    findings = _drop_shadowed_schema_findings(findings)
    late = [r for r in rules if r.subject == "suppression"]
    controls = [r for r in every if r.subject == "control"]  # whatever the config says
    filtered = filtering.apply(
        _dedupe(findings),
        workspace.files(),
        config,
        rule_keys=(
            rules,
            known,
        ),
        check_unused=(
            (lambda unused: [f for r in late for f in _checked(r, unused, ctx, config)])
            if late
            else None
        ),
        baseline=baseline,
        require_reason=require_suppression_reason,
        control=control,
        check_control=lambda refusal: [
            f for r in controls for f in _checked(r, refusal, ctx, config, control)
        ],
    )
    findings = filtered.findings
    if dependents:
        from floe_lint.lint.dependents import with_causes

        findings = with_causes(findings, dependents, workspace)
    return Result(
        findings,
        workspace.files(),
        rules,
        filtered.suppressed,
        filtered.stale,
        dependents,
        hierarchy,
        products,
    )


def _may_have_dependents(workspace: Workspace, found: Sequence[tuple[Path, bool]]) -> bool:
    """Only a manifest has dependents: a run given none (a product changed) searches nothing."""
    return any(
        doc.kind == "manifest" for path, _ in found for doc in workspace.load(path).documents
    )


def _checked(
    rule: Rule, subject: Any, ctx: Context, config: Config, control: Control | None = None
) -> Iterator[Finding]:
    """A rule's findings on one subject, stamped with its id, name and configured severity
    (a mandatory finding keeps at least its rule's own)."""
    severity = selectors.most_specific(config.severity, rule) or rule.severity
    for finding in rule.check(subject, ctx):
        stamped = dataclasses.replace(finding, rule_id=rule.id, name=rule.name, severity=severity)
        yield control.severity(stamped, rule.severity) if control is not None else stamped


_LATE = ("suppression", "control")


def _strict_files(products: Sequence[Product], hierarchy: Hierarchy) -> list[Path]:
    """The documents a platform with a strict `policy_enforcement_level` governs."""
    found = [p.doc.path for p in products if is_strict(p.platform)]
    return found + [level.doc.path for level in hierarchy.levels() if is_strict(level)]


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
