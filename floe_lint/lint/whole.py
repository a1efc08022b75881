"""A `check` replayed whole: when nothing it read has changed, its output is printed again.

The per-file results (floe_lint.lint.replay) spare an unchanged tree its parsing and checks, but
such a run still imports the lint machinery, resolves every path and rebuilds every finding.
A run whose inputs are all known is also stored whole, next to the per-file store: its standard
output, standard error and exit status, with the content hash of every file it read (each file
found, each file their findings depend on, the baseline). The next run under the same key walks
the tree, reads and hashes those files and, when the files found and every hash are the same,
prints what was stored; anything else runs as usual (and replays per file).

The key is the per-file store's (floe-lint's version and files, plugins, working directory,
environment, effective config, rule folders) plus the whole command line, whether standard
output and error are terminals (colour, excerpts) and the date (mandatory exceptions expire).
A run is stored whole only when every file it found was stored per file and no `oci://` ref,
dependents search, symbolic link or file outside the folders given took part; a walk that meets
a symbolic link in a folder it lists is never replayed whole. Runs that write files (`--output`,
`--sarif-file`, `--write-baseline`, fixes), read standard input or a hook's staged files, and
SARIF reports (a warning of theirs goes straight to sys.stderr) are never stored whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from floe_lint.lint import cache, whole_record
from floe_lint.lint.rule_files import rule_folder_files
from floe_lint.load.bounded import read_bounded
from floe_lint.load.walk import SKIP_DIRS, Beside, found_under

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import IO, Any, TextIO

    from floe_lint.config import Config
    from floe_lint.lint.replay import Replay

VERSION = 3  # (2: laid out a part a line; 3: its lines sealed: floe_lint.lint.whole_record)
#: whole runs share the per-file stores' prefix: trimmed and cleaned with them
PREFIX = "results-run-"


def eligible(args: argparse.Namespace, output_format: str) -> bool:
    """Whether a `check` run may be replayed (and stored) whole: see the module's docstring."""
    return not (
        args.hook
        or args.fix
        or args.diff
        or args.output is not None
        or args.sarif_file is not None
        or args.write_baseline is not None
        or getattr(args, "stdin_filename", None) is not None
        or output_format == "sarif"
    )


def _arguments(args: argparse.Namespace) -> list[Any]:
    plain = (str, int, float, bool, type(None), Path, list, tuple)
    return sorted([k, v] for k, v in vars(args).items() if isinstance(v, plain))


def _hash(path: str) -> str | None:
    raw = read_bounded(path)
    return None if raw is None else cache.digest(raw)


def _well_formed(header: dict[str, Any]) -> bool:
    """Whether the record's header is of the types a run writes (a hostile or corrupted
    store stopped the run with an internal error: `absent` holding a mapping, say; its items
    are checked as they are read)."""
    baseline = header.get("baseline")
    return (
        header.get("version") == VERSION
        and (baseline is None or (isinstance(baseline, list) and len(baseline) == 2))
        and isinstance(header.get("out"), str)
        and isinstance(header.get("err"), str)
        and type(header.get("code")) is int
        and type(header.get("count")) is int
        and isinstance(header.get("walk"), str)
    )


def _absent(path: str) -> bool:
    """Nothing at `path` (a file a run looked for and did not find)."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except (OSError, ValueError):
        return False
    return False


class _Tee:
    """Writes through to a stream and keeps a copy (the output to store)."""

    def __init__(self, stream: TextIO, copy: IO[str]):
        self._stream = stream
        self._copy = copy

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        self._copy.write(text)
        return written

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def isatty(self) -> bool:
        return self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class Whole:
    """One `check` invocation's whole-run record in the cache folder."""

    def __init__(
        self,
        folder: Path,
        args: argparse.Namespace,
        config: Config,
        baseline: Path | None,
        stdout: TextIO,
        stderr: TextIO,
    ):
        rule_files = [[str(p), _hash(str(p))] for p in rule_folder_files(config.rule_folders)]
        #: what the trusted roots' files hold (a root is read only by a verdict, which a run
        #: replayed whole asks none of); None: a root the fetcher or a `refs` entry resolves
        self._roots = _roots(config)
        material = [
            "whole",
            VERSION,
            repr(config),
            rule_files,
            _arguments(args),
            self._roots,
            stdout.isatty(),
            stderr.isatty(),
            datetime.now(UTC).date().isoformat(),
        ]
        self.folder = folder
        self.path = folder / f"{PREFIX}{cache.run_key(material)}.json"
        self._rule_files = rule_files  # (before the run ran them: compared at its end)
        self.paths: list[Path] = list(args.paths)
        self.config = config
        self.baseline = baseline
        #: the baseline's hash before the run reads it: one saved again by the end of the
        #: run may not be what the run applied, and the run is then not stored whole
        self._baseline_hash = None if baseline is None else _hash(str(baseline))
        #: copies of what the run prints (`tee`), for its record: in files, not in memory
        self._out: IO[str] | None = None
        self._err: IO[str] | None = None
        #: what the replay's walk found (a run that follows need not walk again)
        self.found: Sequence[tuple[str, bool]] | None = None
        #: what the walk listed: every name, by absolute folder (`_absent`), and the names
        #: of per-environment files with the folders above (for the run that follows)
        self.listing = Beside(every_name=True)

    # -- replaying -------------------------------------------------------------------------

    def replay(self, stdout: TextIO, stderr: TextIO) -> int | None:
        """Print the stored output and return its exit status, when every input is the same."""
        if self._roots is None:
            return None
        try:
            header, file = whole_record.open_record(self.path, cache.MAX_STORE_BYTES)
            with file:
                if not _well_formed(header):
                    return None  # a store corrupted or planted
                if not self._same_inputs(header, file):
                    return None
            out: str = header["out"]
            err: str = header["err"]
            code: int = header["code"]
        except (OSError, ValueError, RecursionError, TypeError, KeyError):
            return None  # no record yet, or one that is not ours
        cache.touch(self.path)  # used: the last to be dropped when the folder is trimmed
        stdout.write(out)
        stderr.write(err)
        return code

    def _same_inputs(self, header: dict[str, Any], file: IO[bytes]) -> bool:
        """Whether the files found are those the record lists, and every file it lists has
        the hash it notes (or is absent), read from the record's `file` as it comes."""
        found = self.found = self._found()  # (no Path per file)
        if found is None or header["count"] != len(found):
            return False
        if header["walk"] != whole_record.walk_digest(found):
            return False  # (told before any file is hashed)
        baseline = header["baseline"]
        if baseline != (None if self.baseline is None else [str(self.baseline), baseline[1]]):
            return False
        at = 0
        for part, items in whole_record.parts(file):
            if part == whole_record.FOUND:
                for item in items:
                    if not (type(item) is list and len(item) == 3 and at < len(found)):
                        return False
                    path, explicit, value = item
                    if (path, explicit) != found[at] or _hash(path) != value:
                        return False
                    at += 1
            elif part == whole_record.DEPS:
                if not all(_hash(path) == value for path, value in items.items()):
                    return False
            elif not all(isinstance(path, str) and self._absent(path) for path in items):
                return False
        return at == len(found) and (baseline is None or _hash(baseline[0]) == baseline[1])

    def _found(self) -> Sequence[tuple[str, bool]] | None:
        """What discovery finds now, as the engine lists it; None when a symbolic link is
        among the folders walked or above a path given."""
        if not self._plain_paths():
            return None
        names: list[str] = []
        explicit: set[int] = set()  # (the positions of the paths given as files)
        links: list[str] = []
        for path in self.paths:
            if path.is_dir():
                names.extend(found_under(path, links, self.listing))
            else:
                explicit.add(len(names))
                names.append(str(path))
        if links:
            return None
        found = whole_record.Found(names, explicit)
        if self.config.include or self.config.exclude:
            from floe_lint.lint.filtering import selected

            return [item for item in found if selected(Path(item[0]), self.config)]
        return found

    def _absent(self, path: str) -> bool:
        """Nothing at `path`: known from the walk's listing of its folder, else asked."""
        known = self.listing.absent(path)
        return _absent(path) if known is None else known

    def _plain_paths(self) -> bool:
        return all(os.path.realpath(p) == os.path.abspath(p) for p in self.paths)

    # -- recording -------------------------------------------------------------------------

    def tee(self, stdout: TextIO, stderr: TextIO) -> tuple[TextIO, TextIO]:
        """The streams a run writes to, so that what it prints can be stored: the copies are
        kept in temporary files of the cache folder (`_spooled`), not in memory (the output
        is 1.2 MB at 30,000 products, held at the run's peak: issue 17). Where none can be
        made, the run writes to its streams alone and is not stored whole."""
        try:
            self._out = _spooled(self.folder)
            self._err = _spooled(self.folder)
        except OSError:
            self.close()
            return stdout, stderr
        out: Any = _Tee(stdout, self._out)  # a TextIO to its callers: it writes through
        err: Any = _Tee(stderr, self._err)
        return out, err

    def close(self) -> None:
        """Let the copies of the run's output go (their files are then gone from the disk)."""
        for copy in (self._out, self._err):
            if copy is not None:
                copy.close()
        self._out = self._err = None

    def store(self, replay: Replay | None, code: int) -> None:
        """Store the run whole, if every input of it is known (see the module's docstring)."""
        try:
            self._store(replay, code)
        finally:
            self.close()

    def _store(self, replay: Replay | None, code: int) -> None:
        if replay is None or self._roots is None or self._out is None or self._err is None:
            return
        record = self._record(replay, code)
        if record is None:
            return
        header, deps, locks = record
        from floe_lint.safe_write import write_chunks

        # (not a sorted list of every item: most are absent floe.lock files, and this is the
        # run's peak, issue 17; those beside a file found are spelt as they are written)
        keys = sorted(k for k, v in deps.items() if v is not None)
        present = ((k, v) for k in keys if (v := deps[k]) is not None)
        absent = chain(sorted(k for k, v in deps.items() if v is None), _locks(locks, deps))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            chunks = whole_record.chunks(header, _found_items(replay), present, absent)
            write_chunks(self.path, chunks)  # (none written when a file found is `_NotWhole`)
        except (OSError, _NotWhole):
            return  # a read-only home or a full disk: the run's output is unaffected
        cache.trim(self.folder)

    def _record(
        self, replay: Replay, code: int
    ) -> tuple[dict[str, Any], dict[str, str | None], list[str]] | None:
        """The record's header and what its files found depend on (`deps`: a hash, or None
        for a file absent; and the files with an absent floe.lock beside them, `locks`:
        floe_lint.lint.standing), when the run can be stored whole; its files found are
        listed as it is written (`_found_items`: a symbolic link among them, or a file that
        cannot be read, and the record is not written)."""
        if not replay.complete or not self._plain_paths():
            return None
        from floe_lint.lint.standing import add_deps  # (loaded by the run: not by a replay)

        if self._rule_files:
            from floe_lint.lint.registry import folder_files

            if folder_files(self.config.rule_folders) != self._rule_files:
                return None  # a rule module the run ran is not the one its key hashed
        tops = [os.path.abspath(p) for p in self.paths if p.is_dir()]
        todo = [replay.key(text) for text, _ in replay.found]
        deps: dict[str, str | None] = {}
        locks: list[str] = []
        seen: dict[str, str] = {}
        spilled = replay.spilled  # the entries of files retired (floe_lint.lint.spill), all
        if spilled is not None:  # of them, read back when the store was saved
            seen, spilled_deps, reach, oci, locks = spilled
            if oci:
                return None
            deps = spilled_deps  # (made for this: not copied)
            todo.extend(reach)
        # the entries replayed: what they depend on was noted as each was found to stand (each
        # file they reached was replayed too), unless that is not exact; then read again
        standing = replay.standing
        replayed = replay.replayed if standing.exact(len(replay.replayed)) else ()
        if replayed:
            if standing.oci:
                return None
            # (the smaller into the larger; a file whose hash differs in the two was edited
            # during the run: what the run printed may have read either, so none is stored)
            deps, more = (
                (standing.deps, deps) if len(standing.deps) > len(deps) else (deps, standing.deps)
            )
            if not _agree(deps, more):
                return None
            deps.update(more)
            locks.extend(standing.locks)
        while todo:
            key = todo.pop()
            if key in seen or key in replayed:
                continue
            seen[key] = key
            entry = replay.store.entry(key)
            if not isinstance(entry, dict) or entry.get("oci"):
                return None
            noted = entry.get("deps", {})
            if not _agree(deps, noted):
                return None
            add_deps(key, noted, deps, locks)
            todo.extend(entry.get("reach", []))
        walked: dict[str, bool] = {}  # by folder: what `_walked` says of every file in it
        for key in chain(deps, locks):
            folder = key.rpartition("/")[0]
            known = walked.get(folder)
            if known is None:
                known = walked[folder] = _walked(key, tops)
            if not known:
                return None
        baseline = None
        if self.baseline is not None:
            baseline = [str(self.baseline), _hash(str(self.baseline))]
            if baseline[1] != self._baseline_hash:
                return None
        assert self._out is not None and self._err is not None  # (`_store` asked)
        header = {
            "version": VERSION,
            "baseline": baseline,
            "out": self._out,  # (read a slice at a time as the record is written)
            "err": self._err,
            "code": code,
            "count": len(replay.found),
            "walk": whole_record.walk_digest(replay.found),
        }
        return header, deps, locks


def _spooled(folder: Path) -> IO[str]:
    """A temporary file in `folder` for a copy of what a run prints, read back as it was
    written (`newline=""`: no line ending translated; `surrogatepass`: any text a stream
    took). It has no name in the folder (`O_TMPFILE`; else unlinked as soon as it is made,
    opened with `O_EXCL` and `O_NOFOLLOW`: never a file or link someone put there), only its
    user may read it, and it is gone once closed or when the process ends. (Not `tempfile`:
    importing it costs a run that may be replayed whole a few milliseconds.)"""
    folder.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDWR | getattr(os, "O_CLOEXEC", 0)
    fd = -1
    if hasattr(os, "O_TMPFILE"):
        try:
            fd = os.open(folder, flags | os.O_TMPFILE, 0o600)
        except OSError:  # (a file system without it)
            fd = -1
    if fd < 0:
        name = folder / f".tee-{os.urandom(8).hex()}.tmp"
        fd = os.open(name, flags | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            os.unlink(name)
        except OSError:
            os.close(fd)
            raise
    return open(fd, "w+", encoding="utf-8", errors="surrogatepass", newline="")


def _locks(locks: list[str], deps: dict[str, str | None]) -> Iterator[str]:
    """The floe.lock beside each of `locks` (`standing.lock_path`), by the key of the file
    beside it (the same record however the run gathered them), each once, but for those
    `deps` has (written with them)."""
    from floe_lint.lint.standing import lock_path

    last = None
    for key in sorted(locks):
        path = lock_path(key)
        if path != last and path not in deps:
            yield path
        last = path


def _agree(deps: dict[str, str | None], more: dict[str, str | None]) -> bool:
    """Whether every file both note has the same hash (or absence) in each."""
    return all(deps[key] == more[key] for key in deps.keys() & more.keys())


def _roots(config: Config) -> list[list[str | None]] | None:
    """Each trusted root given as a path, where it leads and the hash of the bytes there (of
    the manifest.yaml and manifest.yml in it, for a folder); None when a root is an `oci://`
    ref or one the config's `refs` map (resolved as refs are, which a replay does not do)."""
    found: list[list[str | None]] = []
    for root in config.trusted_roots:
        if "://" in root or root.strip() in config.refs:
            return None
        real = os.path.realpath(root)
        found.append([root, real, _hash(real)])
        if os.path.isdir(real):
            found[-1] += [
                _hash(os.path.join(real, name)) for name in ("manifest.yaml", "manifest.yml")
            ]
    return found


class _NotWhole(Exception):
    """A file found whose key is not where it lies (a symbolic link) or that cannot be read:
    the run is not stored whole (raised as its record is written: the found files are keyed
    and hashed once, not once to ask and again to write, issue 17)."""


def _found_items(replay: Replay) -> Iterator[list[Any]]:
    """Each file the run found as the record lists it ([name, explicit, content hash]);
    `_NotWhole` for one whose key is not where it lies or that cannot be read."""
    cwd = os.getcwd()
    prefix = cwd.rstrip("/") + "/"
    for text, explicit in replay.found:
        key = replay.key(text)
        digest = replay.hash(key)
        # its key is where it lies (no symbolic link): said at once of a found path that is
        # absolute and normal, as a walk from such a folder writes it, or of one below the
        # working directory that a walk from there writes (a key is normal)
        if (
            key != text
            and key != prefix + text
            and key != os.path.normpath(os.path.join(cwd, text))
        ) or digest is None:
            raise _NotWhole(text)
        yield [text, explicit, digest]


def _walked(key: str, tops: list[str]) -> bool:
    """Whether `key` lies in a folder that a walk of `tops` lists (so a symbolic link on its
    way would be seen)."""
    for top in tops:
        prefix = top.rstrip("/") + "/"
        if key.startswith(prefix):
            folders = key[len(prefix) :].split("/")[:-1]
            if not any(name.startswith(".") or name in SKIP_DIRS for name in folders):
                return True
    return False
