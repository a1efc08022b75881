"""The parses a run filling the result cache keeps (floe_lint.lint.parsed, `Kept`): what parsing
notes of a file's data (`SourceFile.plain`) is what walking the data says, in this process and
from a parse worker; a file of kept parses that is not ours builds nothing (the files are
parsed, the output is a cold run's); a file saved while the filling run checked it keeps no
parse of the text it no longer has."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.lint import cache, parsed
from floe_lint.load import bulk, document
from tests.conftest import check, write_files
from tests.test_cache import tree
from tests.test_cache_edited_during_run import EDITOR_RULE
from tests.test_cache_parsed import SNIPPETS, values

SALES = "platform/sales/manifest.yaml"
P0 = "products/p0/floe.yaml"


def walked(source: document.SourceFile) -> bool:
    seen: set[int] = set()
    return all(parsed._plain(doc.data, seen) for doc in source.documents)


@settings(max_examples=300, deadline=None)
@given(
    data=values,
    style=st.sampled_from([None, True, False]),
    snippet=st.sampled_from(SNIPPETS),
)
def test_what_parsing_notes_of_the_data_is_what_walking_it_says(
    data: Any, style: bool | None, snippet: str
) -> None:
    try:
        dumped = yaml.safe_dump(data, default_flow_style=style, allow_unicode=True)
    except yaml.YAMLError:
        dumped = ""
    for text in (dumped, snippet + dumped, dumped + snippet):
        source = document.parse(Path("/ws/p/floe.yaml"), text.encode())
        if source.problems:
            continue  # (never stored, whatever the note)
        assert source.plain is walked(source), text
        encoded = parsed.encoded(source)
        source.plain = None  # the walk's verdict and encoding: the same text
        assert parsed.encoded(source) == encoded


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_parse_worker_sends_what_parsing_noted(tmp_path: Path, jobs: int) -> None:
    paths = []
    for number, snippet in enumerate(SNIPPETS):
        path = tmp_path / f"f{number}.yaml"
        path.write_text(snippet, "utf-8")
        paths.append(path)
    here = [document.load(path) for path in paths]
    (sent,) = list(bulk.load_groups([paths], jobs - 1))
    assert [s.plain for s in sent] == [s.plain for s in here]
    assert {s.plain for s in here} == {True, False}
    assert bulk._rebuilt(paths, bulk._load_compact(paths))[0].plain is True


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

    def counting(path: Path) -> document.SourceFile:
        seen.append(path.resolve().relative_to(root.resolve()).as_posix())
        return load(path)

    monkeypatch.setattr(document, "load", counting)
    return seen


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    path.write_text(path.read_text().replace(old, new))


def _kept_file() -> Path:
    (store,) = [
        p for p in cache.directory().glob("results-*.json") if not p.name.startswith("results-run")
    ]
    return parsed.Kept(store).path


def _lines(path: Path) -> dict[str, list[str]]:
    found = {}
    for line in path.read_text("ascii").splitlines():
        key, digest, name, text = line.split("\t", 3)
        found[json.loads(key)] = [digest, json.loads(name), text]
    return found


def _other_data(lines: dict[str, list[str]], key: str) -> str:
    """p0's line with the data of p2 (a parse, but not of p0's bytes)."""
    (p2,) = [k for k in lines if k.endswith("p2/floe.yaml")]
    digest, name, _ = lines[key]
    return f"{json.dumps(key)}\t{digest[::-1]}\t{json.dumps(name)}\t{lines[p2][2]}\n"


TAMPERED = {
    "empty": lambda lines, key: "",
    "not lines": lambda lines, key: "garbage\x00\n\t\t\t\n",
    "no parse": lambda lines, key: "".join(
        f"{json.dumps(k)}\t{d}\t{json.dumps(n)}\t{{}}\n" for k, (d, n, _) in lines.items()
    ),
    "not ascii": lambda lines, key: "".join(
        f"{json.dumps(k)}\t{d}\t{json.dumps(n)}\t{t.replace('spark', 'spärk')}\n"
        for k, (d, n, t) in lines.items()
    ),
    "another path": lambda lines, key: "".join(
        f"{json.dumps(k)}\t{d}\t{json.dumps(n + 'x')}\t{t}\n" for k, (d, n, t) in lines.items()
    ),
    "other bytes": _other_data,
    "cut short": lambda lines, key: "".join(
        f"{json.dumps(k)}\t{d}\t{json.dumps(n)}\t{t[: len(t) // 2]}\n"
        for k, (d, n, t) in lines.items()
    ),
}


@pytest.mark.parametrize("how", sorted(TAMPERED))
def test_kept_parses_that_are_not_ours_build_nothing(
    how: str, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check(".")
    kept = _kept_file()
    lines = _lines(kept)
    (key,) = [k for k in lines if k.endswith(P0)]
    kept.write_text(TAMPERED[how](lines, key), "utf-8")
    loads = _loads(monkeypatch, cached)
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    out = check(".")
    assert P0 in loads  # parsed, not built from the line
    assert out == check(".", "--no-cache")
    assert "products/p0/floe.yaml:5:" in out[1] and "compute 'spark'" in out[1]


def test_kept_parses_behind_a_link_are_neither_read_nor_written_through(
    cached: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    check(".")
    kept = _kept_file()
    planted = tmp_path / "planted.parses"
    kept.rename(planted)
    before = planted.read_bytes()
    kept.symlink_to(planted)
    loads = _loads(monkeypatch, cached)
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    out = check(".")
    assert {P0, "products/p1/floe.yaml"} <= set(loads)  # not built from the planted file
    assert out == check(".", "--no-cache")
    assert planted.read_bytes() == before


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_saved_while_the_filling_run_checked_it_keeps_no_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    workspace = tmp_path / "ws"
    write_files(workspace, tree())
    write_files(workspace, {"ci/rules/editor.py": EDITOR_RULE})
    (workspace / ".floe-lint.yaml").write_text("rule-folders: [ci/rules]\n", "utf-8")
    monkeypatch.chdir(workspace)
    check("--jobs", jobs, ".")  # fills the cache; p0 is saved with snowflake meanwhile
    lines = _lines(_kept_file())
    held = {Path(k).relative_to(workspace.resolve()).as_posix(): v for k, v in lines.items()}
    assert P0 not in held and "products/p1/floe.yaml" in held
    raw = (workspace / "products/p1/floe.yaml").read_bytes()
    assert held["products/p1/floe.yaml"][0] == cache.digest(raw)
    for old, new in (("[duckdb, spark]", "[duckdb]"), ("[duckdb]", "[duckdb, snowflake]")):
        _edit(workspace, SALES, old, new)
        out = check("--jobs", jobs, ".")
        assert out == check("--jobs", jobs, "--no-cache", ".")
    assert "products/p0/floe.yaml:5:" not in out[1]  # snowflake: approved now


def test_a_new_file_in_a_filled_tree_rewrites_no_kept_parse(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a run that fills an empty store keeps the parses of files no entry held: a run
    that replays the others (a hook's) does not rewrite the file of kept parses for a new
    product, whose next check for a manifest's sake keeps its parse then."""
    check(".")
    kept = _kept_file()
    before = kept.stat()
    write_files(cached, {"products/p3/floe.yaml": (cached / P0).read_text().replace("p0", "p3")})
    assert check(".") == check(".", "--no-cache")
    after = kept.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    loads = _loads(monkeypatch, cached)
    _edit(cached, SALES, "[duckdb, spark]", "[duckdb]")
    out = check(".")
    assert sorted(loads) == [SALES, "products/p3/floe.yaml"]  # p0 and p1 built
    assert out == check(".", "--no-cache")
    loads.clear()
    _edit(cached, SALES, "[duckdb]", "[duckdb, snowflake]")
    out = check(".")
    assert loads == [SALES]  # p3's parse kept the time before
    assert out == check(".", "--no-cache")
