"""The `floe-lint` console script: `--version` answers before anything else is imported.

Everything else goes to `floe_lint.cli.main` (argparse, pathlib and the command's modules).
"""

import sys


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        from floe_lint import __version__

        sys.stdout.write(f"floe-lint {__version__}\n")
        return 0
    from floe_lint.cli import main as run

    return run()
