"""Red team of the result cache's sixth memory round (17d416e): the floe.lock noted absent
beside each file is kept as that file's key (`standing.add_deps`, the spill's summary), a
walk's listing keys its folders as shown (`walk.Beside.roots`), the files found are kept as
names and positions (`whole_record.Found`) and a served parse keeps its length and hash. A
floe.lock, a per-environment file or a first-sorting product added after the cache is full,
under every command form, must print what a cold run prints: a random sequence of such
edits (hypothesis) and each concrete case."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from floe_lint.lint import cache, stream
from tests.conftest import check, write_files
from tests.test_cache import tree

OVERLAY = "transforms:\n  - {path: models/b/, compute: snowflake}\n"
FIRST = (
    "name: a0\nplatform: {ref: ../../platform/sales/manifest.yaml}\n"
    "transforms:\n  - {type: dbt, path: models/a/, compute: snowflake}\n"
)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        path.rmdir()
    elif path.exists() or path.is_symlink():
        path.unlink()


#: edits of a workspace (its root given), each keeping the tree a valid one
EDITS: dict[str, Callable[[Path], None]] = {
    "bad floe.lock beside p1": lambda w: _write(w / "products/p1/floe.lock", "not json"),
    "bad floe.lock beside p0": lambda w: _write(w / "products/p0/floe.lock", "not json"),
    "empty floe.lock beside p1": lambda w: _write(w / "products/p1/floe.lock", "{}"),
    "bad floe.lock at the root": lambda w: _write(w / "floe.lock", "not json"),
    "bad floe.lock beside a domain": lambda w: _write(w / "platform/sales/floe.lock", "not json"),
    "drop floe.lock beside p1": lambda w: _remove(w / "products/p1/floe.lock"),
    "drop floe.lock at the root": lambda w: _remove(w / "floe.lock"),
    "overlay of p1": lambda w: _write(w / "products/p1/floe.prod.yaml", OVERLAY),
    "drop overlay of p1": lambda w: _remove(w / "products/p1/floe.prod.yaml"),
    "overlay of p2": lambda w: _write(w / "products/p2/floe.dev.yaml", OVERLAY),
    "a first-sorting product": lambda w: _write(w / "products/a0/floe.yaml", FIRST),
    "drop the first-sorting product": lambda w: _remove(w / "products/a0/floe.yaml"),
    "many names beside p1": lambda w: [
        _write(w / f"products/p1/note{n}.txt", "x") for n in range(40)
    ],
}

#: what each "drop" edit drops, made before the cache fills
DROPPED = {
    "drop floe.lock beside p1": "bad floe.lock beside p1",
    "drop floe.lock at the root": "bad floe.lock at the root",
    "drop overlay of p1": "overlay of p1",
    "drop the first-sorting product": "a first-sorting product",
}

FORMS = [
    (".",),
    ("products",),
    ("products/",),
    ("./products",),
    ("products", "platform"),
    ("products", "products/p1"),
    ("products/p1/floe.yaml", "products/p0/floe.yaml"),
    ("platform/sales/manifest.yaml",),
    (".", "--format", "json"),
    (".", "--select", "FL201"),
]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    root = tmp_path / "ws"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def _fresh(root: Path) -> None:
    cache.clean(cache.directory())
    for path in sorted(root.rglob("*"), key=lambda p: -len(p.parts)):
        _remove(path)
    write_files(root, tree())


def _same(form: tuple[str, ...], root: Path) -> None:
    args = tuple(str(root) if a == "ROOT" else a for a in form)
    cold = check(*args, "--no-cache")
    assert check(*args) == cold, form  # replays what did not change
    assert check(*args) == cold, form  # replays it whole


@pytest.mark.parametrize("group", [1, 256])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_each_edit_after_a_full_cache(
    workspace: Path, edit: str, group: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream, "GROUP", group)
    _fresh(workspace)
    if edit.startswith("drop"):  # what it drops is there when the cache fills
        EDITS[DROPPED[edit]](workspace)
    for form in FORMS:
        check(*form)
        check(*form)
    EDITS[edit](workspace)
    for form in FORMS:
        _same(form, workspace)


def test_a_bad_floe_lock_added_beside_a_product_replayed_whole_is_reported(
    workspace: Path,
) -> None:
    """The concrete case the kept key stands for: the record spells the floe.lock again
    (`whole._locks`), and the lock added is read, at its place."""
    _fresh(workspace)
    assert check(".")[0] == 0
    assert check(".")[0] == 0  # (replayed whole)
    _write(workspace / "products/p1/floe.lock", "not json")
    code, out, _ = check(".")
    assert code == 1
    assert out.startswith(
        "products/p1/floe.yaml:2:17: ERROR FL306 [lock-stale] products/p1/floe.lock: not valid"
    ), out
    assert (code, out) == check(".", "--no-cache")[:2]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=4),
    forms=st.lists(st.sampled_from([*FORMS, ("ROOT",)]), min_size=1, max_size=3),
    group=st.sampled_from([1, 2, 256]),
)
@example(edits=["bad floe.lock beside p0"], forms=[(".",), ("ROOT",)], group=1)  # CI, 12:55 UTC
def test_a_random_sequence_of_edits_prints_what_a_cold_run_prints(
    workspace: Path, edits: list[str], forms: list[tuple[str, ...]], group: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "GROUP", group)
        _fresh(workspace)
        for form in forms:
            check(*(str(workspace) if a == "ROOT" else a for a in form))
        for edit in edits:
            EDITS[edit](workspace)
            for form in forms:
                _same(form, workspace)
    assert os.getcwd() == str(workspace)


def test_a_floe_lock_message_is_spelt_as_this_run_spells_the_product(workspace: Path) -> None:
    """`check products/p1/..` spelt p0's floe.lock 'products/p1/../p0/floe.lock' in FL306's
    message when cold; replayed, it printed 'products/p0/floe.lock', the spelling of the run
    (`check .`) that stored p0's entry: the same exit, not the same bytes (an absolute root
    likewise). The message now spells it as findings spell paths, whatever the run was given."""
    _fresh(workspace)
    for form in [*FORMS[:4], ("products/p1/..",), *FORMS[4:]]:
        check(*form)
        check(*form)
    _write(workspace / "products/p0/floe.lock", "not json")
    for form in FORMS[:4]:
        _same(form, workspace)
    cold = check("products/p1/..", "--no-cache")
    assert "ERROR FL306 [lock-stale] products/p0/floe.lock: not valid JSON" in cold[1]
    assert check(str(workspace), "--no-cache") == cold
    _same(("ROOT",), workspace)  # hypothesis's case: '.' stored the entry, an absolute root replays
    assert check("products/p1/..") == cold
