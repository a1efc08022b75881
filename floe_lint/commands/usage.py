"""Command-line input errors and the small argument parsers that every command shares.

No argparse here: `check` runs without it when its command line is a plain one (see
`floe_lint.commands.quick`); the parser's own pieces are in `floe_lint.commands.options`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from floe_lint.config import Config

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
#: `check`'s paths when none are given (compared by identity: `check --hook` alone is no `.`)
DEFAULT_PATHS: list[Path] = [Path(".")]
HOOK_HELP = (
    "as the pre-commit hook runs it: files that are not Floe's are skipped, and the files that "
    "named a manifest the staged changes delete or rename are checked too"
)


class UsageError(Exception):
    """Bad input to the command line itself; reported in one line with exit code 2."""


def split_list(values: Sequence[str]) -> list[str]:
    """Repeatable, comma-separated options (`--select FL201,FL202 --select FL3`) as one list."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def parse_ref_overrides(values: Sequence[str]) -> dict[str, Path]:
    """`--ref REF=PATH` options as a mapping; paths stay relative to the working directory."""
    refs: dict[str, Path] = {}
    for value in values:
        ref, sep, path = value.partition("=")
        if not sep or not ref or not path:
            raise UsageError(f"--ref expects REF=PATH, got '{value}'")
        refs[ref.strip()] = Path(path.strip())
    return refs


def with_manifest(config: Config, manifest: str | None) -> Config:
    """The config with `--manifest` (a path relative to the working directory, or a ref) as
    the platform of products that name none; it overrides the config's `manifest`."""
    if manifest is None:
        return config
    if "://" not in manifest and not Path(manifest).exists():
        raise UsageError(f"--manifest {manifest}: no such file or directory")
    absolute = manifest if "://" in manifest else str(Path(manifest).resolve())
    return config.replace(manifest=absolute)


def with_trusted_roots(config: Config, roots: Sequence[str] | None) -> Config:
    """The config with `--trusted-root` values (paths relative to the working directory, or
    oci:// refs), which replace the config's `trusted-roots` when any is given."""
    if not roots:
        return config
    absolute = [r if "://" in r else str(Path(r).absolute()) for r in roots]
    return config.replace(trusted_roots=absolute)


class ArgumentsError(Exception):
    """The command line does not parse: one line for stderr, exit 2, no usage dump."""


def command_of(argv: Sequence[str]) -> str | None:
    """The subcommand word of a command line: the first that is not an option (the top-level
    options, --debug, --version and --help, take no value)."""
    return next((word for word in argv if not word.startswith("-")), None)
