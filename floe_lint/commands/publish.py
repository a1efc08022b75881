"""`floe-lint publish`: lint a manifest, then push it to a registry as a Floe OCI artifact."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from floe_lint.commands.usage import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE

if TYPE_CHECKING:
    from floe_lint.config import Config
    from floe_lint.findings import Finding
    from floe_lint.model.refs import OciRef
    from floe_lint.oci.pull import Fetcher


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands.fetching import reporting_ref_errors
    from floe_lint.config import load_config

    targets = [args.manifest]
    config = load_config(args.config, Path.cwd(), isolated=args.isolated, targets=targets)
    return reporting_ref_errors(lambda: _publish(args, config, stdout, stderr), stderr)


def _publish(args: argparse.Namespace, config: Config, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands.fetching import fetcher
    from floe_lint.lint import engine
    from floe_lint.load.document import load
    from floe_lint.model.refs import RefError, parse_oci
    from floe_lint.reporters import display_path, printable, sorted_findings

    try:
        ref = parse_oci(args.ref)
    except RefError as error:
        stderr.write(f"floe-lint: error: {printable(str(error))}\n")
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
        from floe_lint import masking
        from floe_lint.reporters import text

        # the same lines as `check` prints, severity included
        text.write(
            errors, stderr, show_source=False, colour=False, read_lines=masking.reader(result.files)
        )
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        stderr.write(f"floe-lint: not published: {count} in {display_path(path)}\n")
        return EXIT_FINDINGS
    broken, new_errors = _breaks(args, config, ref, fetch)
    if broken:
        for f in new_errors:
            span = f.location.span
            stderr.write(
                f"{display_path(f.path)}:{span.start_line}:{span.start_col}: "
                f"{f.rule_id} [{f.name}] {f.message}\n"
            )
        what = (
            f"{display_path(path)} breaks {len(broken)} dependent{'s' if len(broken) != 1 else ''}"
            f": {', '.join(broken)} ({len(new_errors)} new error"
            f"{'s' if len(new_errors) != 1 else ''}; see `floe-lint impact`)"
        )
        if not args.force:
            stderr.write(f"floe-lint: not published: {what}; --force publishes anyway\n")
            return EXIT_FINDINGS
        stderr.write(f"floe-lint: {what}; published anyway (--force)\n")
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
    from floe_lint.oci.push import push

    published = push(fetch, ref, content, annotations)
    stdout.write(published.digest + "\n")
    pinned = f"oci://{ref.host}/{ref.repository}{f':{ref.tag}' if ref.tag else ''}"
    stderr.write(
        f"floe-lint: published {path} as {pinned}@{published.digest} "
        f"({json.dumps(annotations, sort_keys=True)})\n"
    )
    return EXIT_CLEAN


def _published(config: Config, ref: OciRef) -> bytes | None:
    """What the tag holds now, fetched afresh; None when it holds nothing (or is unreachable)."""
    from floe_lint.commands.fetching import settings
    from floe_lint.load.bounded import read_bounded
    from floe_lint.model.refs import OciRef, RefError
    from floe_lint.oci.pull import Fetcher

    if ref.tag is None:
        return None
    try:
        path = Fetcher(settings(config), refresh_tags=True)(
            OciRef(ref.host, ref.repository, ref.tag, None)
        )
    except RefError:
        return None
    return read_bounded(path)


def _breaks(
    args: argparse.Namespace, config: Config, ref: OciRef, fetch: Fetcher
) -> tuple[list[str], list[Finding]]:
    """The workspace's dependents of the manifest that gain errors, and those errors.

    "Gain" compares with what the tag holds now; on a first publish, every error counts.
    """
    from floe_lint.lint import engine
    from floe_lint.lint.impact import measure
    from floe_lint.lint.shared import Shared
    from floe_lint.load.paths import relative_posix
    from floe_lint.load.root import workspace_root
    from floe_lint.reporters import sorted_findings

    path: Path = args.manifest
    discovered = args.config is None
    root = workspace_root(args.workspace, config.path, Path.cwd(), [path], discovered=discovered)

    def lint(sources: dict[Path, bytes] | None, shared: Shared | None = None) -> engine.Result:
        return engine.run(
            [path], config, fetch=fetch, dependents_root=root, sources=sources, shared=shared
        )

    previous = _published(config, ref)
    if previous is None:
        result = lint(None)
        dependents = {d.path for d in result.dependents}
        found = [
            f for f in result.findings if f.severity == "error" and f.path.resolve() in dependents
        ]
    else:
        impact = measure(path, str(ref), previous, lint)
        dependents = set(impact.dependents)
        found = [
            f for f in impact.appeared if f.severity == "error" and f.path.resolve() in dependents
        ]
    found = sorted_findings(found)
    return sorted({relative_posix(f.path) for f in found}), found
