"""Run one command module with its arguments, and turn what it raises into exit codes.

Shared by both ways a command line is read (`floe_lint.cli`: argparse; and
`floe_lint.commands.quick`: a plain `check` line), so that their errors are the same.
"""

from __future__ import annotations

import sys

from floe_lint.commands.usage import EXIT_USAGE, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace
    from typing import TextIO

EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a tool ended by SIGPIPE


def run(
    command: str, args: argparse.Namespace | SimpleNamespace, stdout: TextIO, stderr: TextIO
) -> int:
    """Run `floe_lint.commands.<command>` (`run(args, stdout, stderr) -> int`).

    Only `check` and `impact` keep the garbage collector off if the console script turned it
    off for the start-up (`floe_lint.launch`): both pause it for their whole run, and hold
    every file until they exit; the language server, for one, runs for hours."""
    if command not in ("check", "impact"):
        import gc

        gc.enable()
    try:
        import importlib  # here, not at the top: `--version` and `--help` never need it

        module = importlib.import_module(f"floe_lint.commands.{command}")
        status: int = module.run(args, stdout, stderr)
        return status
    except UsageError as error:
        from floe_lint.reporters import printable

        stderr.write(f"floe-lint: error: {printable(str(error))}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        stderr.write("floe-lint: interrupted\n")
        return EXIT_USAGE
    except BrokenPipeError:
        return _reader_went_away(stdout)
    except Exception as error:
        from floe_lint.errors import ConfigError
        from floe_lint.reporters import printable

        if isinstance(error, ConfigError):  # every problem of a config file, one line each
            for message in getattr(error, "messages", None) or [str(error)]:
                stderr.write(f"floe-lint: error: {printable(message)}\n")
            return EXIT_USAGE
        if isinstance(error, OSError) and error.filename is not None and not args.debug:
            # A path the system refuses (too long, a loop, no permission): the user's to fix.
            stderr.write(f"floe-lint: error: {error.filename}: {error.strerror or error}\n")
            return EXIT_USAGE
        if args.debug:
            import traceback

            traceback.print_exc(file=stderr)
            return EXIT_USAGE
        stderr.write(
            f"floe-lint: internal error: {type(error).__name__}: {printable(str(error))} "
            "(rerun with --debug)\n"
        )
        return EXIT_USAGE


def _reader_went_away(stdout: TextIO) -> int:
    """`floe-lint rules | head`: the reader closed the pipe, which is not an error of ours.

    Exit like a Unix tool killed by SIGPIPE, and point fd 1 at /dev/null so that the
    interpreter's final flush cannot raise again.
    """
    if stdout is sys.stdout:
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return EXIT_BROKEN_PIPE
