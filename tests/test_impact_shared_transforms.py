"""duplicate-transform reads a product's transforms alone (floe_lint.lint.shared.ON_TRANSFORMS):
`impact`'s second run takes the first one's answer for a product read from the same document
(its transforms are one tuple in both runs), and the impact and both runs' findings are those
of two runs that share nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from floe_lint.config import Config
from floe_lint.lint import engine
from floe_lint.lint.impact import measure
from floe_lint.lint.shared import Shared
from floe_lint.model import product as product_module
from tests.test_impact_shared import ENGINES, _report


def _duplicated(product: Path, index: int) -> None:
    """The product's first transform's path written again, another way (`./models/x`), by a
    transform put before its `index`th (after its last when it has fewer)."""
    lines = product.read_text("utf-8").split("\n")
    items = [number for number, line in enumerate(lines) if line.startswith("  - name: ")]
    first_path = next(line for line in lines if line.startswith("    path: ")).split(": ")[1]
    end = lines.index("environments:") if "environments:" in lines else len(lines)
    at = items[index] if index < len(items) else end
    again = ["  - name: again", "    type: dbt", f"    path: ./{first_path.rstrip('/')}"]
    lines[at:at] = [*again, "    compute: spark"]
    product.write_text("\n".join(lines), "utf-8")


def test_the_second_run_asks_no_product_whether_it_repeats_a_transform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard of duplicate-transform (`applicable._repeats_transform`, which normalizes
    each transform's path) runs on each product in the first run only; the finding is there
    in both."""
    corpus = generate(tmp_path / "repo", 12, 5)
    monkeypatch.chdir(corpus.root)
    repeated = sorted(corpus.products)[3]
    _duplicated(repeated, 2)
    old = corpus.enterprise.read_text("utf-8").replace("snowflake", "spark").encode()
    normalized: list[str] = []
    real = product_module.normalized_path

    def counted(path: str) -> str:
        normalized.append(path)
        return real(path)

    monkeypatch.setattr(product_module, "normalized_path", counted)
    results: list[engine.Result] = []
    per_run: list[int] = []

    def lint(sources: dict[Path, bytes] | None, shared: Shared) -> engine.Result:
        before = len(normalized)
        results.append(
            engine.run(
                [corpus.enterprise],
                Config(),
                dependents_root=corpus.root,
                sources=sources,
                shared=shared,
            )
        )
        per_run.append(len(normalized) - before)
        return results[-1]

    measure(corpus.enterprise, "old", old, lint)
    assert per_run[0] > 12 and per_run[1] == 0, per_run
    for result in results:
        found = [f for f in result.findings if f.rule_id == "FL207"]
        assert [(f.path.resolve(), f.message) for f in found] == [
            (repeated.resolve(), "path './models/" + found[0].message.split("'./models/")[1])
        ]
        assert found[0].message.endswith("' is already selected by transform #1")
        assert found[0].related[0].message == "first selected here"


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    index=st.integers(0, 30),
    removed=st.sampled_from(ENGINES),
    added=st.sampled_from(ENGINES),
    changed=st.sampled_from(["enterprise", "domain"]),
)
def test_shared_runs_report_repeated_transforms_as_separate_runs(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    index: int,
    removed: str,
    added: str,
    changed: str,
) -> None:
    """Products with a transform repeated (at a drawn place), the enterprise or a domain's
    manifest changed: the impact and every finding of both runs are those of separate runs."""
    corpus = generate(tmp_path_factory.mktemp("impact") / "repo", 16, seed)
    monkeypatch.chdir(corpus.root)
    for number, product in enumerate(sorted(corpus.products)[::5]):
        _duplicated(product, index + number)
    path = corpus.enterprise if changed == "enterprise" else sorted(corpus.domains.values())[0]
    old = path.read_text("utf-8").replace(removed, added).encode()
    shared = _report(path, old, corpus.root, share=True)
    assert shared == _report(path, old, corpus.root, share=False)
    # in both runs' findings (a domain's change lints only the products below it)
    assert shared.count('"rule": "FL207"') >= (2 * 4 if changed == "enterprise" else 2)
