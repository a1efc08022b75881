"""A file's parse across runs (floe_lint.lint.parsed): a file checked again only because a manifest
it depends on changed is built, the next time, from the parse stored with its entry; what is
built is exactly what parsing its bytes gives, and the output is a cold run's."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.lint import cache, parsed
from floe_lint.load import document
from floe_lint.load.document import SourceFile
from tests.conftest import check, write_files
from tests.test_cache import tree


def same(a: Any, b: Any) -> bool:
    """Equal, with the same type at every node (1 is not 1.0 nor True; a `Text` is not a str)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(
            type(k) is type(j) and same(a[k], b[j]) for k, j in zip(a, b, strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def assert_built_as_parsed(path: Path, raw: bytes) -> bool:
    """`built(encoded(parse))` is `parse` in every field rules read; whether it was encoded."""
    fresh = document.parse(path, raw)
    text = parsed.encoded(fresh)
    if text is None:
        return False
    served = parsed.built(path, raw, text)
    assert served is not None
    again = document.parse(path, raw)  # spans from a file no one asked yet
    assert type(served) is SourceFile and served.path is path
    assert served.text == again.text and served.problems == again.problems == []
    assert len(served.documents) == len(again.documents)
    for mine, theirs in zip(served.documents, again.documents, strict=True):
        assert (mine.path, mine.index, mine.kind, mine.text) == (
            theirs.path,
            theirs.index,
            theirs.kind,
            theirs.text,
        )
        assert same(mine.data, theirs.data)
        assert mine.spans == theirs.spans
        assert mine.located is served.documents[0].located  # one per file, as parse makes
    return True


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["2024-01-01", "yes", "0x1F", "1_000", "~", "0o17", ".inf", "1e3", "!x"]),
)
keys = st.one_of(st.text(max_size=8), st.integers(-3, 3), st.booleans(), st.none())
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)
SNIPPETS = [
    "a: &x {b: 1}\nc: *x\n",
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
    "when: 2024-01-01\n",
    "s: !!set {a, b}\n",
    "b: !!binary aGVsbG8=\n",
    "k: 1\nk: 2\n",
    "a: 1\n---\nb: 2\n",
    "---\n...\n---\na: 1\n",
    "x: .nan\n",
    "[1, 2]: v\n",
    "\ufeffname: bom\n",
    "a: !custom v\n",
    "t: !!str 12\nf: !!float 1\n",
    "",
    "# only a comment\n",
    "apiVersion: floe.dev/v1\nkind: Manifest\nscope: domain\nmetadata: {name: d}\n",
]


@settings(max_examples=200, deadline=None)
@given(
    data=values,
    style=st.sampled_from([None, True, False]),
    name=st.sampled_from(["floe.yaml", "manifest.yaml", "x.json", "notes.yml"]),
    snippet=st.sampled_from(SNIPPETS),
    tail=st.sampled_from(["", "\n# edited\n", "   \n"]),
)
def test_a_stored_parse_builds_what_parsing_the_bytes_builds(
    data: Any, style: bool | None, name: str, snippet: str, tail: str
) -> None:
    try:
        dumped = yaml.safe_dump(data, default_flow_style=style, allow_unicode=True)
    except yaml.YAMLError:
        dumped = ""
    path = Path("/ws/products/p") / name
    for text in (dumped + tail, snippet + tail, snippet + dumped):
        assert_built_as_parsed(path, text.encode("utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "when: 2024-01-01\n",  # a timestamp: a `Text` carrying PyYAML's date
        "s: !!set {a, b}\n",  # a `Set`
        "b: !!binary aGVsbG8=\n",
        "1: one\n",  # a key that is no text
        "x: .nan\n",
        "y: -.inf\n",
        "k: 1\nk: 2\n",  # a problem noted by loading
        "a: 1\n---\nb: 2\n",
        "a: [\n",
    ],
)
def test_a_parse_json_cannot_hold_exactly_is_not_stored(text: str) -> None:
    assert parsed.encoded(document.parse(Path("floe.yaml"), text.encode())) is None


def test_a_stored_parse_that_is_not_ours_is_refused() -> None:
    raw = b"a: 1\n"
    for text in ("{", "NaN", "[[0, NaN]]", "[[1, 2], [1, 3]]", '[["0", 1]]', "{}", "[[0]]"):
        assert parsed.built(Path("floe.yaml"), raw, text) is None, text


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    write_files(tmp_path / "ws", tree())
    monkeypatch.chdir(tmp_path / "ws")
    return tmp_path / "ws"


def _loads(monkeypatch: pytest.MonkeyPatch, root: Path) -> list[str]:
    seen: list[str] = []
    load = document.load

    def counting(path: Path) -> SourceFile:
        seen.append(path.resolve().relative_to(root.resolve()).as_posix())
        return load(path)

    monkeypatch.setattr(document, "load", counting)
    return seen


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    path.write_text(path.read_text().replace(old, new))


SALES = "platform/sales/manifest.yaml"


def test_a_dependent_checked_again_after_a_fill_is_built_from_the_fills_parse(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run that fills the cache keeps the parse of every file holding a Floe document, so
    even the first edit of a manifest builds its dependents instead of parsing them."""
    check(".")
    loads = _loads(monkeypatch, cached)
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    first = check(".")
    # the products of sales and the other manifests (checked again: a manifest's rules see
    # the whole run) are built from the parses the filling run kept: only the changed
    # manifest is parsed
    assert loads == [SALES]
    assert first == check(".", "--no-cache")
    assert "products/p0/floe.yaml:5:" in first[1] and "compute 'spark'" in first[1]
    loads.clear()
    _edit(cached, SALES, "[duckdb]", "[duckdb, snowflake]")
    second = check(".")
    assert loads == [SALES]  # and again
    assert second == check(".", "--no-cache")
    assert first != second


def test_a_dependent_checked_again_twice_is_parsed_once(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the fill's parses (a tree larger than `MAX_FILLED`), the first edit parses the
    dependents and keeps their parses, and the next builds them."""
    monkeypatch.setattr(parsed, "MAX_FILLED", 0)
    check(".")
    loads = _loads(monkeypatch, cached)
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    first = check(".")
    assert {"products/p0/floe.yaml", "products/p1/floe.yaml"} <= set(loads)
    loads.clear()
    _edit(cached, SALES, "[duckdb]", "[duckdb, snowflake]")
    second = check(".")
    assert loads == [SALES]
    assert second == check(".", "--no-cache")
    assert first != second
    assert "products/p0/floe.yaml:5:" in second[1] and "compute 'spark'" in second[1]


def test_a_dependent_whose_own_content_changed_is_parsed_again(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check(".")
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    check(".")
    loads = _loads(monkeypatch, cached)
    _edit(cached, SALES, "[duckdb]", "[duckdb, snowflake]")
    _edit(cached, "products/p1/floe.yaml", "compute: spark", "compute: snowflake")
    out = check(".")
    assert "products/p1/floe.yaml" in loads and "products/p0/floe.yaml" not in loads
    assert out == check(".", "--no-cache")
    assert "products/p0/floe.yaml:5:" in out[1] and "products/p1/floe.yaml:5:" not in out[1]


def test_which_files_keep_their_parse(cached: Path) -> None:
    check(".")
    # the filling run: every file holding a Floe document
    assert _holding(cached) == [
        "platform/enterprise/manifest.yaml",
        "platform/risk/manifest.yaml",
        SALES,
        "products/p0/floe.yaml",
        "products/p1/floe.yaml",
        "products/p2/floe.yaml",
    ]
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    _edit(cached, "products/p1/floe.yaml", "compute: spark", "compute: snowflake")
    check(".")
    # p0 (same bytes, its manifest changed), the manifests checked again and p2 (replayed)
    # keep theirs; not the changed manifest nor the changed p1 (their next edit changes them
    # again)
    assert _holding(cached) == [
        "platform/enterprise/manifest.yaml",
        "platform/risk/manifest.yaml",
        "products/p0/floe.yaml",
        "products/p2/floe.yaml",
    ]


def test_a_stored_parse_is_served_only_under_the_path_it_was_parsed_as(
    cached: Path,
) -> None:
    from floe_lint.lint.replay import Replay
    from floe_lint.load.workspace import Workspace

    raw = (cached / "products/p0/floe.yaml").read_bytes()
    key = str((cached / "products/p0/floe.yaml").resolve())
    text = parsed.encoded(document.parse(Path(key), raw))
    assert text is not None
    digest = cache.digest(raw)

    def stored(noted: str) -> cache.Store:
        """A store whose entry of `key` notes a parse kept of the bytes of hash `noted`."""
        written = cache.Store(cached.parent / "cache", "unit")
        written.written = {
            key: {"h": digest, parsed.PARSED: [noted, len(text), parsed.own_sum(text)]}
        }
        written.save()
        store = cache.Store(cached.parent / "cache", "unit")
        store.load()
        return store

    store = stored(digest)
    parsed.Kept(store.path).save({key: [digest, key, text]}, [])
    replay = Replay(store, Workspace())
    assert replay.servable(Path(key))
    assert not replay.servable(Path("products/p0/floe.yaml"))  # another spelling: parsed
    replay = Replay(stored(cache.digest(raw + b"\n")), Workspace())
    assert not replay.servable(Path(key))  # other bytes
    store = stored(digest)
    parsed.Kept(store.path).save({key: [cache.digest(raw + b"\n"), key, text]}, [])
    replay = Replay(store, Workspace())
    assert not replay.servable(Path(key))  # a line of other bytes (another run's)


EDITS = st.sampled_from(
    [
        (SALES, "[duckdb, spark]", "[duckdb]"),
        (SALES, "[duckdb]", "[duckdb, spark]"),
        (SALES, "default: duckdb", "default: spark"),
        (SALES, "default: spark", "default: duckdb"),
        (SALES, "\n", "\n# a comment\n"),
        ("platform/enterprise/manifest.yaml", ", snowflake]", "]"),
        ("platform/enterprise/manifest.yaml", "duckdb]", "duckdb, snowflake]"),
        ("products/p0/floe.yaml", "compute: spark", "compute: snowflake"),
        ("products/p0/floe.yaml", "compute: snowflake", "compute: spark"),
        ("products/p1/floe.yaml", "models/b/", "models/a/"),
        ("products/p1/floe.yaml", "name: p1", "name: p1\nwhen: 2024-01-01"),
        ("products/p1/floe.yaml", "name: p1", "name: p1\nname: p9"),
        ("products/p2/floe.yaml", "name: p2", "name: p2  # floe-lint: disable=FL201"),
    ]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(EDITS, min_size=2, max_size=6))
def test_runs_that_build_dependents_from_stored_parses_print_what_a_cold_run_prints(
    cached: Path, edits: list[tuple[str, str, str]]
) -> None:
    cache.clean(cache.directory())
    write_files(cached, tree())
    check(".")
    for name, old, new in edits:
        _edit(cached, name, old, new)
        cold = check(".", "--no-cache")
        assert check(".") == cold, (name, old, new)
        assert check(".") == cold, (name, old, new)


def test_a_floe_lock_created_beside_a_replayed_file_checks_it_again(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its absence is known from the run's walk (no read), its presence is read and hashed."""
    monkeypatch.setattr(parsed, "MAX_FILLED", 0)  # (so that a file checked again is parsed)
    check(".")
    (cached / "products/p0/floe.lock").write_text("{}\n")
    loads = _loads(monkeypatch, cached)
    out = check(".")
    assert "products/p0/floe.yaml" in loads and "products/p2/floe.yaml" not in loads
    assert out == check(".", "--no-cache")


def _holding(root: Path) -> list[str]:
    import json

    (store,) = [
        p for p in cache.directory().glob("results-*.json") if not p.name.startswith("results-run")
    ]
    entries = json.loads(store.read_text())["entries"]
    lines = {}  # the parses kept, beside the store: key -> content hash
    for line in parsed.Kept(store).path.read_text("ascii").splitlines():
        key, digest, _, _ = line.split("\t", 3)
        lines[json.loads(key)] = digest
    # an entry that says its parse is kept, and the line that holds it
    return sorted(
        Path(k).relative_to(root.resolve()).as_posix()
        for k, v in entries.items()
        if parsed.PARSED in v and lines.get(k) == v[parsed.PARSED][0]
    )


def test_the_parses_a_store_holds_are_bounded(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond `MAX_STORED` bytes of parses (those replayed entries keep count), a file checked
    again keeps none (a store too large to read would cost every file its replay); the output
    is the same."""

    def size(name: str) -> int:
        return len(parsed.encoded(document.parse(Path(name), (cached / name).read_bytes())) or "")

    enterprise, risk = "platform/enterprise/manifest.yaml", "platform/risk/manifest.yaml"
    room = size(enterprise) + size(risk) + size("products/p0/floe.yaml") + 10
    monkeypatch.setattr(parsed, "MAX_STORED", room)
    monkeypatch.setattr(parsed, "MAX_FILLED", 0)  # (parses kept when checked again only)
    check(".")
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    assert check(".") == check(".", "--no-cache")
    # checked again with the same bytes: the other manifests, p0 and p1; p1 finds no room
    assert _holding(cached) == [enterprise, risk, "products/p0/floe.yaml"]
    _edit(cached, "products/p2/floe.yaml", "compute: spark", "compute: snowflake")
    assert check(".") == check(".", "--no-cache")
    # p0 is replayed with its parse, which leaves no room for the sales manifest's
    assert _holding(cached) == [enterprise, risk, "products/p0/floe.yaml"]


def test_the_parses_a_filling_run_keeps_are_bounded(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run filling the cache holds the parses it keeps until it records them: it stops
    keeping them once they reach `MAX_FILLED` bytes; the output is the same."""
    monkeypatch.setattr(parsed, "MAX_FILLED", 1)
    cold = check(".", "--no-cache")
    assert check(".") == cold
    assert _holding(cached) == ["platform/enterprise/manifest.yaml"]  # the first parsed
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    assert check(".") == check(".", "--no-cache")
