"""The content hash of a file's bytes, one function for the result cache (floe_lint.lint.cache)
and for a file it replays, which checks a late read against the hash the run saw
(floe_lint.load.document.LazySourceFile)."""

from __future__ import annotations

__all__ = ["blake2b", "digest"]

try:  # hashlib's own blake2b, without importing hashlib, which loads OpenSSL (2.5 ms)
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b


def digest(raw: bytes) -> str:
    return blake2b(raw, digest_size=16).hexdigest()
