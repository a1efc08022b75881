"""`floe-lint server`: the language server over stdio (pygls and lsprotocol, the `lsp` extra).

They are imported here, when the server runs, so no other command pays for them.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from floe_lint.commands.usage import EXIT_CLEAN, UsageError


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    try:
        from floe_lint.server import app
    except ImportError as error:
        raise UsageError(
            f"floe-lint server needs pygls and lsprotocol "
            f"({(error.name or 'one').split('.')[0]} is missing): "
            "pip install 'floe-lint[lsp]'"
        ) from error
    app.start(args.config)
    return EXIT_CLEAN
