"""The run: load, resolve the hierarchy, run each enabled rule on the subjects it asks for,
stamp id, name and severity, then filter. The rules come from `floe_lint.lint.registry`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

from floe_lint.config import Config
from floe_lint.errors import UnknownRuleError
from floe_lint.findings import Finding
from floe_lint.lint import filtering, ordering, run_key, selectors, stamp
from floe_lint.lint.applicable import Applicable
from floe_lint.lint.context import Context
from floe_lint.lint.mandatory import Control
from floe_lint.lint.registry import Rule, enabled_rules, folder_rules, installed_rules
from floe_lint.load import bulk
from floe_lint.load import document as documents
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.kinds import overlay_base
from floe_lint.load.workspace import Workspace, discover_names, plain
from floe_lint.model.enforcement import is_strict
from floe_lint.model.hierarchy import Hierarchy
from floe_lint.model.level import Level
from floe_lint.model.product import Product
from floe_lint.model.refs import OciFetcher, Resolver, is_oci
from floe_lint.record import Value
from floe_lint.secrets import mask_url_credentials

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.lint.baseline import Baseline, Entry
    from floe_lint.lint.registry import Subject
    from floe_lint.lint.replay import Replay
    from floe_lint.lint.shared import Shared
    from floe_lint.load.walk import Beside
    from floe_lint.model.reverse_index import Dependent


class Result(Value):
    __slots__ = (
        "dependents",
        "files",
        "findings",
        "hierarchy",
        "products",
        "replay",
        "rules",
        "stale",
        "suppressed",
    )
    findings: list[Finding]
    files: Sequence[SourceFile]
    rules: list[Rule]
    suppressed: list[filtering.Suppressed]
    stale: list[Entry]
    dependents: list[Dependent]
    hierarchy: Hierarchy | None
    products: list[Product]
    #: the run's use of the result cache, if any
    replay: Replay | None

    def __init__(
        self,
        findings: list[Finding],
        files: Sequence[SourceFile],
        rules: list[Rule],
        suppressed: list[filtering.Suppressed] | None = None,
        stale: list[Entry] | None = None,
        dependents: list[Dependent] | None = None,
        hierarchy: Hierarchy | None = None,
        products: list[Product] | None = None,
        replay: Replay | None = None,
    ) -> None:
        self.findings = findings
        self.files = files
        self.rules = rules
        self.suppressed = [] if suppressed is None else suppressed
        self.stale = [] if stale is None else stale
        self.dependents = [] if dependents is None else dependents
        self.hierarchy = hierarchy
        self.products = [] if products is None else products
        self.replay = replay


def is_env_variant(doc: Document) -> bool:
    """`floe.prod.yaml`-style overlays are compared with their base file, not linted alone."""
    return documents.ENV_VARIANT.match(doc.path.name) is not None


def _variant_base(path: Path) -> Path | None:
    """`floe.yaml` (else `floe.yml`, else `floe.json`) for `floe.prod.yaml`, when it exists
    (in any case: `FLOE.yaml`)."""
    return overlay_base(path)


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
    hook: bool = False,
    cache_dir: Path | None = None,
    shared: Shared | None = None,
    discovered: Sequence[tuple[Path | str, bool]] | None = None,
    listed: Beside | None = None,
    release: bool = False,
    within: Path | None = None,
) -> Result:
    """Lint `paths`: load, resolve the hierarchy, run the enabled rules, return sorted findings.

    `jobs` processes parse the files (None: all cores for large inputs); the rest is serial,
    so the output does not depend on it. With `dependents_root`, every file of that workspace
    whose hierarchy passes through a manifest among `paths` is linted too, and its findings name
    that manifest in `related`. `sources` replaces files' contents (by path), so a manifest can
    be linted as it was at another revision. With `hook`, files named in `paths` are taken as
    if discovered (see `discover`). `parsed` is shared by runs over the same files
    (`impact`'s two): a file another run parsed is not parsed again (`sources` excepted);
    `shared` (floe_lint.lint.shared) shares that and more (the dependents search, the findings
    of rules that read one document alone).
    With a `cache_dir` (floe_lint.lint.cache), a file whose inputs did not change since a run that
    stored it is replayed, not checked; the output is the same. `discovered`: what discovery of
    `paths` (after the config's include and exclude) found moments ago, so it is not walked again
    (a file found in a folder as the walk names it: text, made a `Path` when its group comes),
    a walk that met no symbolic link (floe_lint.lint.whole), so their keys are their absolute paths;
    `listed`: what that walk listed (floe_lint.load.walk.Beside), so no folder is listed again.
    With `release`, a run that can (no shared parse, no replaced contents, no trusted roots, no
    manifest among its files whose dependents it must search) checks the tree group by group and
    releases each file once the rules of single files ran (floe_lint.lint.stream): memory stays
    flat, the output is the same, and the result's `products` holds only those of files it kept.
    `within`: the workspace, where a walk follows a link out of a folder given (`discover`).
    """
    extra = folder_rules(config.rule_folders) if config.rule_folders else ()
    known = (*installed_rules(), *extra)
    if extra:  # without rule folders, load_config checked the config's selectors already
        config.check_selectors(known)
    for selector in (*select, *ignore):
        if not selectors.names_a_rule(selector, known):
            raise UnknownRuleError(selectors.unknown_message(selector, known))
    rules = enabled_rules([*config.select, *select], [*config.ignore, *ignore], extra)
    dialect = config.dialect
    workspace = Workspace(dialect, parsed) if shared is None else shared.workspace(dialect)
    for path, raw in (sources or {}).items():
        workspace.put(path, raw)
    if discovered is not None:
        workspace.know_keys(path for path, _ in discovered)
        if listed is not None:
            workspace.listed = listed
    elif cache_dir is not None and shared is None:  # the result cache then knows a file absent
        workspace.listed.every_name = True  # (most floe.lock files) without asking the system
    every = enabled_rules(select, ignore, extra)
    enabled = {rule.id for rule in rules}
    # (a rule the config disables may be mandatory: which depends on the whole run)
    streamed = (
        release
        and (shared, parsed) == (None, None)
        and not (
            sources
            or config.trusted_roots
            or any(r.id not in enabled and r.subject not in _LATE for r in every)
        )
    )
    # A found manifest has dependents to search before any rule runs: a streamed run stops at
    # its group and goes on as one that holds every file (a released file is read again).
    searched = streamed and dependents_root is not None and not _covers(paths, dependents_root)
    # A streamed run to its end keeps each file it found as the walk names it, until its group
    # comes (floe_lint.lint.stream): not a `Path` per file up front.
    # (`discovered` names them as the walk does: a file found as text, one given as its `Path`)
    by_name = streamed and not searched
    named: list[tuple[Path | str, bool]] = []
    if by_name and discovered is not None:
        # (a walk's name keeps its tuple: the result cache's list of files found shares it)
        named = [(Path(f[0]), True) if f[1] else f for f in discovered]
    elif by_name:
        named = list(discover_names(paths, hook=hook, listing=workspace.listed, within=within))
        if config.include or config.exclude:  # (the links met are known once it is walked)
            keep = filtering.selector(config, workspace.listed.links)
            named = [(path, explicit) for path, explicit in named if keep(path)]
    if by_name:
        found = []
    elif discovered is not None:
        found = [(Path(path), explicit) for path, explicit in discovered]
    else:  # (the walk and the globs of every command)
        from floe_lint.lint.walking import selected_files

        found = selected_files(paths, config, within, hook=hook, listing=workspace.listed)
    if discovered is None and not hook and not workspace.listed.links_met and plain(paths):
        # as for `discovered`: no link met
        workspace.know_keys(path for path, _ in (named if by_name else found))
    listing = named if by_name else found
    replay = run_key.open_replay(
        cache_dir, workspace, listing, config, rules, select, ignore, refs, fetch
    )
    replayed: list[Finding] = []

    def add(path: Path, explicit: bool) -> None:
        if replay is not None and replay.replayable(path):
            replayed.extend(replay.replay(path))
        else:
            workspace.add(path, explicit)

    if replay is not None:
        workspace.reuse = replay  # a file checked again is built from its stored parse

    def to_parse() -> list[Any]:  # (as `listing` names them): not replayed, nor built
        on = replay
        return [p for p, _ in listing if on is None or not (on.replayable(p) or on.servable(p))]

    overrides = {**config.refs, **(refs or {})}
    dependents: list[Dependent] = []
    stream = local = None
    added: int | None = None  # of `found`, by a stream that stopped
    if replay is not None:
        from floe_lint.lint.local import Local

        local = Local(replay)
    if streamed:
        from floe_lint.lint.stream import Stream

        resolver = Resolver(overrides, fetch)
        hierarchy = Hierarchy(workspace, resolver, config.manifest)
        ctx = Context(workspace, hierarchy)
        checked = lambda r, s: stamp.checked(r, s, ctx, config, None, local)  # noqa: E731
        # a rule's own findings, stamped; with the result cache, only for the rules whose
        # findings it does not store (`Local.handles`: the others go through `checked`)
        stamps = (lambda r, found: stamp.stamped(r, found, config)) if stamp.DIRECT else None
        handles = local.handles if local is not None else None
        stream = Stream(workspace, hierarchy, ctx, rules, checked, replay, stamps, handles, local)
        stops = (lambda path: _holds_manifest(workspace, path, replay)) if searched else None
        # for a stream that stops; else the stream asks of each file as its group comes, and
        # counts them for its workers (not asked of every file once more up front, issue 17)
        fresh = to_parse() if stops is not None else []
        workers = partial(bulk.jobs_for, requested=jobs)
        added = stream.run(named if by_name else found, add, _variant_base, workers, stops)
        if added is not None:
            stream = None
            if replay is not None:
                replay.forget_notes()
                local = Local(replay)
    if stream is None:
        if added is None:  # (not streamed)
            fresh = to_parse()
        workspace.preload(fresh, bulk.jobs_for(len(fresh), jobs))
        for path, explicit in found[added or 0 :]:
            add(path, explicit)
            base = _variant_base(path)
            if (
                base is not None
            ):  # an overlay alone (say, from pre-commit) is checked against its base
                add(base, False)
        if dependents_root is not None and _may_have_dependents(
            workspace, paths, found, dependents_root, replay
        ):
            from floe_lint.lint import dependents as lint_dependents

            if replay is not None:
                replay.complete = False  # the search read files beyond those found

            dependents = lint_dependents.add(
                workspace,
                paths,
                found,
                dependents_root,
                config,
                overrides,
                jobs,
                shared.dependents if shared is not None else None,
            )
            # A ref that reaches a changed manifest through a lock file's digest is linted
            # against the changed file, not the published one.
            overrides.update({d.ref: d.via for d in dependents if is_oci(d.ref)})
        resolver = Resolver(overrides, fetch)
        known_refs = shared.resolved_refs(overrides) if shared is not None else None
        hierarchy = Hierarchy(workspace, resolver, config.manifest, known_refs)
        trust = run_key.run_trust(replay, config, resolver, workspace)
        if replay is not None and not replay.stored and replay.replayed:
            # the search mapped a trusted root's ref anew: the findings replayed above were
            # found under the roots the store's key resolved; so is checked again, cold
            return run(
                paths,
                config,
                select=select,
                ignore=ignore,
                refs=refs,
                fetch=fetch,
                baseline=baseline,
                require_suppression_reason=require_suppression_reason,
                jobs=jobs,
                dependents_root=dependents_root,
                sources=sources,
                parsed=parsed,
                hook=hook,
                shared=shared,
                discovered=discovered,
                listed=listed,
                release=release,
            )
        ctx = Context(workspace, hierarchy, trust)
        ctx.shared = shared
        ctx.fixes = shared is None or shared.states_fixes(known)

    # Resolve first: refs may reach manifests outside `paths`, which are then linted too.
    products: list[Product] = []
    manifests: list[Level] = []
    pending = True
    seen: set[int] = set()
    done = stream.is_done if stream is not None else None
    while pending:
        pending = False
        for doc in list(workspace.documents()):
            if (
                id(doc) in seen
                or is_env_variant(doc)
                or (done is not None and done(workspace.key(doc.path)))
            ):
                continue
            seen.add(id(doc))
            pending = True
            if doc.kind == "floe":
                products.append(hierarchy.product(doc))
            elif doc.kind == "manifest":
                manifests.append(hierarchy.level(doc))

    subjects: dict[Subject, list[Any]] = {
        "file": [
            f
            for f in workspace.files(retired=False)  # (a retired file is done)
            if workspace.key(f.path) not in workspace.replayed
            and not (done is not None and done(workspace.key(f.path)))
        ],
        "document": [
            d
            for d in workspace.documents()
            if d.kind
            and not is_env_variant(d)
            and not (done is not None and done(workspace.key(d.path)))
        ],
        "manifest": manifests,
        "product": products,
        "suppression": [],
        "control": [],
    }
    strict = _strict_files(products, hierarchy)
    if replay is not None:
        strict += replay.strict
    if stream is not None:
        strict = stream.strict + strict
    control = Control.of(config, strict)
    # Mandatory rules run whatever the config's select and ignore say (only their mandatory
    # findings stay); the command line's own --select/--ignore are the invoker's to decide.
    forced = [r for r in every if r.id not in enabled and r.subject not in _LATE]
    forced = [r for r in forced if control.may_be_mandatory(r)]
    findings: list[Finding] = list(replayed)
    owners: dict[str, list[Finding]] = {}
    for f, severity, owner in stream.findings if stream is not None else ():
        findings.append(control.severity(f, severity))
        if owner is not None:  # in the order a run holding every file finds them
            owners.setdefault(owner, []).append(findings[-1])
    direct = stamp.DIRECT  # see `stamp.first`
    shared_run = ctx.shared
    applicable = Applicable(subjects)  # (a rule that can find nothing is not imported)
    for rule in [*rules, *forced]:
        # a rule whose findings runs share (floe_lint.lint.shared) is asked through them; one
        # the result cache stores (`local`) goes through `checked`
        shares = shared_run is not None and shared_run.shares(rule)
        through = not direct or (local is not None and (shares or local.handles(rule)))
        ask = shared_run.asker(rule) if shares and shared_run is not None else None
        for subject in applicable.targets(rule):
            if through:
                produced = list(stamp.checked(rule, subject, ctx, config, control, local))
            elif ask is not None:
                if not (asked := ask(subject, ctx)):
                    continue
                produced = list(stamp.stamped(rule, asked, config, control))
            elif (first := stamp.first(rule, subject, ctx)) is None:
                continue
            else:
                produced = list(stamp.stamped(rule, first, config, control))
            findings.extend(produced)
            if replay is not None and produced:
                owners.setdefault(replay.owner(subject), []).extend(produced)
    if replay is not None:
        replay.record(
            hierarchy,
            owners,
            ctx.environment_overlays,
            strict,
            resolver.overrides,
            local.seen if local is not None else None,
        )
    findings = [f for f in findings if f.rule_id in enabled or control.why(f) is not None]
    # One order whatever was replayed: the deduplication below keeps the first of equals.
    findings.sort(key=ordering.total_order)
    findings = ordering.drop_shadowed_schema_findings(findings)
    late = [r for r in rules if r.subject == "suppression"]
    controls = [r for r in every if r.subject == "control"]  # whatever the config says
    filtered = filtering.apply(
        ordering.dedupe(findings),
        workspace.files(),
        config,
        rule_keys=(
            rules,
            known,
        ),
        check_unused=(
            (lambda unused: [f for r in late for f in stamp.checked(r, unused, ctx, config)])
            if late
            else None
        ),
        baseline=baseline,
        require_reason=require_suppression_reason,
        control=control,
        check_control=lambda refusal: [
            f for r in controls for f in stamp.checked(r, refusal, ctx, config, control)
        ],
    )
    findings = [_masked(f) for f in filtered.findings]
    filtered.suppressed = [s.replace(finding=_masked(s.finding)) for s in filtered.suppressed]
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
        replay,
    )


def _masked(finding: Finding) -> Finding:
    """A finding whose message (or a related one) quotes a `scheme://user:password@` URL, with
    the password starred: every output format prints messages."""
    if "://" not in finding.message and not any("://" in r.message for r in finding.related):
        return finding
    related = tuple(r.replace(message=mask_url_credentials(r.message)) for r in finding.related)
    return finding.replace(message=mask_url_credentials(finding.message), related=related)


def _covers(paths: Sequence[Path], root: Path) -> bool:
    """Whether a folder among `paths` holds the whole workspace: nothing outside can depend."""
    return any(path.is_dir() and root.is_relative_to(path.resolve()) for path in paths)


def _may_have_dependents(
    workspace: Workspace,
    paths: Sequence[Path],
    found: Sequence[tuple[Path, bool]],
    root: Path,
    replay: Replay | None = None,
) -> bool:
    """Only a manifest has dependents: a run given none (a product changed) searches nothing,
    nor one given the whole workspace. A replayed file is not parsed to tell: its entry says."""
    if _covers(paths, root):
        return False
    return any(_holds_manifest(workspace, path, replay) for path, _ in found)


def _holds_manifest(workspace: Workspace, path: Path, replay: Replay | None) -> bool:
    if replay is not None and replay.replayable(path):
        return replay.holds_manifest(path)
    return any(doc.kind == "manifest" for doc in workspace.load(path).documents)


_LATE = ("suppression", "control")


def _strict_files(products: Sequence[Product], hierarchy: Hierarchy) -> list[Path]:
    """The documents a platform with a strict `policy_enforcement_level` governs."""
    found = [p.doc.path for p in products if is_strict(p.platform)]
    return found + [level.doc.path for level in hierarchy.levels() if is_strict(level)]
