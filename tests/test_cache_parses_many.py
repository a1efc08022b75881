"""A store's kept parses past `places.SMALL` lines (floe_lint.lint.places: its index is then two
sorted arrays, looked up by binary search, not a `dict`): the first edit of a manifest after a
fill builds every dependent from its kept parse, found through those arrays, and prints what a
cold run prints, a finding placed in a file whose parse lies beyond line 4,096 included."""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_lint.lint import cache, places
from floe_lint.load import document
from floe_lint.load.document import SourceFile
from tests.conftest import check, write_files
from tests.test_cache import DOMAIN, ENTERPRISE, PRODUCT

#: (a checkout saved during the test must not make its runs miss the store: conftest)
pytestmark = pytest.mark.usefixtures("steady_installation")

COUNT = places.SMALL + 40
SALES = "platform/sales/manifest.yaml"
#: the products that select spark, which the edit of sales removes (their findings)
SPARK = (0, COUNT // 2, COUNT - 1)


def test_a_dependent_whose_kept_parse_lies_past_the_small_index_is_built_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    files = {
        "platform/enterprise/manifest.yaml": ENTERPRISE,
        SALES: DOMAIN.format(name="sales", approved="[duckdb, spark]"),
    }
    for n in range(COUNT):
        compute = "spark" if n in SPARK else "duckdb"
        files[f"products/p{n:05}/floe.yaml"] = PRODUCT.format(
            name=f"p{n:05}", domain="sales", compute=compute, comment=""
        )
    write_files(tmp_path / "ws", files)
    monkeypatch.chdir(tmp_path / "ws")
    assert check(".")[0] == 0  # fills the store, keeping every file's parse
    [kept] = (tmp_path / "cache").glob("*.parses")
    lines = kept.read_text("utf-8").splitlines()
    assert len(lines) > places.SMALL
    # (where each spark product's parse lies in that file)
    at = {
        n: next(i for i, line in enumerate(lines) if f"/products/p{n:05}/floe.yaml" in line)
        for n in SPARK
    }
    assert max(at.values()) >= places.SMALL, at
    loads: list[str] = []
    load = document.load

    def counting(path: Path) -> SourceFile:
        loads.append(path.as_posix())
        return load(path)

    monkeypatch.setattr(document, "load", counting)
    path = tmp_path / "ws" / SALES
    path.write_text(path.read_text("utf-8").replace("[duckdb, spark]", "[duckdb]"), "utf-8")
    edited = check(".")
    assert [Path(p).name for p in loads] == ["manifest.yaml"], loads[:5]  # sales alone parsed
    monkeypatch.setattr(document, "load", load)
    cold = check(".", "--no-cache")
    assert edited == cold
    for n in SPARK:
        place = f"products/p{n:05}/floe.yaml:5:43: ERROR FL201 [compute-not-approved] transform"
        assert f"{place} 'models/b/' selects compute 'spark'" in edited[1], n
    assert edited[0] == 1 and edited[1].count("ERROR") == len(SPARK)
