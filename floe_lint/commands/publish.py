"""`floe-lint publish`: lint a manifest, then push it to a registry as a Floe OCI artifact."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from floe_lint.commands.usage import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE

if TYPE_CHECKING:
    from floe_lint.config import Config


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands.fetching import reporting_ref_errors
    from floe_lint.config import load_config

    config = load_config(args.config, Path.cwd())
    return reporting_ref_errors(lambda: _publish(args, config, stdout, stderr), stderr)


def _publish(args: argparse.Namespace, config: Config, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands.fetching import fetcher
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
