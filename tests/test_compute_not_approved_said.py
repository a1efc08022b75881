"""compute-not-approved tells every transform of a product that selects one compute the same
thing after its own name (why, the approved list, a likely name, the related places): its check
works that out once per compute and product (`_said`). It gives exactly the findings of the
check that works it out for every transform (below, as the rule read before), fixes included,
on generated trees whose enterprise manifest no longer approves one compute (so that many
transforms of a product select it, and a domain removes others), where a team's manifest below
one domain approves every compute (so that the level that removes one is not the product's own,
and its finding holds a second related place)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from floe_lint.rules import compute_not_approved as rule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from floe_lint.api import Context, Finding, Product, did_you_mean, is_templated
from floe_lint.config import Config
from floe_lint.lint import engine
from floe_lint.lint.context import Context as RunContext

ENGINES = ("duckdb", "spark", "snowflake", "bigquery", "databricks")


def _every_transform(product: Product, ctx: Context) -> Iterator[Finding]:
    """The rule's check as written before `_said`: everything worked out per transform."""
    level = product.platform
    if level is None or level.unloaded() is not None:
        return
    if not any(lvl.entries for lvl in level.chain()):
        return
    approved = list(level.approved)
    for transform in product.transforms:
        compute = transform.compute
        if not isinstance(compute, str) or compute in level.approved or is_templated(compute):
            continue
        related = [
            ctx.related(
                level.approver.approved_node,
                f"effective approved list of {level.label}",
                at="key",
            )
        ]
        remover = level.remover_of(compute)
        if remover is not None and remover is not level:
            related.append(
                ctx.related(remover.approved_node, f"{remover.label} removes it", at="key")
            )
        yield ctx.finding(
            transform.compute_node,
            f"{transform.label} selects compute '{compute}', which {level.label} does not approve "
            f"({rule._why(level, compute)}); approved: {', '.join(approved) or 'none'}"
            f"{did_you_mean(compute, approved) or did_you_mean(compute, ctx.known_computes)}",
            related=related,
            fix=rule._fix(ctx, level, transform.compute_node, compute),
        )


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 10_000), removed=st.sampled_from(ENGINES))
def test_saying_it_once_per_compute_gives_the_findings_of_every_transform(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    removed: str,
) -> None:
    corpus = generate(tmp_path_factory.mktemp("said") / "repo", 30, seed)
    monkeypatch.chdir(corpus.root)
    text = corpus.enterprise.read_text("utf-8").replace(f"name: {removed}", "name: retired")
    corpus.enterprise.write_text(text, "utf-8")
    domain = sorted(corpus.domains)[0]
    team = corpus.domains[domain].parent / "team" / "manifest.yaml"
    team.parent.mkdir()
    team.write_text(
        "scope: domain\nparent_manifest: ../manifest.yaml\n"
        f"plugins:\n  compute:\n    approved: [{', '.join(ENGINES)}]\n    default: duckdb\n",
        "utf-8",
    )
    # a compute the enterprise approves and the domain does not list: its remover is the domain
    listed = corpus.domains[domain].read_text("utf-8")
    dropped = [e for e in ENGINES if e not in listed and e != removed]
    below = f"ref: ../../../platform/domains/{domain}/"
    for product in corpus.products:
        text = product.read_text("utf-8")
        if below + "manifest" in text:
            text = text.replace(below + "manifest", below + "team/manifest")
            if dropped:
                text = re.sub(r"compute: \w+", f"compute: {dropped[0]}", text, count=1)
        product.write_text(text, "utf-8")
    result = engine.run([Path(".")], Config())
    assert result.hierarchy is not None
    ctx = RunContext(result.hierarchy.workspace, result.hierarchy)
    found = removers = 0
    for product in result.products:
        said = list(rule.check(product, ctx))
        assert said == list(_every_transform(product, ctx)), product.doc.path
        found += len(said)
        removers += sum(len(finding.related) == 2 for finding in said)
    assert found > 0  # (the removed compute is selected somewhere)
    assert removers > 0 or not dropped  # (a finding with the remover's related place)
