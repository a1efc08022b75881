"""`floe-lint impact MANIFEST [--against REV|FILE]`: what a manifest change does below it.

Exit 1 when the change introduces error findings (in the manifest or any dependent).
"""

from __future__ import annotations

from pathlib import Path

from floe_lint.commands.usage import EXIT_CLEAN, EXIT_FINDINGS, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:  # (`typing` is not imported at run time: issue 17's start-up)
    import argparse
    from types import SimpleNamespace
    from typing import TextIO

    # a plain line is read without argparse (floe_lint.commands.quick)
    Arguments = argparse.Namespace | SimpleNamespace


def old_version(manifest: Path, against: str | None) -> tuple[str, bytes]:
    """(what it is compared with, its bytes): a file when one exists at `against`, else a rev."""
    if against is not None and Path(against).is_file():
        from floe_lint.load.bounded import read_bounded

        raw = read_bounded(Path(against))
        if raw is None:
            raise UsageError(f"--against {against}: not a regular file within the size limit")
        return against, raw
    from floe_lint.load.revision import RevisionError, show  # git: a subprocess

    rev = against or "HEAD"
    try:
        return rev, show(rev, manifest)
    except RevisionError as error:
        raise UsageError(f"{error}; pass --against FILE to compare with a file") from error


def run(args: Arguments, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.load.bulk import gc_paused

    # as `check` does: the runs keep every document alive until the report, and each
    # collection would walk them again for nothing (the comparison and the report included)
    return gc_paused(_run)(args, stdout, stderr)


def _run(args: Arguments, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands.fetching import deferred
    from floe_lint.commands.usage import parse_ref_overrides
    from floe_lint.config import load_config
    from floe_lint.lint import engine
    from floe_lint.lint.impact import Unmeasurable, measure
    from floe_lint.lint.shared import Shared
    from floe_lint.load.root import workspace_root
    from floe_lint.reporters import impact_report

    manifest: Path = args.manifest
    if not manifest.is_file():
        raise UsageError(f"no such file: {manifest}")
    config = load_config(args.config, Path.cwd(), isolated=args.isolated, targets=[manifest])
    against, old = old_version(manifest, args.against)
    discovered = args.config is None
    root = workspace_root(
        args.workspace, config.path, Path.cwd(), [manifest], discovered=discovered
    )
    refs = parse_ref_overrides(args.ref)
    # made when a ref first needs it (oras, the cache and the floe.lock reader), as `check`'s
    fetch = deferred(config, [manifest], offline=args.offline)

    def lint(sources: dict[Path, bytes] | None, shared: Shared) -> engine.Result:
        return engine.run(
            [manifest],
            config,
            refs=refs,
            fetch=fetch,
            dependents_root=root,
            sources=sources,
            shared=shared,
        )

    from_file = args.against is not None and Path(args.against).is_file()  # as old_version
    try:
        impact = measure(manifest, against, old, lint, from_file)
    except Unmeasurable as error:  # a parse failure must never read as "no impact"
        raise UsageError(str(error)) from error
    writer = {
        "text": impact_report.write_text,
        "json": impact_report.write_json,
        "markdown": impact_report.write_markdown,
    }[args.format]
    if args.output is not None:
        try:
            with args.output.open("w", encoding="utf-8") as handle:
                writer(impact, handle)
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from error
    else:
        writer(impact, stdout)
    errors = sum(1 for f in impact.appeared if f.severity == "error")
    if errors:
        stderr.write(
            f"floe-lint: the change introduces {errors} error{'s' if errors != 1 else ''}"
            f"; breaks: {', '.join(impact.broken_products()) or 'only the manifest itself'}\n"
        )
        return EXIT_FINDINGS
    return EXIT_CLEAN
