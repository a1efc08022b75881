"""`floe-lint check-connections`: try each approved compute of a platform, print a table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from floe_lint.commands import targets
from floe_lint.commands.tables import write_table
from floe_lint.commands.usage import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    UsageError,
    parse_ref_overrides,
    with_manifest,
)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands.fetching import fetcher
    from floe_lint.compute.plugin import ComputeConfig, registry
    from floe_lint.config import load_config
    from floe_lint.reporters import printable

    path = targets.product_file(args.path) if args.path.is_dir() else args.path
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    config = with_manifest(
        load_config(args.config, Path.cwd(), isolated=args.isolated, targets=[path]), args.manifest
    )
    hierarchy = targets.hierarchy(config, parse_ref_overrides(args.ref), fetcher(config, [path]))
    doc = targets.first(hierarchy, path, ("floe", "manifest"))
    level = hierarchy.platform(doc) if doc.kind == "floe" else hierarchy.level(doc)
    if level is None or hierarchy.problems:
        reason = hierarchy.problems[0].message if hierarchy.problems else "no platform"
        stderr.write(
            f"floe-lint: error: cannot resolve the platform of {path}: {printable(reason)}\n"
        )
        return EXIT_FINDINGS
    plugins = registry()
    rows: list[tuple[str, ...]] = []
    failed = 0
    for name, effective in level.approved.items():
        plugin = plugins.get(name)
        if plugin is None:
            rows.append((name, "no", "-", "no compute plugin provides it"))
            failed += 1
            continue
        result = plugin.validate_connection(
            ComputeConfig(name, effective.connection_secret_ref, effective.config)
        )
        ok = "yes" if result.success else ("no" if result.checked else "skipped")
        failed += result.checked and not result.success
        latency = f"{result.latency_ms:.0f} ms" if result.latency_ms is not None else "-"
        rows.append((name, ok, latency, result.message))
    write_table(("NAME", "OK", "LATENCY", "MESSAGE"), rows, stdout)
    return EXIT_FINDINGS if failed else EXIT_CLEAN
