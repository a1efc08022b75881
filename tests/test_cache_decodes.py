"""A run with the result cache decodes each store entry's line at most once (issue 17: since the
store is read a line at a time, a replayed entry was decoded three times a run, to tell that it
stands, to replay it and for the whole-run record, about a tenth of an edited run's
instructions), and what it prints and records is what it did (floe_lint.lint.standing)."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import generate
from floe_lint.cli import main
from floe_lint.findings import Edit, Finding, Fix, Location, Related, Span
from floe_lint.lint import cache, lines, stream, whole

#: (a checkout saved during the test must not make its runs miss the store: conftest)
pytestmark = pytest.mark.usefixtures("steady_installation")


def _check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


class _Counting:
    """`json` for floe_lint.lint.lines: counts the store lines decoded, by their entry's key."""

    def __init__(self) -> None:
        self.decoded: Counter[str] = Counter()

    def loads(self, text: str, **kwargs: Any) -> Any:
        found = json.loads(text, **kwargs)
        if isinstance(found, dict) and len(found) == 1:
            self.decoded.update(list(found))
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)

    def entry_of(self, line: str) -> Any:
        """`lines._entry_of`, the line's entry counted by its key (it scans a plain key's)."""
        self.decoded.update([lines._key(line.encode("utf-8"))])
        return _ENTRY_OF(line)


_ENTRY_OF = lines._entry_of


def _edit(manifest: Path, count: int) -> None:
    manifest.write_text(manifest.read_text("utf-8") + f"# edited {count}\n", "utf-8")


def _records(folder: Path) -> list[Any]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob(whole.PREFIX + "*"))]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_edited_run_decodes_each_entry_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    root = generate(tmp_path / "tree", 60, 4).root
    manifest = root / "platform" / "domains" / "finance" / "manifest.yaml"
    folder = tmp_path / "cache"
    monkeypatch.chdir(root)
    monkeypatch.setattr(stream, "GROUP", 8)
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    _check(".", "--jobs", jobs)  # fills the store
    _edit(manifest, 1)
    _check(".", "--jobs", jobs)  # keeps the dependents' parses
    _edit(manifest, 2)
    counting = _Counting()
    with monkeypatch.context() as patch:
        patch.setattr(lines, "json", counting)
        patch.setattr(lines, "_entry_of", counting.entry_of)
        printed = _check(".", "--jobs", jobs)
    files = len(list(root.rglob("*.yaml")))
    assert len(counting.decoded) == files  # every file's entry was asked for
    over = {key: n for key, n in counting.decoded.items() if n > 1}
    assert over == {}, f"{len(over)} of {files} entries decoded more than once: {over}"
    record = _records(folder)
    assert record
    # what it printed and recorded whole is what a run that reads the replayed entries again
    # for the record (as before) prints and records for the same content
    _edit(manifest, 3)
    _check(".", "--jobs", jobs)
    manifest.write_text(manifest.read_text("utf-8").replace("# edited 3\n", ""), "utf-8")
    from floe_lint.lint.standing import Standing  # (here: the assertions above come first)

    with monkeypatch.context() as patch:
        patch.setattr(Standing, "exact", lambda self, replayed: False)
        assert _check(".", "--jobs", jobs) == printed
    assert _records(folder) == record
    with monkeypatch.context() as patch:
        patch.setenv(cache.DISABLE_ENV, "1")
        assert _check(".", "--jobs", jobs) == printed


def test_a_product_edited_decodes_each_entry_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generate(tmp_path / "tree", 40, 5).root
    product = sorted((root / "products").rglob("floe.yaml"))[7]
    folder = tmp_path / "cache"
    monkeypatch.chdir(root)
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    _check(".", "--jobs", "1")
    _edit(product, 1)
    counting = _Counting()
    with monkeypatch.context() as patch:
        patch.setattr(lines, "json", counting)
        patch.setattr(lines, "_entry_of", counting.entry_of)
        printed = _check(".", "--jobs", "1")
    assert max(counting.decoded.values()) == 1
    with monkeypatch.context() as patch:
        patch.setenv(cache.DISABLE_ENV, "1")
        assert _check(".", "--jobs", "1") == printed


def test_a_replayed_finding_is_decoded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replayed entry's findings are made once, when it is found to stand, and kept as such
    until it is replayed (issue 17: they were decoded to tell that it is well formed, then kept
    as their JSON, about twice the `Finding`, and decoded again)."""
    root = generate(tmp_path / "tree", 40, 5).root
    product = sorted((root / "products").rglob("floe.yaml"))[7]
    monkeypatch.chdir(root)
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    _check(".", "--jobs", "1")
    _edit(product, 1)
    made: Counter[str] = Counter()
    decode = cache.decode

    def counted(data: dict[str, Any], paths: Any = None) -> Any:
        finding = decode(data, paths)
        made[f"{finding.location.path}:{finding.location.span}:{finding.message}"] += 1
        return finding

    with monkeypatch.context() as patch:
        patch.setattr(cache, "decode", counted)
        printed = _check(".", "--jobs", "1")
    assert made and max(made.values()) == 1, made.most_common(3)
    with monkeypatch.context() as patch:
        patch.setenv(cache.DISABLE_ENV, "1")
        assert _check(".", "--jobs", "1") == printed


def test_the_findings_of_an_entry_share_a_path_per_file() -> None:
    """The findings decoded from one entry hold one `Path` per file they name (their places,
    related places and fixes' edits), not one per place: a replayed run keeps them all."""
    here, there = Location(Path("p"), Span(1, 1, 1, 2), "/a"), Location(Path("m"), Span(2, 1, 2, 2))
    fix = Fix("safe", "t", (Edit(Path("p"), Span(1, 1, 1, 2), "x"),))
    stored = [
        cache.encode(Finding("FL1", "n", "error", "m", here, (Related(there, "r"),), fix=fix)),
        cache.encode(Finding("FL2", "n", "error", "m", here, (Related(here, "r"),))),
    ]
    found = cache.stored_findings(_entry(f=stored))
    assert found is not None and [cache.encode(f) for f in found] == stored
    at_p = [found[0].location.path, found[0].fix.edits[0].path, found[1].location.path]  # type: ignore[union-attr]
    at_p.append(found[1].related[0].location.path)
    assert {id(p) for p in at_p} == {id(at_p[0])} and at_p[0] == Path("p")
    assert found[0].related[0].location.path == Path("m")


def test_the_record_of_a_replayed_run_is_that_of_the_run_that_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole-run record a run that replayed every file writes from what the entries that
    stood noted is the one the run that checked them wrote."""
    from floe_lint.lint.standing import Standing

    root = generate(tmp_path / "tree", 30, 6).root
    folder = tmp_path / "cache"
    monkeypatch.chdir(root)
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    said: list[bool] = []
    exact = Standing.exact

    def telling(self: Standing, replayed: int) -> bool:
        said.append(exact(self, replayed))
        return said[-1]

    monkeypatch.setattr(Standing, "exact", telling)
    printed = _check(".")  # checks every file, and records the run whole
    record = _records(folder)
    assert record and said == [True]  # (nothing replayed: trivially)
    for path in folder.glob(whole.PREFIX + "*"):
        path.unlink()
    said.clear()
    assert _check(".") == printed  # replays every file
    assert said == [True]
    assert _records(folder) == record


_FINDING = Finding("FL1", "n", "error", "m", Location(Path("c"), Span(1, 1, 1, 2), "/a"))


def _entry(**parts: Any) -> dict[str, Any]:
    return {"rep": True, "exp": True, "deps": {}, "reach": [], "f": [], "strict": [], **parts}


def test_standing_keeps_what_a_replay_reads_and_tells_when_its_deps_are_the_records() -> None:
    from floe_lint.lint.parsed import PARSED
    from floe_lint.lint.standing import Ready, Standing

    noted = Standing()
    noted.note("a", _entry(deps={"m": "1", "a.lock": None}, **{PARSED: ["h", 2914, "t"]}))
    noted.note("b", _entry(rep=False, man=True, deps={"m": "1"}, reach=["c"]))
    found = cache.stored_findings(_entry(f=[cache.encode(_FINDING)]))
    assert found == [_FINDING]
    noted.note("c", _entry(exp=False, strict=["c"], **{PARSED: ["h", -3, "t"]}), found)
    noted.note("d", _entry(oci={"oci://x": ["d"]}, **{PARSED: ["h", "2", "t"]}))
    assert noted.take("a") == Ready(True, True, 2914, (), (), ())
    assert noted.take("a") is None  # (once)
    assert noted.take("b") == Ready(False, True, None, (), (), ["c"])
    assert noted.take("c") == Ready(True, False, -3, [_FINDING], ["c"], ())
    assert noted.take("d") == Ready(True, True, None, (), (), ())
    assert noted.take("e") is None
    assert noted.manifests == {"b"}
    assert noted.deps == {"m": "1", "a.lock": None} and noted.oci
    assert noted.exact(4) and not noted.exact(3)  # (an entry stood and was not replayed)
    noted.outside = True  # (a file replayed that the run did not find)
    assert not noted.exact(4)
