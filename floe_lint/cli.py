"""Command line: build the parser, then hand the arguments to one command module.

Exit 0: no error-level findings. 1: at least one. 2: usage, config or internal error.
A command's module (floe_lint/commands/) is imported only when that command runs, so
`--version` and `--help` stay instant and `check` never loads `compile`'s pydantic.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from floe_lint import __version__
from floe_lint.commands.usage import (
    DEFAULT_PATHS,
    EXIT_CLEAN,
    EXIT_USAGE,
    ArgumentsError,
    command_of,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import TextIO

DEFAULT_OUT = Path("target/floe")


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `command`, only that subcommand's sub-parser is built (the others
    cost start-up for nothing). Without one, every subcommand is listed by name and help only,
    for `--help` and for the "did you mean" of an unknown command."""
    from floe_lint.commands.options import Parser

    parser = Parser(
        prog="floe-lint",
        description="Policy linter for Floe manifests and data products (ADR-0010).",
    )
    parser.add_argument("--version", action="version", version=f"floe-lint {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text, build) in COMMANDS.items():
        if command is None or name == command:
            sub = commands.add_parser(name, help=help_text)
            if name == command:
                build(sub)
    return parser


def _add_rules(rules: argparse.ArgumentParser) -> None:
    from floe_lint.commands.options import config_options

    config_options(rules)


def _add_rule(rule: argparse.ArgumentParser) -> None:
    from floe_lint.commands.options import config_options

    rule.add_argument("rule", help="rule id or name, e.g. FL201 or compute-not-approved")
    config_options(rule)


def _add_schema(schema: argparse.ArgumentParser) -> None:
    schema.add_argument(
        "name",
        choices=(
            "manifest",
            "floe",
            "manifest-floe",
            "floe-floe",
            "config",
            "report",
            "compiled_artifacts",
            "impact",
            "explain",
        ),
        help="manifest/floe: ADR-0010's dialect; manifest-floe/floe-floe: upstream Floe's "
        "code; config: .floe-lint.yaml",
    )


def _add_config(config: argparse.ArgumentParser) -> None:
    from floe_lint.commands.options import config_options

    config_options(config)


def _add_check(check: argparse.ArgumentParser) -> None:
    import argparse

    from floe_lint.commands.options import check_options, jobs_count

    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=DEFAULT_PATHS,
        help="files or folders; - for standard input (with --stdin-filename)",
    )
    check.add_argument(
        "--stdin-filename",
        type=Path,
        metavar="PATH",
        help="with 'check -': lint standard input as if it were the file PATH (which need not "
        "exist): findings name PATH, its refs and dependents are resolved from there",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github", "gitlab", "junit", "auto", "concise", "full"),
        help="report format (default: the config's, else text); gitlab: GitLab Code Quality "
        "JSON; junit: JUnit XML; auto: github inside GitHub Actions, text elsewhere; "
        "concise: text, one line per finding; full: text with source excerpts on any stream",
    )
    check.add_argument(
        "--statistics",
        action="store_true",
        help="also print how many findings each rule has (on stderr for machine formats)",
    )
    check.add_argument(
        "--output", "-o", type=Path, help="write the report to FILE instead of stdout"
    )
    _add_ref(check)
    check.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULES",
        help="only these rules: ids (FL201), id prefixes (FL2), names or name prefixes "
        "(compute, schema-*), ALL; any case, comma-separated; repeatable",
    )
    check.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULES",
        help="skip these rules (selectors as for --select); repeatable",
    )
    check_options(check)
    check.add_argument(
        "--show-source",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="print the offending source line, on any stream (default: --format full, or "
        "text on a terminal)",
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="auto (default): colour on a terminal unless NO_COLOR is set; always and never "
        "override NO_COLOR",
    )
    check.add_argument(
        "--jobs",
        "-j",
        type=jobs_count,
        metavar="N",
        help="use N processes for 200+ files (default: all cores; a streamed check parses in "
        "N - 1 while it checks); the output is the same",
    )
    _add_dependents(check)
    _add_fix_arguments(check)
    _add_ci_arguments(check)
    check.add_argument(
        "--offline",
        action="store_true",
        help="resolve oci:// refs only from the cache and floe.lock (also FLOE_LINT_OFFLINE=1)",
    )
    # also after the command; SUPPRESS keeps `floe-lint --debug check` from being reset
    check.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )


def _add_fix_arguments(check: argparse.ArgumentParser) -> None:
    fixes = check.add_argument_group("fixes")
    for flag, text in (
        ("--fix", "apply safe fixes in place (minimal edits), then report what remains"),
        ("--unsafe-fixes", "also apply fixes that may change behaviour (with --fix or --diff)"),
        ("--diff", "print what --fix would change as a unified diff; write nothing"),
    ):
        fixes.add_argument(flag, action="store_true", help=text)


def _add_ci_arguments(check: argparse.ArgumentParser) -> None:
    ci = check.add_argument_group("CI and pre-commit")
    ci.add_argument(
        "--sarif-category",
        metavar="NAME",
        help="code scanning category, one per lint job (SARIF automationDetails.id NAME/)",
    )
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
        "--fail-on-empty",
        action="store_true",
        help="exit 1 when a folder given holds no manifest or floe.yaml, or nothing was checked",
    )
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


def _add_workspace(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="DIR",
        help="where dependents are searched for (default: the git root, else the config "
        "file's folder, else the working directory; for paths given outside it, the nearest "
        "folder above them holding .git, else a floe-lint config)",
    )


def _add_dependents(check: argparse.ArgumentParser) -> None:
    from floe_lint.commands.options import cache_options

    cache_options(check, for_check=True)
    check.add_argument(
        "--no-dependents",
        action="store_true",
        help="do not also lint the domains and products whose hierarchy passes through a "
        "given manifest",
    )
    _add_workspace(check)


def _add_impact(impact: argparse.ArgumentParser) -> None:
    impact.description = (
        "Lint the manifest and its dependents as they are and with the manifest "
        "as it was; report what appears and disappears. Exit 1 if the change introduces errors."
    )
    impact.add_argument("manifest", type=Path, help="the changed manifest.yaml")
    impact.add_argument(
        "--against",
        metavar="REV|FILE",
        help="the version to compare with: a file, else a git revision read with `git show` "
        "(default: HEAD)",
    )
    impact.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="default: text"
    )
    impact.add_argument("--output", "-o", type=Path, help="write the report to FILE")
    _add_ref_and_config(impact)
    _add_workspace(impact)
    impact.add_argument(
        "--offline", action="store_true", help="oci:// refs only from the cache and floe.lock"
    )


def _add_explain(explain: argparse.ArgumentParser) -> None:
    explain.description = (
        "What each level approves, removes and defaults to, and the compute each "
        "transform resolves to, with file:line. oci:// refs are read from the cache only."
    )
    explain.add_argument("path", type=Path, help="a floe.yaml or manifest.yaml")
    from floe_lint.commands.options import trusted_root_option

    explain.add_argument("--format", choices=("text", "json"), default="text")
    _add_ref_and_config(explain)
    trusted_root_option(explain)


def _add_compile(build: argparse.ArgumentParser) -> None:
    build.description = (
        "Lint the product and its platform hierarchy; when there is no error, "
        "write compiled_artifacts.json and a dbt profiles.yml with one output per approved "
        "compute. --check only compares (for pre-commit and CI)."
    )
    build.add_argument(
        "product",
        nargs="?",
        type=Path,
        default=None,
        help="floe.yaml, or a folder holding it (default: ./floe.yaml; with --check and no "
        "./floe.yaml, every committed compiled_artifacts.json and the floe.yaml above it)",
    )
    build.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT}/)"
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming each file that is missing or stale",
    )
    _add_ref_and_config(build)


def _add_plugins(plugins: argparse.ArgumentParser) -> None:
    plugins.add_argument(
        "--schema",
        metavar="NAME",
        help="print the JSON Schema of compute NAME's config (for editors) instead",
    )


def _add_connections(connections: argparse.ArgumentParser) -> None:
    connections.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=Path("floe.yaml"),
        help="a floe.yaml (its platform is used) or a manifest (default: ./floe.yaml)",
    )
    _add_ref_and_config(connections)


def _add_manifest(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--manifest",
        metavar="PATH_OR_REF",
        help="the platform manifest of products that name none (no platform.manifest or "
        "platform.ref): a file, a folder holding manifest.yaml, or an oci:// ref",
    )


def _add_ref_and_config(parser: argparse.ArgumentParser) -> None:
    from floe_lint.commands.options import config_options

    _add_ref(parser)
    config_options(parser)


def _add_ref(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ref",
        action="append",
        default=[],
        metavar="REF=PATH",
        help="resolve REF (e.g. oci://host/repo:tag) to a local manifest file; repeatable",
    )
    _add_manifest(parser)


def _add_lock(lock: argparse.ArgumentParser) -> None:
    from floe_lint.commands.options import config_options

    lock.add_argument("paths", nargs="*", type=Path, default=[Path(".")], help="files or folders")
    config_options(lock)
    lock.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a floe.lock is out of date"
    )


def _add_publish(publish: argparse.ArgumentParser) -> None:
    from floe_lint.commands.options import config_options

    publish.add_argument("manifest", type=Path, help="the manifest.yaml to publish")
    publish.add_argument("ref", help="where to push it: oci://host/repository:tag")
    config_options(publish)
    publish.add_argument(
        "--annotation",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an extra manifest annotation; repeatable",
    )
    publish.add_argument(
        "--force",
        action="store_true",
        help="publish even when the manifest breaks dependents in the workspace",
    )
    _add_workspace(publish)


def _add_cache(cache: argparse.ArgumentParser) -> None:
    from floe_lint.commands.options import cache_options

    cache_options(cache)


# subcommand -> (module of floe_lint.commands that runs it: `run(args, stdout, stderr) -> int`,
# its one-line help, the function that adds its arguments); in the order `--help` lists them
COMMANDS: dict[str, tuple[str, str, Callable[[argparse.ArgumentParser], None]]] = {
    "check": ("check", "lint manifests and floe.yaml files", _add_check),
    "rules": ("rules", "list every rule (built-in, installed, rule-folders)", _add_rules),
    "rule": ("rule", "show a rule's documentation", _add_rule),
    "schema": ("schema", "print a bundled JSON Schema (for editors)", _add_schema),
    "compile": (
        "compile",
        "lint a product, then write compiled_artifacts.json and profiles.yml",
        _add_compile,
    ),
    "plugins": ("plugins", "list compute plugins, their versions and dbt packages", _add_plugins),
    "check-connections": (
        "connections",
        "try to connect to each approved compute and print a table",
        _add_connections,
    ),
    "lock": (
        "lock",
        "record the digest of every oci:// ref of each product in its floe.lock",
        _add_lock,
    ),
    "publish": (
        "publish",
        "lint a manifest and push it to a registry as a Floe OCI artifact",
        _add_publish,
    ),
    "impact": (
        "impact",
        "what a manifest change does to the domains and products below it",
        _add_impact,
    ),
    "explain": (
        "explain",
        "the effective policy of a product or manifest, level by level",
        _add_explain,
    ),
    "config": ("config", "print the effective configuration", _add_config),
    "server": ("server", "a language server for editors, over stdio", _add_config),
    "cache": ("cache", "the result cache: where it is, or clean it", _add_cache),
}


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    words = list(sys.argv[1:] if argv is None else argv)
    if words == ["--version"]:
        stdout.write(f"floe-lint {__version__}\n")  # without building any parser first
        return EXIT_CLEAN
    if words[:1] in (["check"], ["impact"]):  # a plain line is read without argparse
        from floe_lint.commands.quick import run_plain

        status = run_plain(words, stdout, stderr)
        if status is not None:
            return status
    command = command_of(words)
    parser = _parser(command if command in COMMANDS else None)
    try:
        args, unknown = parser.parse_known_args(words)
    except ArgumentsError as error:
        from floe_lint.reporters import printable

        stderr.write(f"floe-lint: error: {printable(str(error))}\n")
        return EXIT_USAGE
    if unknown:
        from floe_lint.commands.options import unknown_arguments
        from floe_lint.reporters import printable

        stderr.write(
            f"floe-lint: error: {printable(unknown_arguments(parser, args.command, unknown))}\n"
        )
        return EXIT_USAGE
    if args.command not in COMMANDS:
        parser.print_help(stderr)
        return EXIT_USAGE
    from floe_lint.commands.dispatch import run

    return run(COMMANDS[args.command][0], args, stdout, stderr)
