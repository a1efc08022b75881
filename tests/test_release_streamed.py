"""A `check` over a tree releases each file once its single-file rules ran (issue 17, memory):

- what it prints is byte for byte what a run holding every document prints, in every format,
  with excerpts (which read released files again), suppression comments, a strict platform
  (whose controls are applied after the groups ran) and per-environment overlays in another
  group than their base, on random damaged trees;
- the files it holds at the end are the manifests' alone, however large the tree: removing
  the release, or holding the groups' documents anywhere, fails it;
- at most one group of files is held parsed at any time.
"""

from __future__ import annotations

import gc
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from floe_lint.cli import main
from floe_lint.config import Config
from floe_lint.lint import engine, stream
from floe_lint.load.document import Document
from floe_lint.load.retired import Retired
from tests.test_jobs_random_trees import damaged_corpus

DAMAGE = (
    lambda text: text[: len(text) // 2] + "\n  - [unclosed\n",
    lambda text: text + "name: again\n",
    lambda text: text.replace("transforms:", "secrets: {password: hunter2}\ntransforms:", 1),
    lambda text: text.replace("transforms:", "transfroms:", 1),
    lambda text: text.replace("compute: duckdb", "compute: snowflake", 1),
    lambda text: text.replace("compute: duckdb", "compute: duckdbb", 1),
    lambda text: "# floe-lint: disable-file=FL2 -- migrating\n" + text,
    lambda text: "# floe-lint: disable=FL999 -- nothing to silence\n" + text,
    lambda text: "just: [a, yaml, file]\n",
    lambda text: "",
)


def _check(root: Path, fmt: str, *extra: str, jobs: int = 1) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = ["check", str(root), "--no-cache", "--format", fmt, "--jobs", str(jobs), *extra]
    code = main(args, out, err)
    return code, out.getvalue(), err.getvalue()


def _holding(monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` as it ran before issue 17's release: every document held until the report."""
    run = engine.run

    def holding(*args: Any, **kwargs: Any) -> engine.Result:
        return run(*args, **{**kwargs, "release": False})

    monkeypatch.setattr(engine, "run", holding)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 100_000),
    products=st.integers(2, 24),
    damaged=st.integers(0, 8),
    overlays=st.integers(0, 3),
    strict=st.booleans(),
    group=st.integers(1, 8),
    jobs=st.integers(1, 2),
)
def test_a_released_run_prints_what_a_holding_run_prints(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    products: int,
    damaged: int,
    overlays: int,
    strict: bool,
    group: int,
    jobs: int,
) -> None:
    folder = tmp_path_factory.mktemp("release") / "repo"
    corpus = damaged_corpus(
        folder, products, seed, damaged, overlays, among="products", damage=DAMAGE
    )
    if strict:
        with corpus.enterprise.open("a", encoding="utf-8") as out:
            out.write("governance:\n  policy_enforcement_level: strict\n")
    monkeypatch.chdir(corpus.root.parent)
    with monkeypatch.context() as patch:
        patch.setattr(stream, "GROUP", group)  # many groups: overlays apart from their base
        released = [  # (with 2 jobs: parsed by a worker process, `Workspace.adopt`)
            _check(Path("repo"), fmt, *extra, jobs=jobs)
            for fmt, extra in (("text", ("--show-source",)), ("json", ()), ("sarif", ()))
        ]
    _holding(monkeypatch)
    held = [
        _check(Path("repo"), fmt, *extra)
        for fmt, extra in (("text", ("--show-source",)), ("json", ()), ("sarif", ()))
    ]
    assert released[0][0] in (0, 1), released[0][2]
    assert released == held


def _store(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def _cached(where: str, store: Path, hold: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A `check` of `where` (paths in the workspace `repo`) with the result cache in `store`
    (copied to a folder of the same name each time: the store's names do not depend on it),
    holding or releasing; what it printed and the store it left."""
    import shutil

    cache = Path("cache").absolute()
    shutil.rmtree(cache, ignore_errors=True)
    if store.exists():
        shutil.copytree(store, cache)
    with monkeypatch.context() as patch:
        patch.setenv("FLOE_LINT_CACHE_DIR", str(cache))
        patch.delenv("FLOE_LINT_NO_CACHE", raising=False)
        patch.setattr(stream, "GROUP", 3)
        if hold:
            _holding(patch)
        out, err = io.StringIO(), io.StringIO()
        args = ["check", *where.split(), "--workspace", "repo", "--format", "json", "--jobs", "1"]
        code = main(args, out, err)
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(cache, store)
    return code, out.getvalue(), err.getvalue(), _store(store)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 100_000),
    products=st.integers(2, 16),
    damaged=st.integers(0, 5),
    # the workspace (no dependents to search), its products (a search that finds no manifest
    # among them), a domain's manifests first (a search: the run stops and holds every file)
    where=st.sampled_from(["repo", "repo/products", "repo/platform/domains repo/products"]),
)
def test_a_released_run_stores_what_a_holding_run_stores(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    products: int,
    damaged: int,
    where: str,
) -> None:
    """With the result cache: a cold run, then one after a product and a domain manifest
    changed, print and store byte for byte the same whether files are released or held."""
    base = tmp_path_factory.mktemp("cached")
    corpus = generate(base / "repo", products, seed)
    rng = random.Random(seed)
    for path in rng.sample(corpus.products, min(damaged, len(corpus.products))):
        path.write_text(rng.choice(DAMAGE)(path.read_text("utf-8")), "utf-8")
    monkeypatch.chdir(base)
    runs = {hold: _cached(where, base / f"store-{hold}", hold, monkeypatch) for hold in (0, 1)}
    assert runs[0][0] in (0, 1), runs[0][2]
    assert runs[0] == runs[1] and runs[0][3]
    product = rng.choice(corpus.products)
    product.write_text(product.read_text("utf-8") + "# changed\n", "utf-8")
    domain = corpus.parents(product)[0]
    domain.write_text(domain.read_text("utf-8") + "# changed\n", "utf-8")
    again = {hold: _cached(where, base / f"store-{hold}", hold, monkeypatch) for hold in (0, 1)}
    assert again[0] == again[1]


def _tree(tmp_path: Path, products: int) -> Path:
    corpus = generate(tmp_path / f"repo{products}", products, 7)
    for path in corpus.products[::3]:  # findings in a third of the products
        text = path.read_text("utf-8")
        path.write_text(text.replace("compute: duckdb", "compute: duckdbb", 1), "utf-8")
    return corpus.root


def _held_after(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, int, int]:
    """(files the run holds at its end, files it checked, its findings, paths it keys)."""
    monkeypatch.chdir(root)
    monkeypatch.setattr(stream, "GROUP", 8)
    result = engine.run([Path(".")], Config(), jobs=2, release=True)
    held = [f for f in result.files if f.documents and not f.released]
    assert all(any(d.kind == "manifest" for d in f.documents) for f in held)
    # one path object per file held, shared by its documents (not a second one from the
    # worker); a file released and retired keeps its path as text, and makes it when asked
    held_files = [f for f in result.files if not isinstance(f, Retired)]
    assert all(doc.path is f.path for f in held_files for doc in f.documents)
    assert all(doc.path == f.path for f in result.files for doc in f.documents)
    assert result.hierarchy is not None
    keyed = len(result.hierarchy.workspace._keys)
    return len(held), len(result.files), len(result.findings), keyed


def test_the_files_held_do_not_grow_with_the_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = _held_after(_tree(tmp_path, 20), monkeypatch)
    large = _held_after(_tree(tmp_path, 80), monkeypatch)
    assert large[1] == small[1] + 60 and large[2] > small[2] > 0
    assert large[0] == small[0] == 11  # the enterprise's and the domains' manifests
    # one key per file: not one more per product for the spelling of its platform ref
    assert large[3] - small[3] == 0  # (a file released is keyed as text: `Workspace.retire`)


def test_a_cached_run_holds_no_more(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the result cache, what its record needs of each file is noted before the file is
    released (none is read again to record it), and no file's bytes are kept to hash it."""
    root = _tree(tmp_path, 40)
    monkeypatch.chdir(root)
    monkeypatch.setattr(stream, "GROUP", 8)
    result = engine.run([Path(".")], Config(), jobs=1, release=True, cache_dir=tmp_path / "c")
    held = [f for f in result.files if f.documents and not f.released]
    assert len(held) == 11 and len(result.files) == 51
    assert result.replay is not None and not result.replay._raw
    # the 40 products retired: their entries were written out as made (floe_lint.lint.spill)
    assert len(result.replay.store.written) == 11 and result.replay.spill.count == 40
    assert len(json.loads(result.replay.store.path.read_text())["entries"]) == 51


def test_a_folder_of_products_is_released_though_its_manifests_are_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check products/` in a larger workspace searches dependents only for a manifest it was
    given: with none among its files, they are released as for the whole workspace; given one,
    the run stops before any rule and holds every file (its dependents are searched first)."""
    root = _tree(tmp_path, 40)
    monkeypatch.chdir(root)
    monkeypatch.setattr(stream, "GROUP", 8)
    result = engine.run([Path("products")], Config(), jobs=1, release=True, dependents_root=root)
    held = [f for f in result.files if f.documents and not f.released]
    assert len(result.files) == 51 and len(held) == 11  # the manifests its products reach
    given = [Path("products"), Path("platform/domains")]
    result = engine.run(given, Config(), jobs=1, release=True, dependents_root=root)
    assert len(result.files) == 51
    assert not any(f.released for f in result.files)


def _parsed_documents() -> int:
    """Documents alive now whose data is held (a released one's is not; asking its slot
    directly does not read it again)."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is Document and _held(o) and o.kind)


def _held(doc: Document) -> bool:
    try:
        Document.__dict__["data"].__get__(doc, Document)
    except AttributeError:
        return False
    return True


def test_at_most_one_group_is_held_while_rules_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted at every group: the documents held then are one group's and the manifests'."""
    root = _tree(tmp_path, 60)
    monkeypatch.chdir(root)
    monkeypatch.setattr(stream, "GROUP", 5)
    counts: list[int] = []
    check = stream.Stream.check

    def counting(self: stream.Stream, keys: Any) -> None:
        check(self, keys)
        counts.append(_parsed_documents())

    monkeypatch.setattr(stream.Stream, "check", counting)
    engine.run([Path(".")], Config(), jobs=1, release=True)
    assert len(counts) >= 10
    # the manifests (11) and the next group's files, parsed before its check (up to a folder)
    assert max(counts) <= 11 + 2 * 5, counts


def test_a_released_file_is_read_again_only_unchanged(tmp_path: Path) -> None:
    from floe_lint.load.document import ChangedWhileChecked, load

    path = tmp_path / "floe.yaml"
    path.write_text("name: orders  # floe-lint: disable=FL201\nitems: [a, {b: c}]\n", "utf-8")
    source = load(path)
    data, spans = source.documents[0].data, source.documents[0].spans
    assert source.release()
    assert source.released and source.mentions("floe-lint:")
    other = load(path)
    other.text = other.text.replace("floe-lint:", "elsewhere")  # as if written without one
    assert other.release() and not other.mentions("floe-lint:") and other.released
    assert source.documents[0].data == data  # read again, the same
    assert source.documents[0].spans == spans and not source.released
    assert source.release()
    path.write_text("name: orders\nitems: [a, {b: d}]\n", "utf-8")
    with pytest.raises(ChangedWhileChecked) as raised:
        source.documents[0].data  # noqa: B018
    assert raised.value.filename == str(path)
    assert "changed while floe-lint checked it" in str(raised.value)


def test_a_released_file_knows_whether_it_holds_a_suppression_comment() -> None:
    """The marker `suppressions.directives` asks a released file about is one it remembers,
    so a tree without suppression comments is not read again for them."""
    from floe_lint.lint.suppressions import _MARKER
    from floe_lint.load import document

    assert _MARKER in document._NEEDLES


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.one_of(st.integers(), st.text("ab: #&*-\n'\"", max_size=6), st.booleans()),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text("abc", max_size=3), inner)
        ),
        max_leaves=12,
    ),
    st.sampled_from([False, True, None]),
    st.booleans(),
)
def test_places_found_again_are_the_places_found_first(
    value: Any, flow: bool | None, anchors: bool
) -> None:
    """After a release, each node's place (looked up alone, as a finding's is) and the data,
    read again from the file, are those the file gave when it was loaded."""
    import copy
    import tempfile

    import yaml

    from floe_lint.load.document import load

    # the same list or mapping twice is dumped with an anchor and an alias, which is placed
    # where it is written: the same again
    twice = value if anchors else copy.deepcopy(value)
    text = yaml.safe_dump({"root": value, "again": twice}, default_flow_style=flow)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "floe.yaml"
        path.write_text(text, "utf-8")
        first = load(path)
        eager = [(dict(doc.spans), doc.data) for doc in first.documents]
        again = load(path)
        assert again.release()
        for (spans, data), doc in zip(eager, again.documents, strict=True):
            for pointer, place in spans.items():
                assert doc.span(pointer) == place.value
                assert doc.span(pointer, "key") == (place.key or place.value)
            assert doc.data == data


def test_resolving_files_remembers_their_folders_not_their_names(tmp_path: Path) -> None:
    """The symlink memo holds a folder shared by many files once, and no file's own name:
    such an entry per file of a run would grow with the tree and save nothing."""
    from floe_lint.load import paths

    folder = tmp_path / "many"
    folder.mkdir()
    paths.forget_links()
    for number in range(50):
        (folder / f"f{number}.yaml").write_text("a: 1\n", "utf-8")
        assert paths.real(folder / f"f{number}.yaml") == (folder / f"f{number}.yaml").resolve()
    assert str(folder) in paths._is_link
    assert not any(name.endswith(".yaml") for name in paths._is_link)
