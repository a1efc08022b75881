"""A file's content at a git revision, read with `git show` (never a checkout, never a shell).

`impact` compares a manifest with its committed version. The revision is checked before use
(no option-like or control text reaches git), git runs with an argument list, and its output is
read up to the load limit only.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from floe_lint.load.reading import MAX_BYTES

GIT_TIMEOUT = 30.0

#: Every program a repository's own config could make git run is switched off: no transport
#: at all (a promisor remote's lazy fetch through an `ext::` URL would run its command; the
#: per-protocol keys are named too, since a repository's `protocol.ext.allow` would beat the
#: general one), no textconv, external diff, fsmonitor hook, pager or signature check.
_SETTINGS = (
    *(
        f"{key}=never"
        for key in (
            "protocol.allow",
            "protocol.ext.allow",
            "protocol.file.allow",
            "protocol.git.allow",
            "protocol.ssh.allow",
            "protocol.http.allow",
            "protocol.https.allow",
        )
    ),
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "log.showSignature=false",
    "diff.external=",
    "core.pager=cat",
)
_HARDENING = tuple(part for setting in _SETTINGS for part in ("-c", setting))


def git_command(folder: Path, *args: str) -> list[str]:
    """`git -C folder ARGS` with every repository-controlled program disabled."""
    return ["git", *_HARDENING, "-C", str(folder), *args]


def git_env() -> dict[str, str]:
    """The environment git runs in: no prompt, no lock, no lazy fetch, no transport at all
    (GIT_ALLOW_PROTOCOL overrides any protocol config of the repository)."""
    return {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_ALLOW_PROTOCOL": "none",
        "GIT_PAGER": "cat",
        "GIT_EXTERNAL_DIFF": "",
    }


class RevisionError(Exception):
    """The revision or the file at it cannot be read; the message says which and why."""


def _checked(rev: str) -> str:
    if not rev or rev.startswith("-") or any(ord(c) < 0x20 or c in ":\x7f" for c in rev):
        raise RevisionError(f"'{rev}' is not a git revision floe-lint accepts")
    return rev


def show(rev: str, path: Path) -> bytes:
    """The bytes of `path` at `rev`, from the repository that holds `path`."""
    rev = _checked(rev)
    spec = f"{rev}:./{path.name}"  # ./ : relative to the folder git runs in
    args = ("show", "--no-textconv", "--no-ext-diff", "--end-of-options", spec)
    return run_git(
        path.resolve().parent, args, f"{path} at {rev}", f"read {path} at revision {rev}"
    )


def show_in(root: Path, rev: str, relative: str) -> bytes:
    """The bytes of `relative` (a path from the repository's top, as git names it) at `rev`;
    for a file that no longer exists in the working tree (a staged deletion)."""
    rev = _checked(rev)
    args = ("show", "--no-textconv", "--no-ext-diff", "--end-of-options", f"{rev}:{relative}")
    return run_git(root, args, f"{relative} at {rev}", f"read {relative} at revision {rev}")


def run_git(folder: Path, args: tuple[str, ...], what: str, doing: str) -> bytes:
    """The output of hardened `git -C folder ARGS` (an argument list, never a shell), read up
    to the load limit; RevisionError when git fails, names `what` and says what it was doing."""
    try:
        process = subprocess.Popen(
            git_command(folder, *args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=git_env(),
        )
    except OSError as error:
        raise RevisionError(f"cannot run git to {doing}: {error}") from error
    assert process.stdout is not None and process.stderr is not None
    try:
        data = process.stdout.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            process.kill()
            raise RevisionError(f"{what} is larger than {MAX_BYTES} bytes")
        errors = process.stderr.read(4096).decode("utf-8", "replace")
        code = process.wait(timeout=GIT_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        process.kill()
        raise RevisionError(f"git took too long to {doing}") from error
    finally:
        process.stdout.close()
        process.stderr.close()
        if process.poll() is None:
            process.kill()
            process.wait()
    if code != 0:
        reason = errors.strip().splitlines()[-1] if errors.strip() else f"git exit {code}"
        raise RevisionError(f"cannot {doing}: {_printable(reason)}")
    return data


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
