"""A store whose stored findings are not of the shape a run writes (corrupted at a byte, or
planted) is no entry: the files are checked again and the run prints what a cold run prints,
never an internal error (`KeyError: 'sen'` from a replayed finding or a local rule's slot)."""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_lint.lint import cache
from floe_lint.lint import whole as whole_run
from tests.conftest import check, write_files
from tests.store_text import line_of, rewrite_store

FILES = {
    "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
    "products/a/floe.yaml": "name: a\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: spark}]\nbogus: 1\n",
}


@pytest.mark.parametrize("damage", ['"sen":', '"l":[', '"m":'])
@pytest.mark.parametrize("edited", [False, True])
def test_a_stored_finding_of_another_shape_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str, edited: bool
) -> None:
    """`edited`: the manifest changes, so the product is checked again and its local rules'
    findings are served from its entry's slots; else its findings are replayed."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    write_files(tmp_path / "ws", FILES)
    monkeypatch.chdir(tmp_path / "ws")
    cold = check("--no-cache", ".")
    assert cold[0] == 1 and "FL201" in cold[1] and "FL101" in cold[1]
    assert check(".") == cold
    damaged = damage.replace('":', 'X":') if damage.endswith(":") else damage + "1,"
    for path in folder.glob("results-*.json"):
        if path.name.startswith(whole_run.PREFIX):
            path.unlink()
            continue
        assert damage in path.read_text("utf-8")
        # sealed again (floe_lint.lint.lines.sealed): the damaged shape reaches the shape checks
        rewrite_store(path, lambda key, entry: line_of(key, entry).replace(damage, damaged))
    if edited:
        manifest = Path("platform/manifest.yaml")
        manifest.write_text(manifest.read_text("utf-8") + "# edited\n", "utf-8")
        cold = check("--no-cache", ".")
    assert check(".") == cold
    assert check(".") == cold
