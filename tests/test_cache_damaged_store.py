"""A result-cache store or whole-run record damaged on disk (a byte changed, the JSON still
JSON) is never replayed: each store line and each record's header carries the hash of its own
text (floe_lint.lint.lines.sealed, floe_lint.lint.whole_record), so a damaged line is no entry
(its file is checked again) and a damaged record is no record (the run is made again). Before,
a finding's text damaged in the store was printed as stored, and a record whose `"code":1` read
`"code":0` replayed a failing run as a pass (red team rt2)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.lint import cache
from floe_lint.lint import whole as whole_run
from tests.conftest import check, write_files

FILES = {
    "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
    "products/a/floe.yaml": "name: a\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: spark}]\n",
    "products/b/floe.yaml": "name: b\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/b/, compute: duckdb}]\n",
}
FINDING = (
    "products/a/floe.yaml:3:52: ERROR FL201 [compute-not-approved] transform 'models/a/' "
    "selects compute 'spark', which platform manifest manifest.yaml does not approve (no level "
    "of the hierarchy approves it); approved: duckdb\n"
)


def _filled(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """A tree in `root/ws` whose cache (`root/cache`) holds a store and a whole-run record;
    the cold run's answer."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(root / "cache"))
    write_files(root / "ws", FILES)
    monkeypatch.chdir(root / "ws")
    cold = check("--no-cache", ".")
    assert cold[0] == 1 and cold[1] == FINDING, cold
    assert check(".") == cold
    assert check(".") == cold
    return cold


def _store() -> Path:
    (found,) = [
        path
        for path in cache.directory().glob("results-*.json")
        if not path.name.startswith(whole_run.PREFIX)
    ]
    return found


def _record() -> Path:
    (found,) = cache.directory().glob(f"{whole_run.PREFIX}*.json")
    return found


def test_a_finding_damaged_in_the_store_is_not_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _filled(tmp_path, monkeypatch)
    _record().unlink()  # (the per-file store alone)
    store = _store()
    raw = store.read_bytes()
    assert raw.count(b"selects compute") == 1
    store.write_bytes(raw.replace(b"selects compute", b"selects COMPUTE"))  # still JSON
    assert check(".") == cold
    assert check(".") == cold


def test_a_failing_run_damaged_into_a_pass_in_its_record_is_not_replayed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _filled(tmp_path, monkeypatch)
    record = _record()
    raw = record.read_bytes()
    assert raw.count(b'"code":1,') == 1 and raw.count(b"selects compute") == 1
    record.write_bytes(raw.replace(b'"code":1,', b'"code":0,'))  # one bit
    assert check(".") == cold
    record = _record()
    record.write_bytes(record.read_bytes().replace(b"selects compute", b"selects COMPUTE"))
    assert check(".") == cold


@settings(max_examples=25, deadline=None)
@given(
    which=st.sampled_from(["store", "record"]),
    damage=st.lists(
        st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), st.integers(1, 255)),
        min_size=1,
        max_size=3,
    ),
)
def test_a_run_over_a_store_damaged_at_random_bytes_prints_what_a_cold_run_prints(
    which: str, damage: list[tuple[float, int]]
) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as monkeypatch:
        cold = _filled(Path(folder), monkeypatch)
        path = _store() if which == "store" else _record()
        raw = bytearray(path.read_bytes())
        for at, flip in damage:
            raw[int(at * len(raw))] ^= flip  # (a changed byte, never the same one)
        path.write_bytes(bytes(raw))
        assert check(".") == cold
        assert check(".") == cold


def test_an_absent_file_damaged_in_its_record_is_not_replayed_once_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record's lines after its header are sealed too (the last line: a hash of every line
    before it): `/abs/floe.lock` damaged into `/abs/floe.lodk` on an `absent` line replayed the
    run after that floe.lock was created, a broken pin in it and not reported."""
    cold = _filled(tmp_path, monkeypatch)
    record = _record()
    lock = tmp_path / "ws/products/a/floe.lock"
    line = (str(lock).encode() + b'"').replace(b"\\", b"\\\\")
    raw = record.read_bytes()
    assert raw.count(b"\n" + b'"' + line) == 1, raw  # (an `absent` line of its own)
    record.write_bytes(raw.replace(line, line.replace(b'floe.lock"', b'floe.lodk"')))
    lock.write_text("not json", "utf-8")  # a broken pin
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    fresh = check(".")
    monkeypatch.delenv(cache.DISABLE_ENV)
    stale = (
        "products/a/floe.yaml:2:17: ERROR FL306 [lock-stale] products/a/floe.lock: not valid JSON"
    )
    assert fresh[0] == cold[0] and fresh[1].startswith(stale + " ("), fresh
    assert check(".") == fresh
    assert check(".") == fresh
