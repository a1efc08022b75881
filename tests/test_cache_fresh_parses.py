"""The parses a run makes to keep (floe_lint.lint.parsed) are held as places in a temporary
file beyond a small run's worth (floe_lint.lint.fresh_parses): an edited domain's products held
about 2.2 KB of JSON text each to the end of the run (issue 17). What the run writes from
there is what it wrote holding them, and the next run builds its files from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import generate
from floe_lint.lint import cache, fresh_parses, parsed
from tests.conftest import check


def test_parses_made_by_an_edited_run_are_held_in_a_file_and_kept_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generate(tmp_path / "tree", 40, 4).root
    monkeypatch.chdir(root)
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    spilled, held = tmp_path / "spilled", tmp_path / "held"
    with monkeypatch.context() as filling:
        filling.setattr(parsed, "MAX_FILLED", 0)  # (no parse kept: the edit makes them)
        for folder in (spilled, held):
            filling.setenv(cache.CACHE_ENV, str(folder))
            check(".")
    manifest = root / "platform" / "domains" / "finance" / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "# edited\n", "utf-8")
    made: list[list[object]] = []
    served: list[int] = []
    save = parsed.Parses.save

    def saving(self: parsed.Parses) -> None:
        made.extend(parse[2:] for parse in self._made.values())
        served.append(self.served)
        save(self)

    monkeypatch.setattr(parsed.Parses, "save", saving)
    monkeypatch.setenv(cache.CACHE_ENV, str(held))
    printed = check(".")
    assert made and all(type(text) is str for (text,) in made)  # (a small run's: in memory)
    made.clear()
    monkeypatch.setattr(fresh_parses, "HELD", 0)
    monkeypatch.setenv(cache.CACHE_ENV, str(spilled))
    assert check(".") == printed
    # every text held as its place in the file, not as itself (on main: the texts)
    assert made and all(type(text) is int for (text,) in made), made[:1]
    [written] = spilled.glob("*.parses")
    [compared] = held.glob("*.parses")
    assert written.read_bytes() == compared.read_bytes()
    assert len(written.read_bytes().splitlines()) == len(made)
    manifest.write_text(manifest.read_text("utf-8") + "# edited again\n", "utf-8")
    again = check(".")
    assert served[-1] == len(made)  # (each built from the parse written from the file)
    assert again == check(".", "--no-cache")


def test_a_text_reads_back_after_more_were_added_and_read(tmp_path: Path) -> None:
    texts = fresh_parses.FreshParses(tmp_path / "c", held=5)
    places = [texts.add(t) for t in ("[1]", '[2,"x"]', "[3]" * 100, "[4]")]
    assert places[0] == "[1]" and all(type(p) is int for p in places[1:])
    assert texts.get(places[2]) == "[3]" * 100
    places.append(texts.add('[5,{"a":1}]'))  # (written at the end, after a read)
    assert [texts.get(p) for p in places] == ["[1]", '[2,"x"]', "[3]" * 100, "[4]", '[5,{"a":1}]']
    assert texts.add("[\u00e9]") is None  # (not ASCII: no parse kept is)
    texts.close()
    assert texts.get(places[1]) is None
