"""`floe-lint lock`, `floe-lint publish` and the registry fetcher that `check` resolves with.

Kept out of cli.py so the command line only parses and dispatches; nothing here imports
oras until a ref needs the network.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from floe_lint.config import Config
    from floe_lint.oci.fetcher import Fetcher, Settings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def add_check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "--offline",
        action="store_true",
        help="resolve oci:// refs only from the cache and floe.lock (also FLOE_LINT_OFFLINE=1)",
    )


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lock = commands.add_parser(
        "lock", help="record the digest of every oci:// ref of each product in its floe.lock"
    )
    lock.add_argument("paths", nargs="*", type=Path, default=[Path(".")], help="files or folders")
    lock.add_argument("--config", type=Path, help="config file (default: the nearest)")
    lock.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a floe.lock is out of date"
    )
    publish = commands.add_parser(
        "publish", help="lint a manifest and push it to a registry as a Floe OCI artifact"
    )
    publish.add_argument("manifest", type=Path, help="the manifest.yaml to publish")
    publish.add_argument("ref", help="where to push it: oci://host/repository:tag")
    publish.add_argument("--config", type=Path, help="config file (default: the nearest)")
    publish.add_argument(
        "--annotation",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an extra manifest annotation; repeatable",
    )


def settings(config: Config, *, offline: bool = False) -> Settings:
    from floe_lint.oci.fetcher import Settings

    where = str(config.path) if config.path else "config"
    return Settings.load(config.oci, config.root, where, offline=offline)


def fetcher(config: Config, paths: Sequence[Path], *, offline: bool = False) -> Fetcher:
    """The fetcher for `check`: locks from floe.lock files near `paths`, looked up lazily."""
    from floe_lint.oci import lockfile
    from floe_lint.oci.fetcher import Fetcher

    return Fetcher(settings(config, offline=offline), lambda: lockfile.collect(paths))


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.config import load_config
    from floe_lint.model.refs import RefError

    config = load_config(args.config, Path.cwd())
    try:
        if args.command == "lock":
            return _lock(args, config, stdout, stderr)
        return _publish(args, config, stdout, stderr)
    except RefError as error:
        stderr.write(f"floe-lint: error: {error}\n")
        return EXIT_FINDINGS


def _lock(args: argparse.Namespace, config: Config, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.lint.engine import is_env_variant
    from floe_lint.load.workspace import Workspace, discover
    from floe_lint.model.hierarchy import Hierarchy
    from floe_lint.model.refs import Resolver
    from floe_lint.oci import lockfile
    from floe_lint.oci.fetcher import Fetcher
    from floe_lint.reporters import display_path

    for path in args.paths:
        if not path.exists():
            stderr.write(f"floe-lint: error: no such file or directory: {path}\n")
            return EXIT_USAGE
    fetch = Fetcher(settings(config), refresh_tags=True)
    workspace = Workspace()
    for path, explicit in discover(args.paths):
        workspace.add(path, explicit)
    hierarchy = Hierarchy(workspace, Resolver(dict(config.refs), fetch))
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
            stderr.write(f"floe-lint: {shown} not written: the hierarchy did not resolve\n")
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
            continue  # no registry refs: nothing to lock, and no file to create
        if current == text:
            stdout.write(f"{shown}: up to date ({len(refs)} refs)\n")
        elif args.check:
            stale += 1
            stdout.write(f"{shown}: out of date; run `floe-lint lock`\n")
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


def _publish(args: argparse.Namespace, config: Config, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.lint import engine
    from floe_lint.load.document import load
    from floe_lint.model.refs import RefError, parse_oci
    from floe_lint.reporters import display_path, sorted_findings

    try:
        ref = parse_oci(args.ref)
    except RefError as error:
        stderr.write(f"floe-lint: error: {error}\n")
        return EXIT_USAGE
    if ref.tag is None and ref.digest is None:
        stderr.write(
            f"floe-lint: error: '{args.ref}' names no tag; use oci://host/repository:TAG\n"
        )
        return EXIT_USAGE
    annotations: dict[str, str] = {}
    for item in args.annotation:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            stderr.write(f"floe-lint: error: --annotation expects KEY=VALUE, got '{item}'\n")
            return EXIT_USAGE
        annotations[key.strip()] = value
    path: Path = args.manifest
    if not path.is_file():
        stderr.write(f"floe-lint: error: no such file: {path}\n")
        return EXIT_USAGE
    source = load(path)
    manifests = [d for d in source.documents if d.kind == "manifest"]
    if not source.problems and len(manifests) != 1:
        stderr.write(f"floe-lint: error: {path} must hold exactly one manifest document\n")
        return EXIT_USAGE
    fetch = fetcher(config, [path])
    result = engine.run([path], config, fetch=fetch)
    errors = [f for f in sorted_findings(result.findings) if f.severity == "error"]
    if errors:
        for f in errors:
            span = f.location.span
            stderr.write(
                f"{display_path(f.path)}:{span.start_line}:{span.start_col}: "
                f"{f.rule_id} [{f.name}] {f.message}\n"
            )
        stderr.write(f"floe-lint: not published: {len(errors)} error(s) in {path}\n")
        return EXIT_FINDINGS
    doc = manifests[0]
    for key, pointer in (("io.floe.manifest.name", "/metadata/name"), ("io.floe.scope", "/scope")):
        value = doc.get(pointer)
        if isinstance(value, str):
            annotations.setdefault(key, value)
    from floe_lint.load.reading import read_regular

    try:
        content = read_regular(path)
    except OSError as error:
        stderr.write(f"floe-lint: error: cannot read {path}: {error}\n")
        return EXIT_USAGE
    published = fetch.push(ref, content, annotations)
    stdout.write(published.digest + "\n")
    pinned = f"oci://{ref.host}/{ref.repository}{f':{ref.tag}' if ref.tag else ''}"
    stderr.write(
        f"floe-lint: published {path} as {pinned}@{published.digest} "
        f"({json.dumps(annotations, sort_keys=True)})\n"
    )
    return EXIT_CLEAN
