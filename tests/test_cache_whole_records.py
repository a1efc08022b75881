"""A run stored whole whose record holds fields of the wrong type is not ours: the run is
made again, as without the store (issue 20: a mutation run found the type check unguarded)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from floe_lint.lint import cache, whole_record
from floe_lint.lint import whole as whole_run
from tests.conftest import check, write_files
from tests.store_text import line_of, rewrite_store

FILES = {
    "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
    "floe.yaml": "name: p\nplatform: {ref: manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: spark}]\n",
}


@pytest.mark.parametrize(
    "field",
    [
        {"out": 5},
        {"err": 5},
        {"code": "1"},
        {"out": None, "err": None},
        {"code": 1.0},
        # a hostile or corrupted store stopped the run: 'internal error: AttributeError'
        {"absent": [{}]},
        {"absent": [5]},
        {"absent": {"a": 1}},
        {"deps": []},
        {"deps": {"x": 5}},
        {"found": {}},
        {"found": [[{}, False, "x"]]},
        {"baseline": [5, 5]},
    ],
)
def test_a_whole_run_record_of_the_wrong_types_is_not_replayed(
    field: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "ws").mkdir()
    monkeypatch.chdir(tmp_path / "ws")
    write_files(tmp_path / "ws", FILES)
    cold = check(".")
    assert cold[0] == 1 and cold[1].startswith("floe.yaml:3:52: ERROR FL201"), cold
    (record,) = cache.directory().glob(f"{whole_run.PREFIX}*.json")
    data = json.loads(record.read_text("utf-8"))
    assert (data["out"], data["err"], data["code"]) == (cold[1], cold[2], 1)
    record.write_text(laid_out(data), "utf-8")  # (as the run wrote it: replayed)
    assert check(".") == cold and record.read_text("utf-8") == laid_out(data)
    record.write_text(laid_out({**data, **field}), "utf-8")
    assert check(".") == cold


def laid_out(data: dict[str, Any]) -> str:
    """A whole-run record's text as floe_lint.lint.whole_record lays it out, a part of the
    wrong type written on a line of its own."""
    parts = {name: data[name] for name in ("found", "deps", "absent")}
    header = {k: v for k, v in data.items() if k not in parts and k != "sealed"}
    lines: dict[str, list[str]] = {}
    for name, part in parts.items():
        if name == "deps" and isinstance(part, dict):
            lines[name] = [f"{json.dumps(k)}:{json.dumps(v)}" for k, v in part.items()]
        elif name != "deps" and isinstance(part, list):
            lines[name] = [json.dumps(item) for item in part]
        else:
            lines[name] = [json.dumps(part)]
    found, deps, absent = (",\n".join(lines[n]) + "\n" if lines[n] else "" for n in parts)
    head = whole_record.sealed_header(header)  # (its seal: a header of this text)
    body = f'{head},"found":[\n{found}],"deps":{{\n{deps}}},"absent":[\n{absent}'
    return "".join(whole_record.sealed_text([body]))  # (its last line: the seal of the rest)


@pytest.mark.parametrize(
    "field",
    [{"f": 5}, {"f": [5]}, {"deps": []}, {"reach": 5}, {"oci": []}, {"links": 5}, {"strict": 5}],
)
def test_a_stored_entry_of_the_wrong_types_is_checked_again(
    field: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A per-file entry whose parts are not of the types a run writes (a corrupted or planted
    store: `"f": 5` stopped the run with 'internal error: TypeError') is not replayed."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "ws").mkdir()
    monkeypatch.chdir(tmp_path / "ws")
    write_files(tmp_path / "ws", FILES)
    cold = check(".")
    assert cold[0] == 1 and cold[1].startswith("floe.yaml:3:52: ERROR FL201"), cold
    for record in cache.directory().glob(f"{whole_run.PREFIX}*.json"):
        record.unlink()  # the per-file store alone
    (store,) = cache.directory().glob("results-*.json")
    # sealed as a run seals it: the wrong types reach `cache.well_formed`
    rewrite_store(store, lambda key, entry: line_of(key, {**entry, **field}))
    assert check(".") == cold


LISTED_RULE = '''
"""Products must be named in allowed.txt beside this module.

Why: a test of the result cache.
"""
from pathlib import Path

ID, NAME, SEVERITY, SUBJECT = "ZZ902", "product-not-listed", "error", "product"


def check(product, ctx):
    if product.name not in (Path(__file__).parent / "lists/allowed.txt").read_text().split():
        yield ctx.finding(product, "/name", f"product {product.name!r} is not listed")
'''


@pytest.mark.parametrize("linked", [False, True])
@pytest.mark.parametrize("whole", [True, False])
def test_a_file_a_rule_module_reads_beside_it_is_a_key_of_the_cache(
    whole: bool, linked: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule folder's module reads lists/allowed.txt: once p is taken off the list, a run
    replayed the pass of the list before (its key hashed only the folder's `*.py`); and so it
    did when lists/ is a symbolic link to the platform team's policy folder (the rule folder's
    files were listed without following it)."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "ws").mkdir()
    monkeypatch.chdir(tmp_path / "ws")
    allowed = "policy/allowed.txt" if linked else "rules/lists/allowed.txt"
    files = {"rules/listed.py": LISTED_RULE, allowed: "p\nq\n"}
    write_files(tmp_path / "ws", {**FILES, **files, ".floe-lint.yaml": "rule-folders: [rules]\n"})
    if linked:
        (tmp_path / "ws/rules/lists").symlink_to("../policy", target_is_directory=True)
        (tmp_path / "ws/policy/loop").symlink_to("..", target_is_directory=True)
    assert "ZZ902" not in check(".")[1]
    write_files(tmp_path / "ws", {allowed: "q\n"})
    if not whole:
        for record in cache.directory().glob(f"{whole_run.PREFIX}*.json"):
            record.unlink()  # the per-file store alone
    code, out, err = check(".")
    assert out.splitlines()[0] == (
        "floe.yaml:1:7: ERROR ZZ902 [product-not-listed] product 'p' is not listed"
    )
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    assert check(".") == (code, out, err)
