"""`check --fix`, `--unsafe-fixes` and `--diff`: which fixes a run applies, to which files, and
what the summary says about them. The fixing itself is `floe_lint.fix.runner`'s."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from floe_lint.commands.usage import UsageError
from floe_lint.config import Config
from floe_lint.findings import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing for the type checker only: a run with fixable findings imports this
    import argparse
    from typing import TextIO, overload

    from floe_lint.findings import Applicability
    from floe_lint.fix.policy import Policy
    from floe_lint.fix.runner import Outcome
    from floe_lint.lint.engine import Result


def refuse_conflicts(args: argparse.Namespace) -> None:
    """--diff owns stdout and writes nothing: no report file, no baseline; standard input is
    no file to fix."""
    if getattr(args, "stdin_filename", None) is not None:
        raise UsageError(
            "--fix and --diff change files on disk; with --stdin-filename there is none to change"
        )
    if args.diff and (args.output is not None or args.write_baseline is not None):
        raise UsageError(
            "--diff prints a diff on stdout; it cannot be combined with --output "
            "or --write-baseline"
        )


def _scope(paths: Sequence[Path]) -> Callable[[Path, Path], bool]:
    """A finding's file may be edited when it lies under a path given to `check` (a file
    named, or a folder's contents); a fix may also edit a file beside it (its floe.lock).
    Never through a symbolic link."""
    from floe_lint.load.paths import resolved
    from floe_lint.safe_write import SymlinkRefused, check_no_symlink

    roots = [resolved(p) for p in paths]

    def inside(path: Path) -> bool:
        key = resolved(path)
        for root in roots:  # noqa: SIM110 - `any` of a generator throws it a GeneratorExit
            if key == root or key.is_relative_to(root):
                return True
        return False

    def may_edit(finding: Path, edit: Path) -> bool:
        if not inside(finding) or not (inside(edit) or edit.parent == finding.parent):
            return False
        try:
            check_no_symlink(edit)
        except (SymlinkRefused, OSError):
            return False
        return True

    return may_edit


def policy(args: argparse.Namespace, config: Config, *, unsafe: bool | None = None) -> Policy:
    from floe_lint.fix.policy import Policy

    allowed: list[Applicability] = ["safe"]
    if args.unsafe_fixes if unsafe is None else unsafe:
        allowed.append("unsafe")
    return Policy(allowed, config.fixable, config.unfixable, _scope(args.paths))


def fix(
    args: argparse.Namespace, config: Config, lint: Callable[[Mapping[Path, bytes]], Result]
) -> Outcome:
    from floe_lint.fix import runner

    return runner.run(lint, policy(args, config))


def write(outcome: Outcome, args: argparse.Namespace, stdout: TextIO) -> None:
    """Write the fixed files (atomically, never through a link), or with --diff print them."""
    if args.diff:
        from floe_lint.fix import diff

        diff.write(outcome.changed, stdout)
        return
    from floe_lint.safe_write import write_file

    for file in outcome.changed:
        try:
            write_file(file.path, file.data)
        except OSError as error:
            raise UsageError(f"cannot fix {file.path}: {error.strerror or error}") from error


def _count(n: int, what: str = "finding") -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


if TYPE_CHECKING:

    @overload
    def summary(
        args: argparse.Namespace, config: Config, findings: Sequence[Finding], outcome: Outcome
    ) -> str: ...

    @overload
    def summary(
        args: argparse.Namespace, config: Config, findings: Sequence[Finding], outcome: None
    ) -> str | None: ...


def summary(
    args: argparse.Namespace, config: Config, findings: Sequence[Finding], outcome: Outcome | None
) -> str | None:
    """What was (or would be) fixed, and what more `--fix` / `--unsafe-fixes` would fix."""
    safe = policy(args, config, unsafe=False)
    unsafe = policy(args, config, unsafe=True)
    more_unsafe = sum(1 for f in findings if unsafe.applies(f) and not safe.applies(f))
    hint = ""
    if more_unsafe and not args.unsafe_fixes:
        hint = f"; {more_unsafe} more with --unsafe-fixes"
    if outcome is None:
        chosen = policy(args, config)  # once: a policy resolves the paths given
        fixable = sum(1 for f in findings if chosen.applies(f))
        if not fixable and not hint:
            return None
        return f"floe-lint: {fixable} fixable with --fix{hint}"
    files = len(outcome.changed)
    if not outcome.fixed:
        return f"floe-lint: nothing {'to fix' if args.diff else 'fixed'}{hint}"
    verb = "would fix" if args.diff else "fixed"
    tail = " (nothing written: --diff)" if args.diff else ""
    return f"floe-lint: {verb} {_count(len(outcome.fixed))} in {_count(files, 'file')}{tail}{hint}"
