"""`impact`'s products whose policy changes, for a product read from the same document by both
runs (every dependent of a changed manifest): `impact._one_document` takes each transform's
effective compute and approval under both levels in one pass. It gives exactly what comparing
every transform's policy under each version gives (tests/test_impact_shared.py's
`_every_transform`), on small trees drawn to hold what the benchmark's corpus seldom does:
labels written twice with different computes, transforms naming no compute, computes no level
approves, a default that changes and an empty approved list."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.config import Config
from floe_lint.lint import engine
from floe_lint.lint.impact import measure
from floe_lint.lint.shared import Shared
from tests.test_impact_shared import _every_transform

ENGINES = ("duckdb", "spark", "snowflake")
COMPUTES = st.sampled_from([*ENGINES, "bigquery", None])
LEVEL = st.tuples(
    st.lists(st.sampled_from(ENGINES), unique=True), st.sampled_from([*ENGINES, None])
)
#: a transform: its path (few, so that labels repeat) and the compute it names (None: none)
TRANSFORM = st.tuples(st.sampled_from(["models/a/", "models/b/", "models/c/"]), COMPUTES)


def _manifest(approved: list[str], default: str | None) -> str:
    text = f"plugins:\n  compute:\n    approved: [{', '.join(approved)}]\n"
    return text + (f"    default: {default}\n" if default is not None else "")


def _product(name: str, transforms: list[tuple[str, str | None]]) -> str:
    lines = [f"name: {name}", "platform: {ref: ../manifest.yaml}", "transforms:"]
    for path, compute in transforms:
        lines.append(
            f"  - {{type: dbt, path: {path}" + (f", compute: {compute}}}" if compute else "}")
        )
    return "\n".join(lines) + "\n"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    old=LEVEL,
    new=LEVEL,
    products=st.lists(st.lists(TRANSFORM, min_size=1, max_size=5), min_size=1, max_size=3),
)
def test_one_pass_over_a_products_transforms_gives_what_every_policy_gives(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    old: tuple[list[str], str | None],
    new: tuple[list[str], str | None],
    products: list[list[tuple[str, str | None]]],
) -> None:
    root = tmp_path_factory.mktemp("products")
    monkeypatch.chdir(root)
    manifest = root / "manifest.yaml"
    manifest.write_text(_manifest(*new), "utf-8")
    for number, transforms in enumerate(products):
        folder = root / f"p{number}"
        folder.mkdir()
        (folder / "floe.yaml").write_text(_product(f"p{number}", transforms), "utf-8")
    results: list[engine.Result] = []

    def lint(sources: dict[Path, bytes] | None, shared: Shared) -> engine.Result:
        results.append(
            engine.run([manifest], Config(), dependents_root=root, sources=sources, shared=shared)
        )
        return results[-1]

    impact = measure(manifest, "old", _manifest(*old).encode(), lint)
    assert len(results[0].products) == len(products)  # every product was compared
    assert impact.products == _every_transform(*results)


def test_a_label_written_twice_reports_the_last_transform_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second `models/a/` names `spark`, which the change approves: its line is reported
    (the first one's compute, `duckdb`, is approved by both versions)."""
    monkeypatch.chdir(tmp_path)
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(_manifest(["duckdb", "spark"], "duckdb"), "utf-8")
    (tmp_path / "p").mkdir()
    text = _product("p", [("models/a/", "duckdb"), ("models/a/", "spark")])
    (tmp_path / "p" / "floe.yaml").write_text(text, "utf-8")

    def lint(sources: dict[Path, bytes] | None, shared: Shared) -> engine.Result:
        return engine.run(
            [manifest], Config(), dependents_root=tmp_path, sources=sources, shared=shared
        )

    impact = measure(manifest, "old", _manifest(["duckdb"], "duckdb").encode(), lint)
    (product,) = impact.products
    assert product.name == "p"
    assert (product.approved_before, product.approved_after) == (("duckdb",), ("duckdb", "spark"))
    (change,) = product.transforms
    assert change.label == "transform 'models/a/'" and change.line == 5
    assert change.before is not None and change.after is not None
    assert (change.before.compute, change.before.approved) == ("spark", False)
    assert (change.after.compute, change.after.approved) == ("spark", True)


def test_the_lines_of_changed_transforms_are_read_from_the_record_without_spans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison gives each changed transform's line from the parse's positions record
    (`Document.start_line`): no span is made for them (before, each of the benchmark's 4,222
    lines went through `Table.lookup`, two spans and a `NodeSpans`), and no file is composed."""
    from floe_lint.lint import impact as impact_module
    from floe_lint.load import positions, spans

    monkeypatch.chdir(tmp_path)
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(_manifest(["duckdb", "spark"], "spark"), "utf-8")
    for name in ("p", "q"):
        (tmp_path / name).mkdir()
        text = _product(name, [("models/a/", None), ("models/b/", "duckdb"), ("models/c/", None)])
        (tmp_path / name / "floe.yaml").write_text(text, "utf-8")
    lookups: list[str] = []
    comparing = [False]
    lookup, compare = positions.Table.lookup, impact_module.compare

    def counting(self: positions.Table, pointer: str, lines: list[str]) -> object:
        if comparing[0]:
            lookups.append(pointer)
        return lookup(self, pointer, lines)

    def watched(*args: object) -> impact_module.Impact:
        comparing[0] = True
        try:
            return compare(*args)  # type: ignore[arg-type]
        finally:
            comparing[0] = False

    def no_compose(text: str) -> object:
        raise AssertionError("a file was composed again")

    monkeypatch.setattr(positions.Table, "lookup", counting)
    monkeypatch.setattr(impact_module, "compare", watched)
    monkeypatch.setattr(spans, "_compose", no_compose)

    def lint(sources: dict[Path, bytes] | None, shared: Shared) -> engine.Result:
        return engine.run(
            [manifest], Config(), dependents_root=tmp_path, sources=sources, shared=shared
        )

    # the default moves from duckdb to spark: the transforms naming none change
    impact = measure(manifest, "old", _manifest(["duckdb", "spark"], "duckdb").encode(), lint)
    assert [(p.name, [(t.label, t.line) for t in p.transforms]) for p in impact.products] == [
        ("p", [("transform 'models/a/'", 4), ("transform 'models/c/'", 6)]),
        ("q", [("transform 'models/a/'", 4), ("transform 'models/c/'", 6)]),
    ]
    assert lookups == []
