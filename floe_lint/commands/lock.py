"""`floe-lint lock`: record the digest of every oci:// ref of each product in its floe.lock."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from floe_lint.commands.usage import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE

if TYPE_CHECKING:
    from floe_lint.config import Config
    from floe_lint.load.document import Document


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands.fetching import reporting_ref_errors
    from floe_lint.config import load_config

    config = load_config(args.config, Path.cwd(), isolated=args.isolated, targets=args.paths)
    return reporting_ref_errors(lambda: _lock(args, config, stdout, stderr), stderr)


def _lock(args: argparse.Namespace, config: Config, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands.fetching import settings
    from floe_lint.lint.engine import is_env_variant
    from floe_lint.load.workspace import Workspace
    from floe_lint.model.hierarchy import Hierarchy
    from floe_lint.model.refs import Resolver
    from floe_lint.oci import lockfile
    from floe_lint.oci.pull import Fetcher
    from floe_lint.reporters import display_path

    for path in args.paths:
        if not path.exists():
            stderr.write(f"floe-lint: error: no such file or directory: {path}\n")
            return EXIT_USAGE
    fetch = Fetcher(settings(config), refresh_tags=True)
    workspace = Workspace(config.dialect)
    from floe_lint.lint.walking import selected_files
    from floe_lint.load.root import workspace_root

    root = workspace_root(None, config.path, Path.cwd(), args.paths, discovered=args.config is None)
    for path, explicit in selected_files(args.paths, config, root):
        workspace.add(path, explicit)
    hierarchy = Hierarchy(workspace, Resolver(dict(config.refs), fetch), config.manifest)
    products = [d for d in workspace.documents() if d.kind == "floe" and not is_env_variant(d)]
    failed = stale = 0
    for product in products:
        sites = list(lockfile.hierarchy_refs(hierarchy, product))
        chain = {id(site.doc) for site in sites} | {id(product)}
        problems = [p for p in hierarchy.problems if id(p.doc) in chain]
        target = lockfile.lock_path(product.path)
        shown = display_path(target)
        if problems:
            failed += 1
            for problem in problems:
                span = problem.doc.span(problem.pointer)
                stderr.write(
                    f"{display_path(problem.doc.path)}:{span.start_line}:{span.start_col}: "
                    f"{problem.message}\n"
                )
            outcome = "cannot be checked" if args.check else "not written"
            stderr.write(f"floe-lint: {shown} {outcome}: the hierarchy did not resolve\n")
            continue
        refs: dict[str, str] = {}
        for site in sites:
            digest = site.key.partition("@")[2] or fetch.resolved.get(site.key)
            if digest:
                refs[site.key] = digest
            else:
                stderr.write(f"floe-lint: {site.text} resolves through an override; not locked\n")
        text = lockfile.render(refs)
        current = _current(target)
        if not refs and current is None:
            # no registry refs: nothing to lock, and no file to create
            stdout.write(f"{display_path(product.path)}: no oci:// refs; nothing to lock\n")
            continue
        if current == text:
            stdout.write(f"{shown}: up to date ({len(refs)} refs)\n")
        elif args.check:
            stale += 1
            stdout.write(f"{shown}: out of date; to update it, run: {_relock(args, product)}\n")
        else:
            lockfile.write(target, refs)
            stdout.write(f"{shown}: locked {len(refs)} refs\n")
    if not products:
        stderr.write("floe-lint: no floe.yaml products found; nothing to lock\n")
    return EXIT_FINDINGS if failed or stale else EXIT_CLEAN


def _current(lock: Path) -> str | None:
    """The text of an existing lock file, None when there is none (or none readable)."""
    from floe_lint.load.reading import read_text

    try:
        return read_text(lock, 1024 * 1024)
    except OSError:
        return None  # a missing lock is written; any other is replaced atomically


def _relock(args: argparse.Namespace, product: Document) -> str:
    """The `lock` command that rewrites exactly this product's lock, as `--check` read it."""
    import shlex

    from floe_lint.reporters import display_path

    words = ["floe-lint", "lock", display_path(product.path)]
    if args.config is not None:
        words += ["--config", display_path(args.config)]
    return shlex.join(words)
