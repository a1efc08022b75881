"""A changed manifest's dependents in a run: found through the reverse index, added to the
workspace, and named as the cause of their findings.

`check` of a manifest also lints every domain and product whose hierarchy passes through it;
each of their findings carries a `related` location at the changed manifest (and
`extra["dependent"]`, the note of the one-line formats), so a reader sees why a file they did not
touch is reported. A file too large to read is taken because whether it names the manifest cannot
be told (`Dependent.unread`): its notes say it may be a dependent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from floe_lint.config import Config
from floe_lint.findings import FILE_START, Finding, Location, Related
from floe_lint.lint import filtering
from floe_lint.load import document as documents
from floe_lint.load.paths import relative_posix
from floe_lint.load.workspace import Workspace
from floe_lint.model.reverse_index import Dependent, ReverseIndex

TYPE_CHECKING = False
if TYPE_CHECKING:  # (`typing` is not imported at run time: issue 17's start-up)
    from typing import Any


def is_env_variant(path: Path) -> bool:
    """`manifest.prod.yaml`: an overlay of its base; nothing depends on it by ref."""
    return documents.ENV_VARIANT.match(path.name) is not None


def _read_lock(folder: Path) -> Mapping[str, str] | None:
    """The refs a folder's floe.lock records; an unreadable one is lock-stale's to report."""
    from floe_lint.oci import lockfile

    try:
        return lockfile.read(folder / lockfile.LOCK_NAME)
    except lockfile.LockError:
        return None


def add(
    workspace: Workspace,
    paths: Sequence[Path],
    found: Sequence[tuple[Path, bool]],
    root: Path,
    config: Config,
    overrides: Mapping[str, Path],
    jobs: int | None,
    memo: dict[tuple[Any, ...], list[Dependent]] | None = None,
) -> list[Dependent]:
    """Add the workspace's files that depend on the manifests among `found` (the files
    discovered under `paths`); return them. With `memo` (shared by runs over the same tree
    whose changed manifests differ in content only), the search runs once per set of changed
    manifests: who references a manifest does not depend on what it says."""
    if any(path.is_dir() and root.is_relative_to(path.resolve()) for path in paths):
        return []  # the whole workspace is linted already
    given = {workspace.key(path) for path, _ in found}
    changed = [
        workspace.key(path)
        for path, _ in found
        if any(
            d.kind == "manifest" and not is_env_variant(d.path)
            for d in workspace.load(path).documents
        )
    ]
    if not changed:
        return []
    memo_key = (root, *changed, *sorted(given), *sorted((k, str(v)) for k, v in overrides.items()))
    if memo is not None and memo_key in memo:
        dependents = memo[memo_key]
        for dependent in dependents:
            workspace.add(dependent.path, False)
        return list(dependents)
    index = ReverseIndex(
        root,
        workspace,
        overrides,
        read_lock=_read_lock,
        selected=(
            (lambda p: filtering.selected(p, config)) if config.include or config.exclude else None
        ),
        selector=lambda links: filtering.selector(config, links),
        jobs=jobs,
        fallback=config.manifest,
        given=paths,
        # runs that share the search (`impact`'s) go on to read the tree it walked: what it
        # listed serves them (the files beside each file, the folder above each folder)
        listing=workspace.listed if memo is not None else None,
    )
    dependents = [d for d in index.dependents(changed) if d.path not in given]
    for dependent in dependents:
        workspace.add(dependent.path, False)
    if memo is not None:
        memo[memo_key] = list(dependents)
    return dependents


def with_causes(
    findings: list[Finding], dependents: Sequence[Dependent], workspace: Workspace
) -> list[Finding]:
    """A dependent's findings name the changed manifest that brought it in, in `related`."""
    if not dependents:
        return findings
    causes = {d.path: (d.cause, d.unread) for d in dependents}
    #: by cause: the few changed manifests (and whether the file could not be read)
    notes: dict[tuple[Path, bool], tuple[str, Related]] = {}
    out = []
    for finding in findings:
        cause = causes.get(workspace.key(finding.path))
        if cause is None:
            out.append(finding)
            continue
        known = notes.get(cause)
        if known is None:
            known = notes[cause] = _notes(*cause)
        text, note = known
        related, extra = (*finding.related, note), {**finding.extra, "dependent": text}
        if type(finding) is Finding:  # `replace`, written out (thousands of dependents' findings)
            f = finding
            fields = (f.rule_id, f.name, f.severity, f.message, f.location, related, f.sensitive)
            out.append(Finding(*fields, extra, f.fix))
        else:
            out.append(finding.replace(related=related, extra=extra))
    return out


def _notes(cause: Path, unread: bool) -> tuple[str, Related]:
    """What the one-line formats add to a dependent's finding, and its related location."""
    shown = relative_posix(cause)
    if unread:  # (its bytes were never read: it may name the manifest, or not)
        why = "it is too large to read, so its hierarchy may pass through the changed manifest"
        return f"may be a dependent of the changed manifest {shown}", Related(
            Location(cause, FILE_START), f"checked because {why} {shown}"
        )
    return f"a dependent of the changed manifest {shown}", Related(
        Location(cause, FILE_START),
        f"checked because its hierarchy passes through the changed manifest {shown}",
    )
