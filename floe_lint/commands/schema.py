"""`floe-lint schema NAME`: print a bundled JSON Schema, for editors and other tools."""

from __future__ import annotations

import argparse
from importlib import resources
from typing import TextIO

from floe_lint.commands.usage import EXIT_CLEAN


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    schemas = resources.files("floe_lint.schemas")
    stdout.write(schemas.joinpath(f"{args.name}.json").read_text("utf-8"))
    return EXIT_CLEAN
