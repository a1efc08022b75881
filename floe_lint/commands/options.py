"""The argparse pieces of the command line: the parser class and the options that several
commands share (imported only when a parser is built, see `floe_lint.cli`)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from floe_lint.commands.usage import HOOK_HELP, ArgumentsError

TYPE_CHECKING = False
if TYPE_CHECKING:  # (`typing` is not imported at run time: issue 17's start-up)
    from typing import Any, NoReturn


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line with a "did you mean" instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise ArgumentsError(f"{message}; see '{self.prog} --help'")

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        from floe_lint.suggest import did_you_mean

        names = [str(choice) for choice in choices]
        hint = did_you_mean(str(value), names)
        if isinstance(action, argparse._SubParsersAction):
            raise ArgumentsError(f"unknown command '{value}'{hint}; see '{self.prog} --help'")
        what = "/".join(action.option_strings) or action.metavar or action.dest
        raise ArgumentsError(
            f"unknown value '{value}' for '{self.prog} {what}'{hint} "
            f"(choose from {', '.join(names)})"
        )


def unknown_arguments(
    parser: argparse.ArgumentParser, command: str | None, extra: Sequence[str]
) -> str:
    """The message for arguments that no option takes: the first one, with a "did you mean"
    among the options of the command it was given to (compared without their dashes, so that
    `--fix` is not taken for `--config`)."""
    from floe_lint.suggest import closest

    target = parser
    for action in parser._actions:  # the command's own parser knows its options
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            target = action.choices[command]
    word = extra[0]
    where = f"floe-lint {command}" if command else "floe-lint"
    if not word.startswith("-"):
        return f"unexpected argument '{word}' for '{where}'; see '{where} --help'"
    name = word.partition("=")[0]
    actions = [*parser._actions, *(target._actions if target is not parser else [])]
    options = {o.lstrip("-"): o for a in actions for o in a.option_strings if o.startswith("--")}
    match = closest(name.lstrip("-"), options)
    hint = f"; did you mean '{options[match]}'?" if match else ""
    return f"unknown option '{name}' for '{where}'{hint}; see '{where} --help'"


def trusted_root_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--trusted-root",
        action="append",
        default=[],
        metavar="REF",
        help="a sanctioned enterprise manifest (a path, or an oci:// ref pinned by digest); "
        "every manifest chain must end at one; repeatable; replaces the config's trusted-roots",
    )


def config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        help="config file (default: the nearest .floe-lint.yaml or pyproject.toml with "
        "[tool.floe-lint]); precedence: command line > --config > the discovered file",
    )
    parser.add_argument(
        "--isolated",
        action="store_true",
        help="ignore every discovered config file (use only --config and the command line)",
    )


def cache_options(parser: argparse.ArgumentParser, for_check: bool = False) -> None:
    """`check --no-cache`, or the arguments of `floe-lint cache` (see floe_lint.lint.cache)."""
    if for_check:
        parser.add_argument(
            "--no-cache",
            action="store_true",
            help="check every file, neither replaying nor storing results (see 'floe-lint cache')",
        )
        return
    parser.add_argument(
        "action",
        nargs="?",
        default="dir",
        choices=("dir", "clean"),
        help="dir (the default): print the cache folder; clean: remove every stored result",
    )


def check_options(parser: argparse.ArgumentParser) -> None:
    """`check`'s options of central control: `--config`/`--isolated`, `--trusted-root` and
    `--hook`."""
    config_options(parser)
    trusted_root_option(parser)
    parser.add_argument("--hook", action="store_true", help=HOOK_HELP)


def jobs_count(text: str) -> int:
    """`--jobs N`: a positive number (the run then starts no more processes than it has files,
    nor more than `bulk.MAX_JOBS`)."""
    digits = text.lstrip("0")
    if not text.isascii() or not text.isdigit() or not digits:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got '{text}'")
    return int(digits) if len(digits) <= 19 else 10**19  # capped to the files anyway
