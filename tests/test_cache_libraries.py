"""The result cache's key holds the libraries a finding depends on: PyYAML (how a file reads)
and jsonschema (what a schema finding says), and a third-party plugin's own files. An upgrade,
or an edit of an editable install, re-checks everything instead of replaying old answers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from floe_lint import entry_points
from floe_lint.lint import cache
from tests.conftest import check, write_files
from tests.test_cache import _parsed, cached, tree  # noqa: F401 (a fixture)


def test_the_key_lists_the_yaml_reader_and_the_schema_validator() -> None:
    cache.forget()
    listed = [entry[0] for entry in cache._installation() if isinstance(entry, list)]
    assert any(path.endswith("/yaml/__init__.py") for path in listed), listed[-5:]
    assert any(path.endswith("/jsonschema/__init__.py") for path in listed)
    assert sys.version in cache._installation()


def test_a_library_that_changed_re_checks_every_file(
    cached: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    library = tmp_path / "lib" / "fakeyaml"
    library.mkdir(parents=True)
    (library / "__init__.py").write_text("VERSION = 1\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    monkeypatch.setattr(cache, "_LIBRARIES", (*cache._LIBRARIES, "fakeyaml"))
    write_files(cached, tree())
    first = check(".")
    parsed = _parsed(monkeypatch, cached)
    assert check(".") == first and parsed == []  # replayed: nothing changed
    (library / "__init__.py").write_text("VERSION = 22\n", "utf-8")  # an upgrade
    assert check(".") == first
    assert len(set(parsed)) == len(tree())  # every file checked again


def test_a_third_party_plugins_own_files_are_in_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editable plugin edited in place keeps its name and version: its file is keyed."""
    module = tmp_path / "floe_compute_keyed.py"
    module.write_text("class KeyedPlugin:\n    name = 'keyed'\n", "utf-8")
    dist = tmp_path / "floe_compute_keyed-1.0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: floe-compute-keyed\nVersion: 1.0.0\n"
    )
    (dist / "entry_points.txt").write_text(
        "[floe_lint.compute]\nkeyed = floe_compute_keyed:KeyedPlugin\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    entry_points._declared_groups.cache_clear()  # the groups sys.path declares: asked again
    cache.forget()
    before = cache.run_key([])
    assert [str(module), len(module.read_bytes())] in [e[:2] for e in cache._plugins()]
    module.write_text("class KeyedPlugin:\n    name = 'keyed'  # edited\n", "utf-8")
    cache.forget()
    assert cache.run_key([]) != before
    monkeypatch.undo()  # sys.path as it was, and nothing remembered of the plugin
    entry_points._declared_groups.cache_clear()
    cache.forget()


def test_the_key_lists_each_bundled_schema_once() -> None:
    """An editable install maps floe_lint.schemas to the checkout's schemas/, outside the
    package's folder: a schema edited there replayed answers of the schema before (found by a
    helper whose edit took effect only with a fresh cache folder). A regular install has them
    inside the package: listed once."""
    import floe_lint.schemas

    cache.forget()
    listed = [entry[0] for entry in cache._installation() if isinstance(entry, list)]
    schemas = Path(next(iter(floe_lint.schemas.__path__)))
    floe = str(schemas / "floe.json")
    assert listed.count(floe) == 1, [path for path in listed if "schemas" in path][:5]
    data = [path for path in listed if Path(path).parent == schemas and "_data_" in path]
    assert data and len(data) == len(set(data)), data[:5]
