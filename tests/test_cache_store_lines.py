"""The result cache's store keeps each entry on a line of its own, so that a run replaying most
files writes their lines as it read them (floe_lint.lint.cache.Store): whatever was stored, and
whichever entries a run keeps, replaces or adds, the file read back holds exactly the entries
the run wrote, and a store in another layout (or not ours) is never copied from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.lint import cache

KEYS = st.one_of(
    st.sampled_from(["/ws/a/floe.yaml", "/ws/b/manifest.yaml", "/ws/c d/floe.yaml"]),
    st.text(max_size=12),  # quotes, backslashes, line breaks, non-ASCII: written escaped
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
ENTRIES = st.dictionaries(KEYS, st.dictionaries(st.sampled_from(["h", "f", "deps"]), VALUES))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=ENTRIES,
    kept=st.lists(st.booleans(), max_size=12),
    made=ENTRIES,
    layout=st.sampled_from(["lines", "one line", "indented"]),
)
def test_a_store_read_back_holds_exactly_what_the_run_wrote(
    tmp_path_factory: pytest.TempPathFactory,
    first: dict[str, dict[str, object]],
    kept: list[bool],
    made: dict[str, dict[str, object]],
    layout: str,
) -> None:
    folder = Path(tmp_path_factory.mktemp("store"))
    store = cache.Store(folder, "k")
    store.written = first
    store.save()
    if layout != "lines":  # a store written otherwise (an older floe-lint, by hand)
        document = {"version": cache.STORE_VERSION, "entries": first}
        store.path.write_text(json.dumps(document, indent=2 if layout == "indented" else None))
    again = cache.Store(folder, "k")
    again.load()
    # a store in another layout is not read (its files are checked again)
    assert dict(again.entries.items()) == (first if layout == "lines" else {})
    # the run replays some entries (as read) and makes others
    for (key, _), keep in zip(again.entries.items(), kept, strict=False):
        if keep:
            again.written[key] = cache.AS_READ
    again.written.update({key: dict(entry) for key, entry in made.items()})
    expected = json.loads(json.dumps({k: again.entry(k) for k in again.written}))
    again.save()
    last = cache.Store(folder, "k")
    last.load()
    assert dict(last.entries.items()) == expected
    assert _unsealed(json.loads(last.path.read_text("utf-8"))["entries"]) == expected


def _unsealed(entries: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    """The entries of a store's JSON without each line's seal (`floe_lint.lint.lines.sealed`)."""
    return {key: {k: v for k, v in entry.items() if k != "#"} for key, entry in entries.items()}


def _sealed(line: str) -> str:
    return cache.sealed(line)


def test_a_replayed_entry_is_written_as_it_was_read(tmp_path: Path) -> None:
    store = cache.Store(tmp_path, "k")
    store.written = {"/ws/a/floe.yaml": {"h": "1", "f": []}, "/ws/b/floe.yaml": {"h": "2"}}
    store.save()
    text = store.path.read_text("utf-8")
    assert text.splitlines()[1:3] == [
        _sealed('"/ws/a/floe.yaml":{"h":"1","f":[]}') + ",",
        _sealed('"/ws/b/floe.yaml":{"h":"2"}'),
    ]
    again = cache.Store(tmp_path, "k")
    again.load()
    again.written = {"/ws/a/floe.yaml": cache.AS_READ}
    again.written["/ws/c/floe.yaml"] = {"h": "3"}
    again.save()
    assert again.path.read_text("utf-8").splitlines() == [
        f'{{"version":{cache.STORE_VERSION},"entries":{{',
        _sealed('"/ws/a/floe.yaml":{"h":"1","f":[]}') + ",",
        _sealed('"/ws/c/floe.yaml":{"h":"3"}'),
        "}}",
    ]


def test_a_store_whose_lines_do_not_hold_one_entry_each_is_not_read(
    tmp_path: Path,
) -> None:
    """An entry's key ends the line above it: not a store of this layout, so not read (its
    files are checked again), and the run's entries replace it."""
    store = cache.Store(tmp_path, "k")
    a, b = _sealed('"a":{"h":1}'), _sealed('"b":{"h":2}')[4:]
    store.path.write_text(f'{{"version":{cache.STORE_VERSION},"entries":{{\n{a},"b":\n{b}\n}}}}')
    store.load()
    assert len(store.entries) == 0 and store.entries.get("a") is None
    store.written = {"a": {"h": 1}, "b": {"h": 2}}
    store.save()
    again = cache.Store(tmp_path, "k")
    again.load()
    assert dict(again.entries.items()) == {"a": {"h": 1}, "b": {"h": 2}}
    assert again.entries.line("b") == _sealed('"b":{"h":2}')


def test_the_store_is_written_as_it_is_made(tmp_path: Path) -> None:
    """A first run's store is as large as its tree (6.8 MB at 10,000 products); its lines are
    written as they are made, never joined into one text nor encoded whole (with them joined,
    saving took about twice the store's size in memory)."""
    import tracemalloc

    import floe_lint.safe_write  # noqa: F401  (imported first: the peak is saving's, run alone too)

    store = cache.Store(tmp_path, "k")
    store.written = {
        f"/ws/p{i:05}/floe.yaml": {"h": f"{i:032x}", "f": ["x" * 900]} for i in range(2000)
    }
    tracemalloc.start()
    try:
        store.save()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = store.path.stat().st_size
    assert size > 1_900_000
    assert peak < size // 10, f"saving a {size}-byte store took {peak} bytes"
    again = cache.Store(tmp_path, "k")
    again.load()
    assert dict(again.entries.items()) == store.written


def test_a_store_is_read_a_line_at_a_time(tmp_path: Path) -> None:
    """A run that replays most of a large store (a manifest edited) reads each entry when it
    asks for it and writes its line back as read: the store is never held whole nor decoded
    whole (315 MB at 30,000 products when it was). One line the run made (a file checked
    again) replaces its entry; the rest is byte for byte as it was."""
    import tracemalloc

    store = cache.Store(tmp_path, "k")
    store.written = {
        f"/ws/p{i:05}/floe.yaml": {"h": f"{i:032x}", "f": ["x" * 800]} for i in range(4000)
    }
    store.save()
    before = store.path.read_bytes()
    size = len(before)
    assert size > 3_000_000
    tracemalloc.start()
    try:
        again = cache.Store(tmp_path, "k")
        again.load()
        for key in store.written:
            entry = again.entries.get(key)
            assert entry is not None and entry["h"] == store.written[key]["h"]
            again.written[key] = cache.AS_READ
        again.written["/ws/p00007/floe.yaml"] = {"h": "made"}
        again.save()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # (per entry: where its line lies, and the run's own table of what it wrote)
    assert peak < size // 2, f"replaying a {size}-byte store took {peak} bytes"
    after = store.path.read_bytes()
    old = '"/ws/p00007/floe.yaml":{"h":"00000000000000000000000000000007","f":["'
    old = _sealed(old + "x" * 800 + '"]}')
    made = _sealed('"/ws/p00007/floe.yaml":{"h":"made"}')
    assert after == before.replace(old.encode(), made.encode())
    assert again.entry("/ws/p00008/floe.yaml") == store.written["/ws/p00008/floe.yaml"]
    again.close()
    assert again.entries.get("/ws/p00008/floe.yaml") is None  # (closed: nothing read)


def test_a_store_is_never_written_through_a_link(tmp_path: Path) -> None:
    from floe_lint.safe_write import SymlinkRefused, write_chunks

    target = tmp_path / "elsewhere.txt"
    target.write_text("kept\n")
    link = tmp_path / "store.json"
    link.symlink_to(target)
    with pytest.raises(SymlinkRefused, match=r"store\.json is a symbolic link"):
        write_chunks(link, iter(["a", "b"]))
    assert target.read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.txt", "store.json"]
    plain = tmp_path / "plain.json"
    write_chunks(plain, iter(['{"a":', "1}"]))
    assert plain.read_text() == '{"a":1}'


def _index_bytes(folder: Path, count: int) -> int:
    """The bytes a loaded store of `count` small entries keeps (its index of lines)."""
    import tracemalloc

    store = cache.Store(folder, "k")
    store.written = {f"/ws/p{i:05}/floe.yaml": {"h": f"{i:032x}"} for i in range(count)}
    store.save()
    tracemalloc.start()
    try:
        again = cache.Store(folder, "k")
        again.load()
        kept = tracemalloc.get_traced_memory()[0]
        assert len(again.entries) == count
        assert again.entries.get("/ws/p00003/floe.yaml") == {"h": f"{3:032x}"}
    finally:
        tracemalloc.stop()
    again.close()
    return kept


def test_the_index_of_lines_takes_a_few_words_an_entry(tmp_path: Path) -> None:
    """Where each line lies, by its key's hash, is kept for the whole run: as a `dict` of two
    `int`s it took about 120 bytes an entry (issue 17, memory with the result cache on, fifth
    round); two arrays of machine words take 16."""
    small = _index_bytes(tmp_path / "small", 5000)  # (beyond `places.SMALL`: see there)
    large = _index_bytes(tmp_path / "large", 9000)
    per_entry = (large - small) / 4000
    assert per_entry < 40, (small, large)


@pytest.mark.parametrize("small", [0, 2, 4096])
def test_keys_of_the_same_hash_are_not_found(small: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two lines whose keys' hashes are the same: neither entry is found (their files are
    checked again), the others are, and the store's count is of the hashes; in a `dict` and
    in arrays alike (`SMALL`: the lines a `dict` indexes)."""
    from floe_lint.lint import places as module
    from floe_lint.lint.places import SHARED, Places

    monkeypatch.setattr(module, "SMALL", small)
    places = Places()
    for known, place in [(5, 50), (-3, 30), (5, 51), (9, 90), (5, 52), (-3 << 60, 1)]:
        places.add(known, place)
    places.frozen()
    assert [places.get(k) for k in (5, -3, 9, -3 << 60, 7)] == [SHARED, 30, 90, 1, None]
    assert len(places) == 4
    assert sorted(places.values()) == [SHARED, 1, 30, 90]
    assert Places().frozen().get(0) is None
