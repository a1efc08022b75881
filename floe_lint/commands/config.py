"""`floe-lint config`: the effective configuration, as YAML ready to paste."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from floe_lint.commands.usage import EXIT_CLEAN


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.config import load_config, render

    stdout.write(render(load_config(args.config, Path.cwd(), isolated=args.isolated)))
    return EXIT_CLEAN
