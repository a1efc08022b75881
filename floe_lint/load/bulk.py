"""Loading many files fast: parsing in parallel processes, with the cyclic GC paused.

Parsing is a pure function of a file's path and bytes, so parsing in worker processes and
linting serially afterwards gives exactly the output of a serial run; only the wall time
changes. Small inputs (a pre-commit hook's few files) stay in one process: starting workers
would cost more than it saves.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable, Generator, Sequence
from pathlib import Path

from floe_lint.errors import suppressed
from floe_lint.load import document
from floe_lint.load.document import SourceFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO, ParamSpec, TypeVar

    P = ParamSpec("P")
    R = TypeVar("R")

PARALLEL_FROM = 200  # files; below this one process is faster
CHUNK = 32
#: the most processes `--jobs` starts, whatever it asks for: each one costs memory and start-up
MAX_JOBS = 64


def cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def jobs_for(files: int, requested: int | None) -> int:
    """Processes to parse `files` files with: as requested, else all cores for large inputs;
    never more than the files, nor than MAX_JOBS."""
    if requested is not None:
        return max(1, min(requested, files, MAX_JOBS))
    return min(cores(), MAX_JOBS) if files >= PARALLEL_FROM else 1


def load_all(paths: Sequence[Path], jobs: int, positions: bool = False) -> list[SourceFile]:
    """`document.load` of every path, in order, using up to `jobs` processes (`positions`:
    see `document.parse`)."""
    if jobs <= 1 or len(paths) < 2:
        return _load_chunk(paths, positions)
    chunk = max(1, min(CHUNK, len(paths) // (jobs * 4)))
    chunks = [paths[at : at + chunk] for at in range(0, len(paths), chunk)]
    workers = min(jobs, len(chunks))
    loaded = _forked(chunks, workers, positions) if _FORKS else _pooled(chunks, workers, positions)
    return [source for files in loaded for source in files]


def _load_chunk(paths: Sequence[Path | str], positions: bool = False) -> list[SourceFile]:
    return [document.load(_path(path), positions) for path in paths]


def _path(path: Path | str) -> Path:
    """A file to parse, given as its `Path` or its text (floe_lint.lint.stream's groups)."""
    return Path(path) if isinstance(path, str) else path


def _load_compact(paths: Sequence[Path | str], positions: bool = False) -> Any:
    """`_load_chunk` in a worker, sent back compact: each file's text and its documents'
    index, data and kind written by `marshal` (plain data only; several times cheaper to write
    and read than pickled `SourceFile`s and `Document`s, whose fields this process sets again:
    `_rebuilt`), the loader's problems pickled. `marshal` refuses a subclass of `str` or
    `dict`, so such a chunk is sent as it is: exactly what was parsed comes back."""
    sources = _load_chunk(paths, positions)
    import marshal

    try:
        texts = marshal.dumps(
            [(s.text, [(d.index, d.data, d.kind, _table(d)) for d in s.documents]) for s in sources]
        )
    except ValueError:
        return sources
    return texts, [s.problems for s in sources], [s.plain for s in sources]


def _table(doc: document.Document) -> bytes | None:
    """The document's positions (floe_lint.load.positions), as the bytes recorded."""
    located = doc.located
    table = located.tables.get(doc.index) if located is not None and located.tables else None
    return table.raw if table is not None else None


def _rebuilt(paths: Sequence[Path | str], sent: Any) -> list[SourceFile]:
    """The files `_load_compact` sent, as `document.parse` made them in the worker."""
    if isinstance(sent, list):
        return sent
    import marshal

    from floe_lint.load.spans import FileSpans

    texts, problems, plain = sent
    rebuilt = []
    for given, (text, docs), found, flat in zip(
        paths, marshal.loads(texts), problems, plain, strict=True
    ):
        path = _path(given)
        located = FileSpans(text)
        documents = [
            document.Document(path, index, data, text, kind=kind, located=located)
            for index, data, kind, _ in docs
        ]
        for index, data, _, table in docs:
            if table is not None:
                from floe_lint.load.positions import Table

                located.tables[index] = Table(table, data)
        source = SourceFile(path, text, documents, found)
        source.plain = flat
        rebuilt.append(source)
    return rebuilt


def load_groups(
    groups: Sequence[Sequence[Path | str]], workers: int
) -> Generator[list[SourceFile], None, None]:
    """`document.load` of each group's paths, one group at a time and in order, in `workers`
    processes besides this one (0: in this one): the workers parse ahead by a few chunks only,
    so however many groups there are, only those few are held parsed and not yet taken.

    This process checks each group while the workers parse the next ones
    (floe_lint.lint.stream), so it counts as one of a run's `--jobs` processes: on 2 cores one
    worker parses while this process checks, and a second worker would only add what parallel
    parsing costs in CPU (a process forked, each file pickled and unpickled, the parser's memos
    warmed again) without shortening the run."""
    if workers < 1 or sum(len(group) for group in groups) < 2:
        for group in groups:
            yield _load_chunk(group)
        return
    chunks = [
        (number, group[at : at + CHUNK])
        for number, group in enumerate(groups)
        for at in range(0, len(group), CHUNK)
    ]
    parts = [paths for _, paths in chunks]
    loaded = _forked(parts, workers) if _FORKS else _pooled(parts, workers)
    done: dict[int, list[SourceFile]] = {number: [] for number in range(len(groups))}
    current = 0
    try:
        for taken, files in enumerate(loaded, 1):
            done[chunks[taken - 1][0]].extend(files)
            while current < len(groups) and (taken == len(chunks) or chunks[taken][0] > current):
                yield done.pop(current)
                current += 1
    finally:
        loaded.close()  # a run that stops early (floe_lint.lint.stream) ends its workers


#: Linux: workers forked directly, each writing its chunks to a pipe of its own (`_forked`);
#: elsewhere a process pool (`_pooled`: macOS forks no worker, Windows cannot)
_FORKS = sys.platform == "linux" and hasattr(os, "fork")


def _forked(
    chunks: Sequence[Sequence[Path | str]], workers: int, positions: bool = False
) -> Generator[list[SourceFile], None, None]:
    """Each chunk's files, in order, parsed by `workers` forked processes: worker k parses
    chunks k, k + workers, ... and writes each (`_load_compact`, pickled, its length first) to
    a pipe of its own, which this process reads in turn. A full pipe stops its worker, so the
    workers are never more than about a megabyte ahead; no `concurrent.futures` or
    `multiprocessing` (their import and their threads cost more CPU than the parse of 50 files).
    A worker that cannot start or dies (a short frame) leaves its chunks to this process:
    parsing is pure, so the result is the same, only later."""
    import pickle

    readers: list[tuple[int, BinaryIO] | None] = []
    try:
        for k in range(workers):
            try:
                read, write = os.pipe()
            except OSError:
                readers.append(None)
                continue
            _widen(write)
            try:
                pid = os.fork()
            except OSError:
                os.close(read)
                os.close(write)
                readers.append(None)
                continue
            if pid == 0:  # pragma: no cover - the worker (coverage does not follow a fork)
                code = 1
                try:
                    os.close(read)
                    for other in readers:
                        if other is not None:
                            other[1].close()
                    with open(write, "wb") as out:
                        for chunk in chunks[k::workers]:
                            sent = _load_compact(chunk, positions)
                            data = pickle.dumps(sent, pickle.HIGHEST_PROTOCOL)
                            out.write(len(data).to_bytes(8, "little") + data)
                    code = 0
                finally:
                    os._exit(code)
            os.close(write)
            readers.append((pid, open(read, "rb")))  # noqa: SIM115 - closed by _ended
        for at, chunk in enumerate(chunks):
            worker = readers[at % workers]
            frame = _frame(worker[1]) if worker is not None else None
            if frame is None:
                _ended(worker)
                readers[at % workers] = None
                yield _load_chunk(chunk, positions)
            else:
                yield _rebuilt(chunk, pickle.loads(frame))
    finally:
        for worker in readers:
            _ended(worker)


def _widen(fd: int) -> None:
    """Let a pipe hold about a megabyte (a group of parsed files) before its writer waits."""
    import fcntl

    # (where the system's limit is lower, the default size)
    with suppressed(OSError, AttributeError):
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)


def _frame(reader: BinaryIO) -> bytes | None:
    """The next frame a worker wrote, or None if it ended before writing it whole."""
    head = reader.read(8)
    if len(head) < 8:
        return None
    size = int.from_bytes(head, "little")
    frame = reader.read(size)
    return frame if len(frame) == size else None


def _ended(worker: tuple[int, BinaryIO] | None) -> None:
    """Close a worker's pipe and reap it (killed first: it may still be parsing ahead)."""
    if worker is None:
        return
    pid, reader = worker
    reader.close()
    import signal  # only a run with workers pays for it

    with suppressed(OSError):
        os.kill(pid, signal.SIGKILL)
    with suppressed(OSError):
        os.waitpid(pid, 0)


def _pooled(
    chunks: Sequence[Sequence[Path | str]], workers: int, positions: bool = False
) -> Generator[list[SourceFile], None, None]:
    """Each chunk's files, in order, parsed by a pool of `workers` processes a few chunks
    ahead (where `_forked` cannot run)."""
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        pool = ProcessPoolExecutor(workers)
    except (OSError, NotImplementedError):
        pool = None
    import contextlib  # (here: a pool's run only; off the hook's start-up path)

    with pool if pool is not None else contextlib.nullcontext():
        pending: deque[Future[Any]] = deque()
        ahead = workers * 4
        for taken, paths in enumerate(chunks):
            try:
                while (
                    pool is not None and len(pending) < ahead and taken + len(pending) < len(chunks)
                ):
                    chunk = chunks[taken + len(pending)]
                    pending.append(pool.submit(_load_compact, chunk, positions))
                loaded = (
                    _rebuilt(paths, pending.popleft().result())
                    if pending
                    else _load_chunk(paths, positions)
                )
            except (OSError, BrokenProcessPool):
                # A worker died or none can start: parsing is pure, so this process does the
                # rest and the result is the same, only later.
                pool = None
                pending.clear()
                loaded = _load_chunk(paths, positions)
            yield loaded


def gc_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the cyclic garbage collector off.

    A lint run allocates millions of small acyclic objects (parsed YAML) that all stay alive
    until the report; each collection would walk them again for nothing (~10% of the time on
    10,000 files). Reference counting still frees everything as usual.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused
