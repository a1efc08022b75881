"""One pre-commit run, several hook processes: what concerns the whole commit is said once.

pre-commit splits the staged files into batches that fit one command line (about 128 KiB of
names) and starts the hook once per batch, one after another (`require_serial`). The manifests
a commit deletes or renames, and the files that still name them, concern the commit, not a
batch: the first process of a run reports them and checks those files; the others leave them
out. The first one leaves a marker in floe-lint's cache folder naming the run (the pre-commit
process that started the hook: its id and start time, and the repository) and the removals it
reported; a later process of the same run that finds that marker skips them.

Outside pre-commit (no `PRE_COMMIT=1`, such as `check --hook` typed in a shell), every run
reports them: nothing is ever hidden from a run that could be the only one.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

#: a marker is taken for the same run only while this young (seconds); older ones are removed
_FRESH = 3600
_PRUNE_AFTER = 86400
_PRUNE_AT_MOST = 256  # markers looked at per run, so a crowded folder costs little


def first_of_run(repository: Path, removals: str) -> bool:
    """Whether this process is the first of its pre-commit run to report `removals` (a text
    naming them) in `repository`. When anything is unknown or fails, True."""
    if os.environ.get("PRE_COMMIT") != "1":
        return True
    # (digest: blake2b, no OpenSSL)
    from floe_lint.lint.cache import checkout_holding, digest, directory, shared_with_others

    if checkout_holding(directory(), [repository], repository) is not None:
        return True  # a marker inside the checkout could be planted by what is committed
    if shared_with_others(directory()) is not None:
        return True  # and one in a folder others may write to, by another user
    parent = os.getppid()
    run = f"{repository}\0{parent}\0{_started(parent)}"
    folder = directory() / "hook-runs"
    marker = folder / digest(run.encode("utf-8", "surrogateescape"))
    content = digest(removals.encode("utf-8", "surrogateescape")).encode()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _same_run(marker, content):
            return False
        marker.unlink(missing_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(marker, flags, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        _prune(folder)
    except OSError:
        pass
    return True


def _same_run(marker: Path, content: bytes) -> bool:
    from floe_lint.load.reading import ReadError, read_regular

    try:
        if time.time() - os.lstat(marker).st_mtime > _FRESH:
            return False
        return read_regular(marker, 256, follow_symlinks=False) == content
    except (OSError, ReadError):
        return False


def _started(pid: int) -> str:
    """When process `pid` started (Linux: field 22 of /proc/PID/stat, in clock ticks since
    boot), so that a reused process id is another run; empty where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read(4096)
    except OSError:
        return ""
    fields = text[text.rfind(b")") + 2 :].split()  # the name, in parentheses, may hold spaces
    return fields[19].decode("ascii", "replace") if len(fields) > 19 else ""


def _prune(folder: Path) -> None:
    """Remove markers of runs long over (a few at a time)."""
    now = time.time()
    with os.scandir(folder) as entries:
        for count, entry in enumerate(entries):
            if count >= _PRUNE_AT_MOST:
                break
            try:
                if now - entry.stat(follow_symlinks=False).st_mtime > _PRUNE_AFTER:
                    os.unlink(entry.path)
            except OSError:
                continue
