"""`impact`'s two runs share what the manifest's content cannot change (floe_lint.lint.shared):
the parse, the dependents search and the findings of rules that read one document alone. The
impact is exactly the one of two runs that share nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from floe_lint.config import Config
from floe_lint.lint import engine
from floe_lint.lint.impact import compare, measure
from floe_lint.lint.shared import LOCAL_RULES, Shared
from floe_lint.reporters import impact_report, json_report

ENGINES = ("duckdb", "spark", "snowflake", "bigquery", "databricks")


def _report(manifest: Path, old: bytes, root: Path, share: bool) -> str:
    """The impact as JSON and text, and every finding of both runs (not only the difference:
    a wrong answer shared by both runs would cancel out of the impact)."""
    config = Config()
    results: list[engine.Result] = []

    def lint(sources: dict[Path, bytes] | None, shared: Shared) -> engine.Result:
        results.append(
            engine.run(
                [manifest],
                config,
                dependents_root=root,
                sources=sources,
                shared=shared if share else None,
            )
        )
        return results[-1]

    if share:
        impact = measure(manifest, "old", old, lint)
    else:
        before = lint({manifest.resolve(): old}, Shared())
        after = lint(None, Shared())
        impact = compare(manifest, "old", before, after)
    out = io.StringIO()
    impact_report.write_json(impact, out)
    impact_report.write_text(impact, out)
    for result in results:
        json_report.write(result.findings, len(result.files), out)
    return out.getvalue()


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    removed=st.sampled_from(ENGINES),
    added=st.sampled_from(ENGINES),
    manifest=st.sampled_from(["enterprise", "domain"]),
)
def test_shared_runs_give_the_impact_of_separate_runs(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    removed: str,
    added: str,
    manifest: str,
) -> None:
    corpus = generate(tmp_path_factory.mktemp("impact") / "repo", 24, seed)
    monkeypatch.chdir(corpus.root)
    path = corpus.enterprise if manifest == "enterprise" else sorted(corpus.domains.values())[0]
    text = path.read_text("utf-8")
    old = text.replace(removed, added).encode()
    shared = _report(path, old, corpus.root, share=True)
    assert shared == _report(path, old, corpus.root, share=False)
    assert "findings that appear" in shared


def test_the_dependents_search_and_local_rules_run_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate(tmp_path / "repo", 12, 5)
    monkeypatch.chdir(corpus.root)
    shared = Shared()
    old = corpus.enterprise.read_text("utf-8").replace("snowflake", "spark").encode()
    for sources in ({corpus.enterprise.resolve(): old}, None):
        engine.run(
            [corpus.enterprise],
            Config(),
            dependents_root=corpus.root,
            sources=sources,
            shared=shared,
        )
    # one search for both versions, which found every other file of the tree
    assert [len(found) for found in shared.dependents.values()] == [len(corpus.files) - 1]
    remembered = {key[0] for key in shared._findings}
    assert remembered and remembered <= LOCAL_RULES
    # every product's local rules ran on the same document object in both runs: remembered once
    products = {id(d) for s in shared.parsed.values() for d in s.documents if d.kind == "floe"}
    schema = {key[1] for key in shared._findings if key[0] == "FL101"}
    assert products <= schema
