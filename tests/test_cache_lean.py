"""What the result cache does without the modules it no longer imports at start-up (issue 17):
its content hash is hashlib's blake2b (16 bytes), taken from `_blake2` so that the pre-commit
hook never imports hashlib and OpenSSL (stores written before stay valid); the libraries of its
key are found as `importlib.util.find_spec` finds them, without importing importlib.util."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.lint.cache import _find_spec, digest


@given(st.binary(max_size=4096))
def test_digest_is_hashlibs_blake2b(raw: bytes) -> None:
    assert digest(raw) == hashlib.blake2b(raw, digest_size=16).hexdigest()


def test_a_known_digest() -> None:
    assert digest(b"floe") == hashlib.blake2b(b"floe", digest_size=16).hexdigest()
    assert len(digest(b"")) == 32


NAMES = ["yaml", "jsonschema", "floe_lint", "json", "sys", "_blake2", "pytest", "no_such_pkg_x"]


@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4))
def test_find_spec_is_importlibs(names: list[str]) -> None:
    """Imported or not (a name is dropped from sys.modules and found again), built in, absent."""
    for name in names:
        ours, theirs = _find_spec(name), importlib.util.find_spec(name)
        assert (ours is None) is (theirs is None)
        if ours is not None:
            assert (ours.name, ours.origin) == (theirs.name, theirs.origin)
            assert ours.submodule_search_locations == theirs.submodule_search_locations


def test_find_spec_of_a_module_not_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lean_probe_pkg").mkdir()
    (tmp_path / "lean_probe_pkg" / "__init__.py").write_text("")
    (tmp_path / "lean_probe_mod.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("lean_probe_pkg", "lean_probe_mod"):
        assert name not in sys.modules
        ours, theirs = _find_spec(name), importlib.util.find_spec(name)
        assert ours is not None and theirs is not None
        assert (ours.origin, ours.submodule_search_locations) == (
            theirs.origin,
            theirs.submodule_search_locations,
        )
