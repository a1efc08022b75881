"""`floe-lint check`: lint, then report; with its CI side (format choice, SARIF and GitHub
output, the baseline, and the exit status: `--fail-on`, `--exit-zero`)."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from floe_lint.commands.usage import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    UsageError,
    parse_ref_overrides,
    split_list,
    with_manifest,
    with_trusted_roots,
)
from floe_lint.config import Config, ConfigError
from floe_lint.findings import Finding
from floe_lint.reporters.summary import Silenced

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, TextIO

    from floe_lint.lint.baseline import Baseline
    from floe_lint.lint.engine import Result

_FAILING = {"error": ("error",), "warning": ("error", "warning")}
# The human formats: `text` shows source excerpts on a terminal, `full` on any stream (a CI
# log), `concise` never (one line per finding); `--show-source` decides for all three.
TEXT_FORMATS = ("text", "concise", "full")


def resolve_format(requested: str | None, config: Config) -> str:
    chosen = requested or config.format or "text"
    if chosen == "auto":
        return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    return chosen


class CheckRun:
    """What a `check` invocation asked for beyond linting, resolved against the config."""

    def __init__(self, args: argparse.Namespace, config: Config):
        self.args = args
        self.config = config
        self.format = resolve_format(args.format, config)
        self.fail_on = args.fail_on or config.fail_on
        self.fail_on_empty = bool(getattr(args, "fail_on_empty", False) or config.fail_on_empty)
        path = args.baseline or (config.baseline if args.write_baseline is None else None)
        if args.baseline is not None and args.write_baseline is not None:
            raise ConfigError("--baseline and --write-baseline cannot be combined")
        self.baseline: Baseline | None = None
        #: the workspace (floe_lint.load.root), once `run` chose it
        self.workspace: Path | None = None
        if path is not None:  # the baseline's code is imported only for a run that has one
            from floe_lint.lint.baseline import Baseline

            self.baseline = Baseline.load(path)

    def fails(self, findings: Sequence[Finding]) -> bool:
        if self.args.exit_zero:
            return False
        return any(f.severity in _FAILING[self.fail_on] for f in findings)

    def write_baseline(self, result: Result, stderr: TextIO) -> int:
        """Write every finding of the run; entries of files the run did not check are kept
        from the file being replaced (when they still exist), so a partial run drops none."""
        from floe_lint import masking
        from floe_lint.lint.baseline import Baseline, BaselineError, data_reader

        target: Path = self.args.write_baseline
        baseline = Baseline(target)
        keep = []
        if target.is_file():
            try:
                previous = Baseline.load(target)
            except BaselineError:
                previous = None  # not ours to keep: it is replaced
            if previous is not None:
                checked = {baseline.file_of(source.path) for source in result.files}
                keep = [
                    e
                    for e in previous.entries
                    if e.file not in checked and (target.parent / e.file).is_file()
                ]
        count = baseline.write(
            result.findings, masking.reader(result.files), data_reader(result.files), keep
        )
        kept = f", {len(keep)} of them kept for files this run did not check" if keep else ""
        stderr.write(
            f"floe-lint: wrote {count} finding{'s' if count != 1 else ''} to baseline "
            f"{target}{kept}\n"
        )
        return 0

    def sarif(self, result: Result, findings: Sequence[Finding]) -> dict[str, Any]:
        from floe_lint import masking
        from floe_lint.reporters import sarif

        return sarif.build(
            findings,
            result.rules,
            lines_of=masking.reader(result.files),  # fingerprints never hash a credential
            severity=self.config.severity,
            suppressed=result.suppressed,
            include_suppressed=self.args.include_suppressed,
            category=self.args.sarif_category,
            silenced=self.silenced(result),
        )

    @staticmethod
    def silenced(result: Result) -> Silenced:
        return Silenced.of([s.by for s in result.suppressed])

    def report(self, result: Result, findings: Sequence[Finding], out: TextIO) -> None:
        if self.format == "sarif":
            from floe_lint.reporters import sarif

            sarif.write(self.sarif(result, findings), out)
        else:
            from floe_lint.reporters import github

            sarif_file = self.args.sarif_file
            github.write(
                findings,
                out,
                files_checked=len(result.files),
                full_report=f"the SARIF report {sarif_file}" if sarif_file else None,
                silenced=self.silenced(result),
            )

    def write_sarif_file(self, result: Result, findings: Sequence[Finding]) -> None:
        target: Path | None = self.args.sarif_file
        if target is None:
            return
        from floe_lint.reporters import sarif
        from floe_lint.safe_write import write_file

        text = io.StringIO()
        sarif.write(self.sarif(result, findings), text)
        try:
            write_file(target, text.getvalue())
        except OSError as error:
            raise ConfigError(f"cannot write {target}: {error.strerror or error}") from error

    def warn_stale(self, result: Result, stderr: TextIO) -> None:
        """List stale entries (only files the run checked can have them), with advice that
        never drops entries: a partial run is told to remove the entries, not to rewrite."""
        if not result.stale or self.baseline is None:
            return
        checked = {self.baseline.file_of(source.path) for source in result.files}
        partial = any(e.file not in checked for e in self.baseline.entries)
        advice = (
            "remove them from the file; this run checked only some of its files"
            if partial
            else "rewrite it with --write-baseline"
        )
        stderr.write(
            f"floe-lint: {len(result.stale)} stale baseline "
            f"entr{'ies' if len(result.stale) != 1 else 'y'} in {self.baseline.path} "
            f"(fixed or changed; {advice}):\n"
        )
        for entry in result.stale:
            stderr.write(f"  {entry.rule} {entry.file} {entry.pointer or '/'}\n")

    def warn_empty(self, result: Result, stderr: TextIO) -> bool:
        """Say which folders given held no Floe file; True when that fails the run."""
        from floe_lint.load.paths import relative_posix, resolved

        # the folders no file checked lies in, each file resolved until none is left (a list of
        # every file's key would be one more `Path` per file at the end of a streamed run)
        left = [(folder, resolved(folder)) for folder in self.args.paths if folder.is_dir()]
        for source in result.files if left else ():
            key = resolved(source.path)
            left = [(folder, root) for folder, root in left if not key.is_relative_to(root)]
            if not left:
                break
        if left and self.workspace is not None:  # (rare: a folder of links, or of nothing)
            from floe_lint.load.linked import linked_targets

            # its files may lie where links in it lead (`discover`'s `within`)
            keys = [resolved(source.path) for source in result.files]
            left = [
                (folder, root)
                for folder, root in left
                if not any(
                    key.is_relative_to(target)
                    for target in linked_targets(folder, self.workspace)
                    for key in keys
                )
            ]
        empty = [folder for folder, _ in left]
        checked = result.files
        for folder in empty:
            if self.workspace is not None:
                from floe_lint.load.linked import links_out
                from floe_lint.reporters import printable

                for link in links_out(folder, self.workspace):
                    stderr.write(
                        f"floe-lint: {printable(link)} is a symbolic link out of the workspace: "
                        "not read (name it on the command line to check it)\n"
                    )
            stderr.write(
                f"floe-lint: {relative_posix(folder) or '.'} holds no manifest or floe.yaml "
                "(nothing checked there)\n"
            )
        if not empty and not checked:
            stderr.write("floe-lint: no manifest or floe.yaml was checked\n")
        failed = self.fail_on_empty and bool(empty or not checked)
        if failed:
            stderr.write("floe-lint: failing because of --fail-on-empty\n")
        return failed


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.config import load_config

    stdin = _stdin_source(args)
    for path in args.paths:
        if path not in stdin and not path.exists():
            raise UsageError(f"no such file or directory: {path}")
    select, ignore = split_list(args.select), split_list(args.ignore)
    from floe_lint.config_files import Remembered

    with Remembered():  # the folders above the paths given are walked once, not for each
        config = with_trusted_roots(
            with_manifest(
                load_config(args.config, Path.cwd(), isolated=args.isolated, targets=args.paths),
                args.manifest,
            ),
            args.trusted_root,
        )
        _say_links_out(args.paths, args.workspace, config, stderr, discovered=args.config is None)
        if config.include or config.exclude:
            from floe_lint.commands.excluded import say_excluded

            say_excluded(args.paths, config, stderr)
        if args.hook:
            from floe_lint.commands.hook import hook_paths

            args.paths = hook_paths(args, config, stderr)
            if not args.paths:
                return EXIT_CLEAN  # nothing of Floe's in this commit
        from floe_lint.load.root import choose_workspace

        # (before the cache is chosen: a cache folder inside the tree walked is not used)
        workspace, chosen = choose_workspace(
            args.workspace, config.path, Path.cwd(), args.paths, discovered=args.config is None
        )
    cache_dir = _cache_dir(args, bool(stdin), stderr, workspace)
    whole = None
    if cache_dir is not None:
        from floe_lint.lint import whole as whole_run

        if whole_run.eligible(args, resolve_format(args.format, config)):
            baseline = args.baseline or config.baseline
            whole = whole_run.Whole(cache_dir, args, config, baseline, stdout, stderr)
            replayed = whole.replay(stdout, stderr)
            if replayed is not None:
                return replayed  # nothing it read changed: what it printed, again
            stdout, stderr = whole.tee(stdout, stderr)
    from floe_lint.commands.fetching import deferred
    from floe_lint.lint import engine
    from floe_lint.reporters import sorted_findings

    run = CheckRun(args, config)
    # (a folder's walk follows a link to a folder in it: `discover`'s `within`)
    run.workspace = workspace
    root = None if args.no_dependents else run.workspace
    fetch = deferred(config, args.paths, offline=args.offline, within=run.workspace)

    def lint(sources: Mapping[Path, bytes]) -> Result:
        return engine.run(
            args.paths,
            config,
            select=select,
            ignore=ignore,
            refs=parse_ref_overrides(args.ref),
            fetch=fetch,
            baseline=run.baseline,
            require_suppression_reason=args.require_suppression_reason,
            jobs=args.jobs,
            dependents_root=root,
            sources={**stdin, **sources},
            hook=args.hook,
            cache_dir=cache_dir if not sources else None,
            discovered=whole.found if whole is not None and not sources else None,
            listed=whole.listing if whole is not None and not sources else None,
            release=not (args.fix or args.diff),
            within=run.workspace,
        )

    outcome = None
    if args.fix or args.diff:
        from floe_lint.commands import fixing

        fixing.refuse_conflicts(args)
        outcome = fixing.fix(args, config, lint)
        fixing.write(outcome, args, stdout)
        if args.diff:  # nothing was written: every finding remains
            stderr.write(f"{fixing.summary(args, config, outcome.result.findings, outcome)}\n")
            return EXIT_FINDINGS if run.fails(outcome.initial.findings) else EXIT_CLEAN
        result = outcome.result
    else:
        result = lint({})
    if args.write_baseline is not None:
        return run.write_baseline(result, stderr)
    findings = sorted_findings(result.findings)
    args.format = run.format

    # A report to --output is written whole, atomically: a reader never sees part of one.
    out: TextIO = io.StringIO() if args.output is not None else stdout
    if args.format == "json":
        from floe_lint.reporters import json_report

        json_report.write(findings, len(result.files), out, run.silenced(result))
    elif args.format in ("sarif", "github"):
        run.report(result, findings, out)
    elif args.format == "gitlab":
        from floe_lint import masking
        from floe_lint.reporters import gitlab

        gitlab.write(findings, out, masking.reader(result.files))  # fingerprints: starred lines
    elif args.format == "junit":
        from floe_lint.reporters import junit

        junit.write(findings, [f.path for f in result.files], out, run.silenced(result))
    elif findings:  # a text format (which writes nothing of no finding)
        from floe_lint import masking
        from floe_lint.reporters import text

        is_tty = args.output is None and stdout.isatty()
        colour = args.color == "always" or (
            args.color == "auto" and is_tty and "NO_COLOR" not in os.environ
        )
        default = {"text": is_tty, "full": True, "concise": False}[args.format]
        text.write(
            findings,
            out,
            show_source=args.show_source if args.show_source is not None else default,
            colour=colour,
            read_lines=masking.reader(result.files),
            concise=args.format == "concise",
        )
    if args.statistics:
        from floe_lint.reporters.summary import statistics

        # beside the findings in a human format; on stderr when stdout is a machine's report
        stats = out if args.format in TEXT_FORMATS else stderr
        stats.writelines(f"{line}\n" for line in statistics(findings))
    if args.output is not None and isinstance(out, io.StringIO):
        from floe_lint.safe_write import write_file

        try:
            write_file(args.output, out.getvalue())
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from error
    run.write_sarif_file(result, findings)
    from floe_lint.reporters import summary

    maybe = sum(1 for d in result.dependents if d.unread)  # (too large: may be dependents)
    line = summary.line(
        findings, len(result.files), len(result.dependents) - maybe, run.silenced(result), maybe
    )
    stderr.write(line + "\n")
    if chosen is not None and result.dependents:  # (where it matters: the dependents found)
        from floe_lint.reporters import printable

        stderr.write(f"floe-lint: note: {printable(chosen)}\n")
    # standard input is no file to fix (--fix is refused there): fixes are not offered
    piped = getattr(args, "stdin_filename", None) is not None
    if not piped and (outcome is not None or any(f.fix is not None for f in findings)):
        from floe_lint.commands import fixing

        fixes = fixing.summary(args, config, findings, outcome)
        if fixes is not None:
            stderr.write(fixes + "\n")
    run.warn_stale(result, stderr)
    empty = run.warn_empty(result, stderr)
    code = EXIT_FINDINGS if run.fails(findings) or empty else EXIT_CLEAN
    replay = result.replay
    if whole is not None:
        # the run's files and findings, printed: not held while the whole-run record is made
        # (the run's peak with the result cache on, issue 17)
        del result, findings
        if replay is not None:
            replay.workspace.drop_files()
        whole.store(replay, code)
    if replay is not None:
        replay.store.close()  # (the whole run is stored: no entry is read again)
    return code


def _say_links_out(
    paths: Sequence[Path],
    workspace: Path | None,
    config: Config,
    stderr: TextIO,
    *,
    discovered: bool,
) -> None:
    """A file named on the command line is read even through a symbolic link that leads out
    of the workspace (a walk of a folder never follows one): say so."""
    links = [p for p in paths if p.is_symlink() and p.is_file()]
    if not links:
        return
    from floe_lint.load.root import workspace_root
    from floe_lint.reporters import printable

    root = workspace_root(workspace, config.path, Path.cwd(), paths, discovered=discovered)
    for link in links:
        target = link.resolve()
        if not target.is_relative_to(root):
            stderr.write(
                f"floe-lint: {printable(link.as_posix())} is a symbolic link to "
                f"{printable(str(target))}, outside the workspace {printable(str(root))}; it is "
                "read because it was named on the command line\n"
            )


def _stdin_source(args: argparse.Namespace) -> dict[Path, bytes]:
    """`check -`: the text on standard input, linted as if it were at `--stdin-filename`
    (its name decides its kind, its folder resolves its refs, its dependents are found);
    `-` in `args.paths` is replaced by that path. At most MAX_BYTES are read."""
    import sys

    from floe_lint.load.reading import MAX_BYTES

    named = args.stdin_filename
    if Path("-") not in args.paths:
        if named is not None:
            raise UsageError("--stdin-filename is for 'check -' (the text on standard input)")
        return {}
    if named is None:
        raise UsageError(
            "'check -' needs --stdin-filename PATH: where the text would be (its name decides "
            "what it is, its folder resolves its refs)"
        )
    if named.is_dir():
        raise UsageError(f"--stdin-filename {named} is a folder; name a file in it")
    raw = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise UsageError(f"standard input is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    args.paths = [named if path == Path("-") else path for path in args.paths]
    return {named: raw}


def _cache_dir(
    args: argparse.Namespace, stdin: bool, stderr: TextIO, workspace: Path
) -> Path | None:
    """Where results are replayed from and stored, unless turned off (`--no-cache`,
    FLOE_LINT_NO_CACHE) or unfit: a run that fixes files or reads one from stdin, or a folder
    inside the checkout linted (what is linted could plant results there: said on stderr)."""
    if stdin or args.fix or args.diff or args.no_cache:
        return None
    if os.environ.get("FLOE_LINT_NO_CACHE", "") not in ("", "0"):
        return None  # before importing the cache: a hook that turns it off pays nothing
    from floe_lint.lint import cache

    cache.forget()  # the run's key lists floe-lint's files and the plugins once, afresh
    if not cache.enabled(False):
        return None
    folder = cache.directory()
    checkout = cache.checkout_holding(folder, args.paths, Path.cwd(), workspace)
    if checkout is not None:
        from floe_lint.reporters import printable

        stderr.write(
            f"floe-lint: note: the result cache {printable(str(folder))} is inside the checkout "
            f"{printable(str(checkout))}, where the files linted could plant results: not used "
            f"(set {cache.CACHE_ENV} to a folder outside it, or pass --no-cache)\n"
        )
        return None
    shared = cache.shared_with_others(folder)
    if shared is not None:
        from floe_lint.reporters import printable

        stderr.write(
            f"floe-lint: note: the result cache {printable(str(folder))} {shared}, who could "
            f"plant results there: not used (set {cache.CACHE_ENV} to a folder of your own, "
            "or pass --no-cache)\n"
        )
        return None
    return folder
