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
from collections.abc import Callable, Generator, Sequence
from pathlib import Path

from floe_lint.load import document
from floe_lint.load.document import SourceFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ParamSpec, TypeVar

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


def load_all(paths: Sequence[Path], jobs: int) -> list[SourceFile]:
    """`document.load` of every path, in order, using up to `jobs` processes."""
    if jobs <= 1 or len(paths) < 2:
        return [document.load(path) for path in paths]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, min(CHUNK, len(paths) // (jobs * 4)))
    try:
        with ProcessPoolExecutor(min(jobs, len(paths))) as pool:
            return list(pool.map(document.load, paths, chunksize=chunk))
    except (OSError, NotImplementedError, BrokenProcessPool):
        # No worker processes here (a sandbox without semaphores, a killed worker): parsing is
        # pure, so doing it in this process gives the same result, only later.
        return [document.load(path) for path in paths]


def _load_chunk(paths: Sequence[Path]) -> list[SourceFile]:
    return [document.load(path) for path in paths]


def _load_compact(paths: Sequence[Path]) -> Any:
    """`_load_chunk` in a worker, sent back compact: each file's text and its documents'
    index, data and kind written by `marshal` (plain data only; several times cheaper to write
    and read than pickled `SourceFile`s and `Document`s, whose fields this process sets again:
    `_rebuilt`), the loader's problems pickled. `marshal` refuses a subclass of `str` or
    `dict`, so such a chunk is sent as it is: exactly what was parsed comes back."""
    sources = _load_chunk(paths)
    import marshal

    try:
        texts = marshal.dumps(
            [(s.text, [(d.index, d.data, d.kind) for d in s.documents]) for s in sources]
        )
    except ValueError:
        return sources
    return texts, [s.problems for s in sources]


def _rebuilt(paths: Sequence[Path], sent: Any) -> list[SourceFile]:
    """The files `_load_compact` sent, as `document.parse` made them in the worker."""
    if isinstance(sent, list):
        return sent
    import marshal

    from floe_lint.load.spans import FileSpans

    texts, problems = sent
    rebuilt = []
    for path, (text, docs), found in zip(paths, marshal.loads(texts), problems, strict=True):
        located = FileSpans(text)
        documents = [
            document.Document(path, index, data, text, kind=kind, located=located)
            for index, data, kind in docs
        ]
        rebuilt.append(SourceFile(path, text, documents, found))
    return rebuilt


def load_groups(
    groups: Sequence[Sequence[Path]], workers: int
) -> Generator[list[SourceFile], None, None]:
    """`document.load` of each group's paths, one group at a time and in order, in `workers`
    processes besides this one (0: in this one): the workers parse ahead by a few chunks only,
    so however many groups there are, only those few are held parsed and not yet taken.

    This process checks each group while the workers parse the next ones
    (floe_lint.lint.stream), so it counts as one of a run's `--jobs` processes: on 2 cores one
    worker parses while this process checks, and a second worker would only add what parallel
    parsing costs in CPU (a process forked, each file pickled and unpickled, the parser's memos
    warmed again) without shortening the run."""
    jobs = workers
    if jobs < 1 or sum(len(group) for group in groups) < 2:
        for group in groups:
            yield _load_chunk(group)
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = [
        (number, group[at : at + CHUNK])
        for number, group in enumerate(groups)
        for at in range(0, len(group), CHUNK)
    ]
    done: dict[int, list[SourceFile]] = {number: [] for number in range(len(groups))}
    taken = 0  # chunks whose files were handed to a group
    try:
        pool = ProcessPoolExecutor(jobs)
    except (OSError, NotImplementedError):
        pool = None
    with pool if pool is not None else _no_pool():
        pending: deque[Future[Any]] = deque()
        ahead = jobs * 4

        def submit() -> None:
            while pool is not None and len(pending) < ahead and taken + len(pending) < len(chunks):
                pending.append(pool.submit(_load_compact, chunks[taken + len(pending)][1]))

        current = 0
        while taken < len(chunks):
            number, paths = chunks[taken]
            try:
                submit()
                loaded = (
                    _rebuilt(paths, pending.popleft().result()) if pending else _load_chunk(paths)
                )
            except (OSError, BrokenProcessPool):
                # A worker died or none can start: parsing is pure, so this process does the
                # rest and the result is the same, only later.
                pool = None
                pending.clear()
                loaded = _load_chunk(paths)
            done[number].extend(loaded)
            taken += 1
            while current < len(groups) and (taken == len(chunks) or chunks[taken][0] > current):
                yield done.pop(current)
                current += 1


def _no_pool() -> Any:
    import contextlib

    return contextlib.nullcontext()


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
