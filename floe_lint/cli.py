"""Command line: arguments -> one call into the engine -> exit code.

Exit 0: no error-level findings. 1: at least one. 2: usage, config or internal error.
Heavy modules are imported inside the commands that need them, so `--version` stays instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from floe_lint import __version__
from floe_lint.commands import lock as oci_commands
from floe_lint.commands.usage import UsageError, parse_ref_overrides, split_list

if TYPE_CHECKING:
    from floe_lint.lint.engine import Rule

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="floe-lint",
        description="Policy linter for Floe manifests and data products (ADR-0010).",
    )
    parser.add_argument("--version", action="version", version=f"floe-lint {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="lint manifests and floe.yaml files")
    check.add_argument("paths", nargs="*", type=Path, default=[Path(".")], help="files or folders")
    check.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github", "auto"),
        help="report format (default: the config's, else text); auto: github inside "
        "GitHub Actions, text elsewhere",
    )
    check.add_argument(
        "--output", "-o", type=Path, help="write the report to FILE instead of stdout"
    )
    check.add_argument(
        "--ref",
        action="append",
        default=[],
        metavar="REF=PATH",
        help="resolve REF (e.g. oci://host/repo:tag) to a local manifest file; repeatable",
    )
    check.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULES",
        help="only these rules (ids, names, comma-separated); repeatable",
    )
    check.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULES",
        help="skip these rules (ids, names, comma-separated); repeatable",
    )
    check.add_argument(
        "--config",
        type=Path,
        help="config file (default: nearest .floe-lint.yaml "
        "or pyproject.toml with [tool.floe-lint])",
    )
    check.add_argument(
        "--show-source",
        action="store_true",
        default=None,
        help="print the offending source line (default on a terminal)",
    )
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        metavar="N",
        help="parse files in N processes (default: all cores for 200+ files, else 1); "
        "the output is the same",
    )
    _add_ci_arguments(check)
    oci_commands.add_check_arguments(check)
    # default=SUPPRESS: a `--debug` before the subcommand is not reset to False by this one
    check.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )

    rules = commands.add_parser("rules", help="list every rule (with the config's rule-folders)")
    rules.add_argument("--config", type=Path, help="config file (default: the nearest)")
    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("rule", help="rule id or name, e.g. FL201 or compute-not-approved")
    rule.add_argument("--config", type=Path, help="config file (default: the nearest)")
    schema = commands.add_parser("schema", help="print a bundled JSON Schema (for editors)")
    schema.add_argument("name", choices=("manifest", "floe", "report", "compiled_artifacts"))
    from floe_lint.commands import compile as commands_compute

    commands_compute.add_parsers(commands)
    oci_commands.add_parsers(commands)
    config = commands.add_parser("config", help="print the effective configuration")
    config.add_argument("--config", type=Path, help="config file (default: the nearest)")
    return parser


def _add_ci_arguments(check: argparse.ArgumentParser) -> None:
    ci = check.add_argument_group("CI and pre-commit")
    ci.add_argument("--sarif-category", metavar="ID", help="SARIF automationDetails.id")
    ci.add_argument(
        "--sarif-file", type=Path, metavar="FILE", help="also write a SARIF report to FILE"
    )
    ci.add_argument(
        "--include-suppressed",
        action="store_true",
        help="list suppressed and baselined findings in SARIF, marked as suppressed",
    )
    ci.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    ci.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        help="lowest severity that fails the run (default: the config's, else error)",
    )
    ci.add_argument("--baseline", type=Path, metavar="FILE", help="ignore findings in FILE")
    ci.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record every current finding in FILE and exit 0",
    )
    ci.add_argument(
        "--require-suppression-reason",
        action="store_true",
        help="a '# floe-lint: disable=' comment without '-- reason' silences nothing",
    )


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got '{text}'")
    return int(text)


def _check_rule_keys(keys: Sequence[str]) -> None:
    from floe_lint.lint.engine import builtin_rules
    from floe_lint.suggest import did_you_mean

    rules = builtin_rules()
    names = [r.name for r in rules] + [r.id for r in rules]
    for key in keys:
        bare = key.rstrip("*").upper()
        if key.upper() == "ALL" or any(
            r.id.startswith(bare) or r.name.upper().startswith(bare) for r in rules
        ):
            continue
        raise UsageError(f"unknown rule '{key}'{did_you_mean(key, names)}; see 'floe-lint rules'")


def _cmd_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands import check as ci
    from floe_lint.config import load_config
    from floe_lint.lint import engine
    from floe_lint.reporters import sorted_findings

    for path in args.paths:
        if not path.exists():
            raise UsageError(f"no such file or directory: {path}")
    select, ignore = split_list(args.select), split_list(args.ignore)
    config = load_config(args.config, Path.cwd())
    if not config.rule_folders:  # rules of rule folders are known only once loaded
        _check_rule_keys([*select, *ignore])
    run = ci.CheckRun(args, config)
    result = engine.run(
        args.paths,
        config,
        select=select,
        ignore=ignore,
        refs=parse_ref_overrides(args.ref),
        fetch=oci_commands.fetcher(config, args.paths, offline=args.offline),
        baseline=run.baseline,
        require_suppression_reason=args.require_suppression_reason,
        jobs=args.jobs,
    )
    if args.write_baseline is not None:
        return run.write_baseline(result, stderr)
    findings = sorted_findings(result.findings)
    args.format = run.format

    out: TextIO = stdout
    handle = None
    if args.output is not None:
        try:
            handle = args.output.open("w", encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from error
        out = handle
    try:
        if args.format == "json":
            from floe_lint.reporters import json_report

            json_report.write(findings, len(result.files), out)
        elif args.format in ("sarif", "github"):
            run.report(result, findings, out)
        else:
            from floe_lint.load.paths import lines_reader
            from floe_lint.reporters import text

            is_tty = handle is None and stdout.isatty()
            colour = args.color == "always" or (
                args.color == "auto" and is_tty and "NO_COLOR" not in os.environ
            )
            text.write(
                findings,
                out,
                show_source=args.show_source if args.show_source is not None else is_tty,
                colour=colour,
                read_lines=lines_reader(result.files),
            )
    finally:
        if handle is not None:
            handle.close()
    run.write_sarif_file(result, findings)
    errors = sum(1 for f in findings if f.severity == "error")
    stderr.write(_summary(findings, errors, len(result.files)) + "\n")
    run.warn_stale(result, stderr)
    return EXIT_FINDINGS if run.fails(findings) else EXIT_CLEAN


def _summary(findings: Sequence[object], errors: int, files: int) -> str:
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if not findings:
        return f"floe-lint: no problems ({checked})"
    others = len(findings) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if others:
        parts.append(f"{others} warning{'s' if others != 1 else ''}")
    return f"floe-lint: {', '.join(parts)} ({checked})"


def _all_rules(config_file: Path | None) -> tuple[Rule, ...]:
    """Built-in rules and those of the config's rule-folders, as `check` would run them."""
    from floe_lint.config import load_config
    from floe_lint.lint.engine import builtin_rules, folder_rules

    config = load_config(config_file, Path.cwd())
    extra = folder_rules(config.rule_folders) if config.rule_folders else ()
    return tuple(sorted((*builtin_rules(), *extra), key=lambda r: r.id))


def _cmd_rules(config_file: Path | None, stdout: TextIO) -> int:
    rules = _all_rules(config_file)
    width = max(len(r.name) for r in rules)
    stdout.write(f"{'ID':<6} {'NAME':<{width}} {'SEVERITY':<8} SUMMARY\n")
    for r in rules:
        stdout.write(f"{r.id:<6} {r.name:<{width}} {r.severity:<8} {r.summary}\n")
    return EXIT_CLEAN


def _cmd_rule(key: str, config_file: Path | None, stdout: TextIO) -> int:
    import inspect

    from floe_lint.lint.engine import find_rule
    from floe_lint.suggest import did_you_mean

    rules = _all_rules(config_file)
    rule = find_rule(key, rules)
    if rule is None:
        names = [r.name for r in rules] + [r.id for r in rules]
        raise UsageError(f"unknown rule '{key}'{did_you_mean(key, names)}; see 'floe-lint rules'")
    stdout.write(f"{rule.id} {rule.name} (default severity: {rule.severity})\n\n")
    stdout.write(inspect.cleandoc(rule.doc) + "\n")
    return EXIT_CLEAN


def _cmd_schema(name: str, stdout: TextIO) -> int:
    from importlib import resources

    stdout.write(resources.files("floe_lint.schemas").joinpath(f"{name}.json").read_text("utf-8"))
    return EXIT_CLEAN


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        stdout.write(f"floe-lint {__version__}\n")  # without building every parser first
        return EXIT_CLEAN
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return _cmd_check(args, stdout, stderr)
        if args.command == "rules":
            return _cmd_rules(args.config, stdout)
        if args.command == "rule":
            return _cmd_rule(args.rule, args.config, stdout)
        if args.command in ("lock", "publish"):
            return oci_commands.run(args, stdout, stderr)
        if args.command in ("compile", "plugins", "check-connections"):
            from floe_lint.commands import compile as commands_compute

            return commands_compute.run(args, stdout, stderr)
        if args.command == "schema":
            return _cmd_schema(args.name, stdout)
        if args.command == "config":
            from floe_lint.config import load_config, render

            stdout.write(render(load_config(args.config, Path.cwd())))
            return EXIT_CLEAN
        parser.print_help(stderr)
        return EXIT_USAGE
    except UsageError as error:
        stderr.write(f"floe-lint: error: {error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        stderr.write("floe-lint: interrupted\n")
        return EXIT_USAGE
    except Exception as error:
        from floe_lint.config import ConfigError

        if isinstance(error, ConfigError):
            stderr.write(f"floe-lint: error: {error}\n")
            return EXIT_USAGE
        if isinstance(error, OSError) and error.filename is not None and not args.debug:
            # A path the system refuses (too long, a loop, no permission): the user's to fix.
            stderr.write(f"floe-lint: error: {error.filename}: {error.strerror or error}\n")
            return EXIT_USAGE
        if args.debug:
            raise
        stderr.write(
            f"floe-lint: internal error: {type(error).__name__}: {error} (rerun with --debug)\n"
        )
        return EXIT_USAGE
