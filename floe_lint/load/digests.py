"""The content hash of a file's bytes, one function for the result cache (floe_lint.lint.cache)
and for a file it replays, which checks a late read against the hash the run saw
(floe_lint.load.document.LazySourceFile)."""

from __future__ import annotations

__all__ = ["blake2b", "digest", "digest_listed"]

try:  # hashlib's own blake2b, without importing hashlib, which loads OpenSSL (2.5 ms)
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b


TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


def digest(raw: bytes) -> str:
    return blake2b(raw, digest_size=16).hexdigest()


def digest_listed(items: Iterable[str]) -> str:
    """`digest(("[" + ", ".join(items) + "]").encode())` (the `repr` of a list, given the
    `repr` of each item), hashed a batch of items at a time: not the whole text at once (of
    every file a run found, a first run's peak at 30,000 files, issue 17)."""
    made = blake2b(b"[", digest_size=16)
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == 512:
            made.update(", ".join(batch).encode())
            batch = [""]  # (the next batch starts with its separator)
    made.update(", ".join(batch).encode() + b"]")
    return made.hexdigest()
