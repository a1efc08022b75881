"""`floe-lint cache dir|clean`: where the result cache is, and emptying it."""

from __future__ import annotations

import argparse
from typing import TextIO

from floe_lint.commands.usage import EXIT_CLEAN


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.lint import cache
    from floe_lint.reporters import printable

    folder = cache.directory()
    if args.action == "dir":
        stdout.write(printable(str(folder)) + "\n")
        return EXIT_CLEAN
    removed = cache.clean(folder)
    stderr.write(
        f"floe-lint: removed {removed} stored result{'s' if removed != 1 else ''} from "
        f"{printable(str(folder))}\n"
    )
    return EXIT_CLEAN
