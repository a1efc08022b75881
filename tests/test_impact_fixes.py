"""`impact`'s runs state no fixes: neither its text, JSON and Markdown nor `publish` show one,
and stating them (`Context.replace_value` reads the file's lines for each of the thousands of
compute-not-approved findings that disappear when an engine is added) cost about a tenth of
the command. What is printed is exactly what runs that state every fix print; a run that knows
a rule from a rule folder states fixes as before (such a rule may word its message by whether
an edit could be stated)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from floe_lint.rules import compute_not_approved
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from floe_lint.config import Config
from floe_lint.fix import edits
from floe_lint.lint import engine
from floe_lint.lint import impact as impact_module
from floe_lint.lint.impact import Impact, measure
from floe_lint.lint.shared import Shared
from floe_lint.reporters import impact_report
from tests.conftest import run_cli, write_files

ENGINES = ("duckdb", "spark", "snowflake", "bigquery")


def _measured(manifest: Path, old: bytes, root: Path) -> tuple[Impact, list[engine.Result]]:
    results: list[engine.Result] = []

    def lint(sources: dict[Path, bytes] | None, shared: Shared) -> engine.Result:
        runs = engine.run(
            [manifest], Config(), dependents_root=root, sources=sources, shared=shared
        )
        results.append(runs)
        return runs

    return measure(manifest, "old", old, lint), results


def _printed(impact: Impact) -> str:
    out = io.StringIO()
    for write in (impact_report.write_text, impact_report.write_json, impact_report.write_markdown):
        write(impact, out)
    return out.getvalue()


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    removed=st.sampled_from(ENGINES),
    added=st.sampled_from(ENGINES),
)
def test_impact_prints_what_runs_that_state_every_fix_print(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    removed: str,
    added: str,
) -> None:
    corpus = generate(tmp_path_factory.mktemp("fixes") / "repo", 16, seed)
    monkeypatch.chdir(corpus.root)
    manifest = corpus.enterprise
    old = manifest.read_text("utf-8").replace(removed, added).encode()
    with monkeypatch.context() as patched:  # every fix stated, as `check` states them
        patched.setattr(impact_module, "Shared", lambda fixes: Shared(fixes=True))
        stated, stating_runs = _measured(manifest, old, corpus.root)

    def refused(*args: object) -> None:
        raise AssertionError("an edit was stated in a run that states no fixes")

    with monkeypatch.context() as patched:  # (each example's patches undone at its end)
        patched.setattr(edits, "replace_scalar", refused)
        patched.setattr(edits, "remove_item", refused)
        patched.setattr(compute_not_approved, "same_name", refused)  # (what a fix would write)
        impact, runs = _measured(manifest, old, corpus.root)
    assert _printed(impact) == _printed(stated)
    for run, stating in zip(runs, stating_runs, strict=True):
        assert run.findings == stating.findings  # (a finding's fix is not compared)
        assert [f.location for f in run.findings] == [f.location for f in stating.findings]
        assert all(f.fix is None for f in run.findings)
    if removed != added:  # snowflake's transforms lose or gain their engine: FL201 has fixes
        fixed = [f for run in stating_runs for f in run.findings if f.fix is not None]
        assert removed != "snowflake" or fixed


def test_compute_not_approved_looks_for_no_fix_in_a_run_that_states_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its `_fix` looked for an approved name spelt alike (`same_name`) for each of the old
    run's findings, to give a fix that `ctx.fix` then dropped: none is looked for now; a run
    that states fixes still looks for one per finding."""
    corpus = generate(tmp_path / "repo", 16, 3)
    monkeypatch.chdir(corpus.root)
    manifest = corpus.enterprise
    old = manifest.read_text("utf-8").replace("snowflake", "spark").encode()
    looked: list[str] = []
    same_name = compute_not_approved.same_name

    def counted(compute: str, approved: object) -> str | None:
        looked.append(compute)
        return same_name(compute, approved)  # type: ignore[arg-type]

    monkeypatch.setattr(compute_not_approved, "same_name", counted)
    impact, runs = _measured(manifest, old, corpus.root)
    found = [f for f in runs[0].findings if f.rule_id == "FL201"]
    assert len(found) > 16 and looked == []
    assert any(f.rule_id == "FL201" for f in impact.disappeared)
    with monkeypatch.context() as patched:  # every fix stated, as `check` states them
        patched.setattr(impact_module, "Shared", lambda fixes: Shared(fixes=True))
        _, stating = _measured(manifest, old, corpus.root)
    assert len(looked) == sum(f.rule_id == "FL201" for run in stating for f in run.findings)


WORDED = '''
"""A transform's compute outside its platform's approved list, worded by its fix.

Why: a rule from a rule folder may word its message by whether an edit could be stated.
"""

ID, NAME, SEVERITY, SUBJECT = "ACME9", "acme-compute", "warning", "product"


def check(product, ctx):
    level = product.platform
    for transform in product.transforms:
        if level is None or transform.compute in level.approved:
            continue
        edit = ctx.replace_value(transform.compute_node, "duckdb")
        fix = "an edit can be stated" if edit is not None else "no edit"
        yield ctx.finding(transform.compute_node, f"{transform.compute} is off the list ({fix})")
'''

MANIFEST = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {{name: acme}}
scope: enterprise
plugins:
  compute:
    approved: [{approved}]
    default: duckdb
"""


def test_a_run_that_knows_a_rule_folder_states_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            "acme/compute.py": WORDED,
            ".floe-lint.yaml": "rule-folders: [acme]\n",
            "platform/manifest.yaml": MANIFEST.format(approved="duckdb"),
            "old.yaml": MANIFEST.format(approved="duckdb, spark"),
            "p0/floe.yaml": "name: p0\nplatform: {ref: ../platform/manifest.yaml}\n"
            "transforms:\n  - {type: dbt, path: models/a/, compute: spark}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    run = run_cli("impact", "platform/manifest.yaml", "--against", "old.yaml")
    assert run.code == 1, run.stderr
    appeared = [line for line in run.stdout.splitlines() if line.startswith("  + ")]
    assert appeared == [
        "  + p0/floe.yaml:4:43: WARNING ACME9 [acme-compute] spark is off the list "
        "(an edit can be stated)",
        "  + p0/floe.yaml:4:43: ERROR FL201 [compute-not-approved] transform 'models/a/' "
        "selects compute 'spark', which enterprise 'acme' does not approve (no level of the "
        "hierarchy approves it); approved: duckdb",
    ]
