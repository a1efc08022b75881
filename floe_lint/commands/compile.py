"""The compute commands: `compile`, `plugins` and `check-connections`.

Kept out of cli.py so that the CLI stays a thin dispatcher; nothing heavy is imported until a
command runs (pydantic only by `compile`).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from floe_lint.commands.usage import UsageError, parse_ref_overrides
from floe_lint.load.paths import lines_reader

if TYPE_CHECKING:
    from floe_lint.config import Config
    from floe_lint.load.document import Document
    from floe_lint.model.hierarchy import Hierarchy
    from floe_lint.model.refs import OciFetcher

COMMANDS = ("compile", "plugins", "check-connections")
DEFAULT_OUT = Path("target/floe")
EXIT_CLEAN, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = commands.add_parser(
        "compile",
        help="lint a product, then write compiled_artifacts.json and profiles.yml",
        description="Lint the product and its platform hierarchy; when there is no error, "
        "write compiled_artifacts.json and a dbt profiles.yml with one output per approved "
        "compute. --check only compares (for pre-commit and CI).",
    )
    build.add_argument(
        "product",
        nargs="?",
        type=Path,
        default=Path("floe.yaml"),
        help="floe.yaml, or a folder holding it (default: ./floe.yaml)",
    )
    build.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT}/)"
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming each file that is missing or stale",
    )
    _add_common(build)

    commands.add_parser("plugins", help="list compute plugins, their versions and dbt packages")

    connections = commands.add_parser(
        "check-connections", help="try to connect to each approved compute and print a table"
    )
    connections.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=Path("floe.yaml"),
        help="a floe.yaml (its platform is used) or a manifest (default: ./floe.yaml)",
    )
    _add_common(connections)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ref",
        action="append",
        default=[],
        metavar="REF=PATH",
        help="resolve REF (e.g. oci://host/repo:tag) to a local manifest file; repeatable",
    )
    parser.add_argument("--config", type=Path, help="config file (default: the nearest)")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if args.command == "compile":
        return _compile(args, stdout, stderr)
    if args.command == "plugins":
        return _plugins(stdout, stderr)
    return _check_connections(args, stdout, stderr)


def _product_file(path: Path) -> Path:
    if path.is_dir():
        for name in ("floe.yaml", "floe.yml"):
            if (path / name).is_file():
                return path / name
        raise UsageError(f"no floe.yaml in {path}")
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    return path


def _fetcher(config: Config, paths: Sequence[Path]) -> OciFetcher | None:
    """The same oci:// fetcher as `check`, where the OCI support is installed."""
    try:
        from floe_lint.commands import lock as oci_commands
    except ImportError:  # pragma: no cover - OCI support is part of the package
        return None
    fetch: OciFetcher = oci_commands.fetcher(config, paths)
    return fetch


def _hierarchy(config: Config, refs: dict[str, Path], fetch: OciFetcher | None) -> Hierarchy:
    from floe_lint.load.workspace import Workspace
    from floe_lint.model.hierarchy import Hierarchy
    from floe_lint.model.refs import Resolver

    return Hierarchy(Workspace(), Resolver({**config.refs, **refs}, fetch))


def _first(hierarchy: Hierarchy, path: Path, kinds: tuple[str, ...]) -> Document:
    source = hierarchy.workspace.reach(path)
    for doc in source.documents:
        if doc.kind in kinds:
            return doc
    if source.problems:
        problem = source.problems[0]
        raise UsageError(f"{path}:{problem.span.start_line}: {problem.message}")
    raise UsageError(f"{path} is not a {' or '.join(kinds)} document")


def _compile(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.compute import artifacts
    from floe_lint.compute.compiler import CompileError, compile_product
    from floe_lint.config import load_config
    from floe_lint.lint import engine
    from floe_lint.reporters import display_path, sorted_findings

    product = _product_file(args.product)
    config = load_config(args.config, Path.cwd())
    refs = parse_ref_overrides(args.ref)
    fetch = _fetcher(config, [product])
    result = engine.run([product], config, refs=refs, fetch=fetch)
    errors = [f for f in sorted_findings(result.findings) if f.severity == "error"]
    if errors:
        from floe_lint.reporters import text

        text.write(
            errors,
            stdout,
            show_source=False,
            colour=False,
            read_lines=lines_reader(result.files),
        )
        stderr.write(
            f"floe-lint: compile refused: {len(errors)} error{'s' if len(errors) != 1 else ''}"
            f" in {display_path(product)} or its platform; nothing written\n"
        )
        return EXIT_FAILED

    hierarchy = _hierarchy(config, refs, fetch)
    doc = _first(hierarchy, product, ("floe",))
    try:
        compiled = compile_product(doc, hierarchy.platform(doc))
    except CompileError as error:
        stderr.write(f"floe-lint: compile failed: {error}\n")
        return EXIT_FAILED

    out: Path = args.out
    if args.check:
        problems = [
            (name, why)
            for name, text_ in compiled.files.items()
            if (why := artifacts.stale(out / name, text_)) is not None
        ]
        for name, why in problems:
            stderr.write(
                f"floe-lint: {display_path(out / name)} is {why}; "
                f"run 'floe-lint compile {display_path(product)}' and commit the result\n"
            )
        if not problems:
            stdout.write(f"floe-lint: {display_path(out)} is up to date\n")
        return EXIT_FAILED if problems else EXIT_CLEAN
    for name, text_ in compiled.files.items():
        try:
            changed = artifacts.write_atomic(out / name, text_)
        except OSError as error:
            raise UsageError(f"cannot write {out / name}: {error.strerror or error}") from error
        stdout.write(f"{'wrote' if changed else 'unchanged'} {display_path(out / name)}\n")
    return EXIT_CLEAN


def _plugins(stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.compute.plugin import registry

    found = registry()
    rows = [
        (
            name,
            plugin.version,
            "yes" if plugin.is_self_hosted else "no",
            found.sources[name],
            ", ".join(plugin.get_required_dbt_packages()),
        )
        for name, plugin in sorted(found.plugins.items())
    ]
    _table(("NAME", "VERSION", "SELF-HOSTED", "SOURCE", "DBT PACKAGES"), rows, stdout)
    for error in found.errors:
        stderr.write(f"floe-lint: plugin error: {error}\n")
    return EXIT_FAILED if found.errors else EXIT_CLEAN


def _check_connections(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.compute.plugin import ComputeConfig, registry
    from floe_lint.config import load_config

    path = _product_file(args.path) if args.path.is_dir() else args.path
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    config = load_config(args.config, Path.cwd())
    hierarchy = _hierarchy(config, parse_ref_overrides(args.ref), _fetcher(config, [path]))
    doc = _first(hierarchy, path, ("floe", "manifest"))
    level = hierarchy.platform(doc) if doc.kind == "floe" else hierarchy.level(doc)
    if level is None or hierarchy.problems:
        reason = hierarchy.problems[0].message if hierarchy.problems else "no platform"
        stderr.write(f"floe-lint: error: cannot resolve the platform of {path}: {reason}\n")
        return EXIT_FAILED
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
    _table(("NAME", "OK", "LATENCY", "MESSAGE"), rows, stdout)
    return EXIT_FAILED if failed else EXIT_CLEAN


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        out.write("  ".join([*cells, row[-1]]).rstrip() + "\n")
