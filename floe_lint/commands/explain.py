"""`floe-lint explain PATH`: the effective policy of a product or manifest, level by level.

Refs resolve as for `check`, but `oci://` refs only from the cache and floe.lock (offline): an
explanation never waits on a registry. Exit 1 when a ref of the hierarchy does not resolve.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from floe_lint.commands.usage import EXIT_CLEAN, EXIT_FINDINGS, UsageError


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands.fetching import fetcher
    from floe_lint.commands.usage import parse_ref_overrides, with_trusted_roots
    from floe_lint.config import load_config
    from floe_lint.lint.engine import is_env_variant
    from floe_lint.load.workspace import Workspace
    from floe_lint.model.explain import explain
    from floe_lint.model.hierarchy import Hierarchy
    from floe_lint.model.refs import Resolver
    from floe_lint.reporters import display_path, explain_report

    path: Path = args.path
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    config = load_config(args.config, Path.cwd(), isolated=args.isolated, targets=[path])
    workspace = Workspace(config.dialect)
    source = workspace.reach(path)
    docs = [d for d in source.documents if d.kind and not is_env_variant(d)]
    if len(docs) != 1:
        what = "is not valid YAML" if source.problems else "holds no single Floe document"
        raise UsageError(f"{display_path(path)} {what}; run `floe-lint check {path}`")
    fetch = fetcher(config, [path], offline=True)
    resolver = Resolver({**config.refs, **parse_ref_overrides(args.ref)}, fetch)
    hierarchy = Hierarchy(workspace, resolver, config.manifest)
    explanation = explain(docs[0], hierarchy)
    config = with_trusted_roots(config, args.trusted_root)
    if config.trusted_roots:
        from floe_lint.model.explain import trust_view
        from floe_lint.model.trust import Trust

        trust = Trust(config.trusted_roots, resolver, lambda path: True)
        explanation.trust = trust_view(docs[0], hierarchy, trust)
    if args.format == "json":
        explain_report.write_json(explanation, stdout)
    else:
        explain_report.write_text(explanation, stdout)
    untrusted = explanation.trust is not None and not explanation.trust.trusted
    return EXIT_FINDINGS if explanation.problems or untrusted else EXIT_CLEAN
