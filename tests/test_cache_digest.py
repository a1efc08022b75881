"""The cache's content hash is hashlib's blake2b (16 bytes), taken from `_blake2` so that the
pre-commit hook never imports hashlib and OpenSSL: stores written before stay valid."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from floe_lint.lint.cache import digest


@given(st.binary(max_size=4096))
def test_digest_is_hashlibs_blake2b(raw: bytes) -> None:
    assert digest(raw) == hashlib.blake2b(raw, digest_size=16).hexdigest()


def test_a_known_digest() -> None:
    assert digest(b"floe") == hashlib.blake2b(b"floe", digest_size=16).hexdigest()
    assert len(digest(b"")) == 32
