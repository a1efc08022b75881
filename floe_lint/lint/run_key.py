"""The key a `check` run's result cache store is found under: everything the run's answer
depends on but the files it checks (those are keyed per file: floe_lint.lint.replay).

That is the effective config, the rules selected, the rule folders' modules as they ran, the
`--ref`s, and what the trusted roots resolve to now (`Trust.material`): a root's manifest is
read lazily, by the first verdict a rule asks for, so a run that replays every file would
otherwise never notice a root that no longer resolves (a corrupted OCI cache copy, a moved tag,
a root edited into a file that holds no manifest) while a cold run stops with its error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from floe_lint.config import Config
from floe_lint.lint.registry import Rule, folder_files
from floe_lint.load.workspace import Workspace
from floe_lint.model.refs import OciFetcher, Resolver

TYPE_CHECKING = False
if TYPE_CHECKING:
    from floe_lint.lint.replay import Replay
    from floe_lint.model.trust import Trust


def trust_of(config: Config, resolver: Resolver, workspace: Workspace) -> Trust | None:
    """The run's trusted roots (None without any), resolved only when asked."""
    if not config.trusted_roots:  # (imported here: a run without trusted roots needs none of it)
        return None
    from floe_lint.model.trust import Trust

    return Trust(config.trusted_roots, resolver, workspace.is_reported)


def open_replay(
    folder: Path | None,
    workspace: Workspace,
    found: Sequence[tuple[Path | str, bool]],
    config: Config,
    rules: Sequence[Rule],
    select: Sequence[str],
    ignore: Sequence[str],
    refs: Mapping[str, Path] | None,
    fetch: OciFetcher | None,
) -> Replay | None:
    """The run's use of the result cache in `folder`, under a key of everything but the files
    (its `trust`: the trusted roots as the key resolved them, for the run to use)."""
    if folder is None:
        return None
    from floe_lint.lint import cache
    from floe_lint.lint.replay import Replay

    rule_files = folder_files(config.rule_folders)  # (a module as it was run)
    overrides = {**config.refs, **(refs or {})}
    trust = trust_of(config, Resolver(dict(overrides), fetch), workspace)
    material: list[object] = [
        repr(config),
        [[r.id, r.name, r.severity, r.subject, r.module] for r in rules],
        rule_files,
        list(select),
        list(ignore),
        sorted((k, str(v)) for k, v in (refs or {}).items()),
    ]
    if trust is not None:
        material.append(trust.material())
    store = cache.Store(folder, cache.run_key(material))
    replay = Replay(store, workspace, fetch, overrides, exclusions=bool(config.exclude))
    replay.trust = trust
    replay.plan(found)
    return replay


def run_trust(
    replay: Replay | None, config: Config, resolver: Resolver, workspace: Workspace
) -> Trust | None:
    """The trusted roots the run's rules ask: those its store's key resolved, when the run
    resolves refs as the key did; else resolved anew, and then, when they resolve otherwise
    (a dependents search mapped a root's ref to the changed manifest), nothing the run found
    is stored (`Replay.complete`, `Replay.stored`), and a run that replayed files before the
    search is run again without the cache (`engine.run`): they were found under the old roots."""
    keyed = replay.trust if replay is not None else None
    if keyed is None or replay is None:
        return trust_of(config, resolver, workspace)
    if dict(keyed.resolver.overrides) == dict(resolver.overrides):
        return keyed
    trust = trust_of(config, resolver, workspace)
    if trust is None or trust.material() != keyed.material():
        replay.complete = replay.stored = False
    return trust
