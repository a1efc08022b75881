"""A `check` replayed whole (floe_lint.lint.whole): an unchanged tree prints what a cold run
prints without running the linter at all; any change, a symbolic link, another command line,
terminal or date, and runs that write files or search dependents fall back to the usual run."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from floe_lint.cli import main
from floe_lint.lint import cache, engine
from floe_lint.lint import whole as whole_run
from tests.conftest import check, write_files
from tests.test_cache import tree


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    workspace = tmp_path / "ws"
    files = tree()
    files["products/p1/floe.yaml"] = files["products/p1/floe.yaml"].replace("spark", "snowflake")
    write_files(workspace, files)
    monkeypatch.chdir(workspace)
    return workspace


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the linter ran (engine.run) after the fixture was requested."""
    runs: list[int] = []
    real = engine.run

    def counting(*args: object, **kwargs: object) -> engine.Result:
        runs.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "run", counting)
    return runs


def stored() -> list[Path]:
    return sorted(cache.directory().glob(f"{whole_run.PREFIX}*.json"))


def test_an_unchanged_tree_is_replayed_without_running_the_linter(
    cached: Path, linted: list[int]
) -> None:
    cold = check(".", "--no-cache")
    assert cold[0] == 1
    place = "products/p1/floe.yaml:5:43: ERROR FL201 [compute-not-approved] transform"
    assert f"{place} 'models/b/' selects compute 'snowflake'" in cold[1]
    assert check(".") == cold
    [record] = stored()
    data = json.loads(record.read_text())
    assert data["out"] == cold[1] and data["err"] == cold[2] and data["code"] == 1
    assert "products/p1/floe.yaml" in [path for path, _, _ in data["found"]]
    linted.clear()
    assert check(".") == cold
    assert linted == [], "replayed whole"


@pytest.mark.parametrize(
    "change",
    [
        "edit a product",
        "edit a manifest",
        "add a file",
        "remove a file",
        "add a floe.lock",
        "add a suppression",
        "link a file",
        "link a folder",
    ],
)
def test_any_change_runs_the_linter_and_prints_what_a_cold_run_prints(
    cached: Path, linted: list[int], change: str
) -> None:
    check(".")
    products = cached / "products"
    if change == "edit a product":
        text = (products / "p1/floe.yaml").read_text().replace("snowflake", "spark")
        (products / "p1/floe.yaml").write_text(text)
    elif change == "edit a manifest":
        path = cached / "platform/sales/manifest.yaml"
        path.write_text(path.read_text().replace("[duckdb, spark]", "[duckdb]"))
    elif change == "add a file":
        write_files(cached, {"products/p9/floe.yaml": "name: p9\n"})
    elif change == "remove a file":
        (products / "p0/floe.yaml").unlink()
    elif change == "add a floe.lock":
        (products / "p1/floe.lock").write_text("not json")
    elif change == "add a suppression":
        path = products / "p1/floe.yaml"
        path.write_text(path.read_text().rstrip("\n") + "  # floe-lint: disable=FL201\n")
    elif change == "link a file":
        os.symlink(products / "p0/floe.yaml", products / "p0/floe-copy.yaml")
    else:
        os.symlink(cached / "platform", products / "platform-link")
    linted.clear()
    cold = check(".", "--no-cache")
    assert linted == [1]
    assert check(".") == cold
    assert linted == [1, 1], "not replayed whole"
    if change.startswith("link"):
        assert check(".") == cold
        assert linted == [1, 1, 1], "a tree with a symbolic link is never replayed whole"


def test_the_key_covers_the_command_line_the_terminal_and_the_date(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = check(".")
    assert check(".", "--format", "json") != text
    assert check(".", "--format", "json")[1].startswith("{")
    assert len(stored()) == 2

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    main(["check", ".", "--color", "never"], stdout=out, stderr=io.StringIO())
    assert "floe.yaml:5:43" in out.getvalue()
    assert out.getvalue() != text[1], "a terminal gets source excerpts"
    assert len(stored()) == 3

    class Tomorrow:
        @staticmethod
        def now(tz: object) -> object:
            from datetime import datetime, timedelta

            return datetime.now(tz) + timedelta(days=1)  # type: ignore[arg-type]

    monkeypatch.setattr(whole_run, "datetime", Tomorrow)
    assert check(".") == text
    assert len(stored()) == 4, "mandatory exceptions expire by date: a new day, a new key"


@pytest.mark.parametrize(
    "options",
    [["--output", "report.txt"], ["--format", "sarif"], ["--sarif-file", "r.sarif"]],
)
def test_runs_that_write_files_or_sarif_are_never_stored_whole(
    cached: Path, options: list[str]
) -> None:
    check(".", *options)
    check(".", *options)
    assert stored() == []


def test_a_run_that_searched_for_dependents_is_not_stored_whole(
    cached: Path, linted: list[int]
) -> None:
    cold = check("platform/sales/manifest.yaml", "--no-cache")
    assert "products/p0/floe.yaml" in cold[1] or "dependent" in cold[2]
    assert check("platform/sales/manifest.yaml") == cold
    assert stored() == []


def test_a_product_folder_beside_its_platform_is_stored_but_not_its_outside_manifests(
    cached: Path,
) -> None:
    """`check products` reads manifests outside the folder walked: not stored whole."""
    cold = check("products", "--no-cache")
    assert check("products") == cold
    assert stored() == []
    assert check("products") == cold


def test_a_run_whose_two_notes_of_a_file_disagree_is_not_stored_whole(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file noted with one hash by the entries replayed (`Replay.standing`) and another by
    those checked afresh (`Replay.spilled`) was edited during the run: what it printed may have
    read either version, so the run is not stored whole (the smaller table's hash won)."""
    check(".")
    product = cached / "products/p2/floe.yaml"
    product.write_text(product.read_text("utf-8") + "# edited\n", "utf-8")  # checked afresh
    for record in stored():
        record.unlink()
    real = whole_run.Whole._record
    manifest = str((cached / "platform/enterprise/manifest.yaml").resolve())
    noted: list[object] = []

    def edited_during_the_run(self: whole_run.Whole, replay: object, code: int) -> object:
        spilled, standing = replay.spilled, replay.standing  # type: ignore[attr-defined]
        assert spilled is not None and standing.exact(len(replay.replayed))  # type: ignore[attr-defined]
        noted.append((spilled[1][manifest], standing.deps[manifest]))
        spilled[1][manifest] = cache.digest(b"what the fresh check read after an edit")
        return real(self, replay, code)  # type: ignore[arg-type]

    monkeypatch.setattr(whole_run.Whole, "_record", edited_during_the_run)
    code, out, _ = check(".")
    [(fresh, replayed)] = noted
    assert fresh == replayed  # (both notes of the manifest agreed as the run found them)
    assert stored() == [], "stored whole, one of the two hashes chosen"
    monkeypatch.setattr(whole_run.Whole, "_record", real)
    assert check(".")[:2] == (code, out)
    assert len(stored()) == 1  # (an agreeing run is stored)
