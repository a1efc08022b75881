"""`impact`'s two runs share what the manifest's content cannot change (floe_lint.lint.shared):
the parse, the dependents search, the findings of rules that read one document alone, and those
of rules that read a document and its per-environment overlays. The impact is exactly the one of
two runs that share nothing; and a rule shared wrongly (one that reads the changed manifest
through the hierarchy or an overlay) is caught by that comparison.

The comparison itself (`impact.compare`) skips the transforms of a product whose level lets every
compute through alike: it gives exactly what comparing every transform gives."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import Corpus, generate
from floe_lint.config import Config
from floe_lint.lint import engine
from floe_lint.lint import impact as impact_module
from floe_lint.lint import shared as shared_module
from floe_lint.lint.impact import (
    ProductChange,
    TransformChange,
    TransformPolicy,
    compare,
    measure,
)
from floe_lint.lint.shared import LOCAL_RULES, ON_TRANSFORMS, WITH_OVERLAYS, Shared
from floe_lint.load.paths import relative_posix, resolved
from floe_lint.model.level import Level
from floe_lint.reporters import impact_report, json_report

ENGINES = ("duckdb", "spark", "snowflake", "bigquery", "databricks")


def _report(
    manifest: Path, old: bytes, root: Path, share: bool, config: Config | None = None
) -> str:
    """The impact as JSON and text, and every finding of both runs (not only the difference:
    a wrong answer shared by both runs would cancel out of the impact)."""
    config = config if config is not None else Config()
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
        # without their fixes: the shared runs (`measure`'s) state none, since nobody shows
        # them (tests/test_impact_fixes.py proves what is printed is the same)
        findings = [f.replace(fix=None) for f in result.findings]
        json_report.write(findings, len(result.files), out)
    return out.getvalue()


EDITS = st.sampled_from(["replace", "swap", "default"])
#: what a test changes: the enterprise manifest, a domain's, or the enterprise's overlay
CHANGED = st.sampled_from(["enterprise", "domain", "overlay"])


def _with_overlays(corpus: Corpus, seed: int) -> None:
    """Per-environment files: the enterprise manifest's (its default differs from the base's),
    and a few products' (one changes a transform's compute, one its platform ref)."""
    rng = random.Random(seed)
    enterprise = corpus.enterprise
    (enterprise.parent / "manifest.prod.yaml").write_text(
        f"plugins:\n  compute:\n    default: {rng.choice(ENGINES)}\n", "utf-8"
    )
    for number, product in enumerate(rng.sample(corpus.products, 3)):
        first = re.search(r"path: (\S+)", product.read_text("utf-8"))
        assert first is not None
        text = (
            f"transforms:\n  - path: {first[1]}\n    compute: {rng.choice(ENGINES)}\n"
            if number != 2
            else "platform:\n  ref: ../../../platform/enterprise/manifest.yaml\n"
        )
        (product.parent / "floe.dev.yaml").write_text(text, "utf-8")


def _edited(text: str, edit: str, removed: str, added: str) -> str:
    """`removed` replaced by `added`; or the two swapped (the same set of computes, another
    order); or the default compute set to `added`."""
    if edit == "replace":
        return text.replace(removed, added)
    if edit == "swap":
        return text.replace(removed, "\0").replace(added, removed).replace("\0", added)
    return re.sub(r"default: \w+", f"default: {added}", text)


def _changed(corpus: Corpus, which: str) -> Path:
    if which == "enterprise":
        return corpus.enterprise
    if which == "domain":
        return sorted(corpus.domains.values())[0]
    return corpus.enterprise.parent / "manifest.prod.yaml"


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    edit=EDITS,
    removed=st.sampled_from(ENGINES),
    added=st.sampled_from(ENGINES),
    manifest=CHANGED,
)
def test_shared_runs_give_the_impact_of_separate_runs(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    edit: str,
    removed: str,
    added: str,
    manifest: str,
) -> None:
    corpus = generate(tmp_path_factory.mktemp("impact") / "repo", 24, seed)
    _with_overlays(corpus, seed)
    monkeypatch.chdir(corpus.root)
    path = _changed(corpus, manifest)
    old = _edited(path.read_text("utf-8"), edit, removed, added).encode()
    shared = _report(path, old, corpus.root, share=True)
    assert shared == _report(path, old, corpus.root, share=False)
    assert "findings that appear" in shared


def _orphaned(text: str) -> str:
    """A domain manifest made a root of its own (no parent, enterprise scope)."""
    text = re.sub(r"parent_manifest: .*\n", "", text)
    return text.replace("scope: domain", "scope: enterprise")


@pytest.mark.parametrize(
    ("rule", "changed", "old"),
    [
        # a document rule that reads the hierarchy: with trusted roots, the products below
        # the changed domain end at an untrusted root in the old version only
        ("FL310", "domain", _orphaned),
        # an overlay rule keyed by its document alone, when what changed is the overlay
        ("FL401", "overlay", lambda text: re.sub(r"default: \w+", "default: duckdb", text)),
    ],
)
def test_a_rule_shared_wrongly_changes_what_the_runs_report(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rule: str,
    changed: str,
    old: Callable[[str], str],
) -> None:
    """The property above has teeth: sharing a rule whose findings on a document that did not
    change read the changed file (here by declaring it local: keyed by that document alone)
    makes the shared runs differ from separate ones. (A product or manifest rule cannot be
    shared wrongly: each run builds its own products and levels, and findings are shared by
    the subject's identity.)"""
    corpus = generate(tmp_path / "repo", 24, 7)
    _with_overlays(corpus, 7)
    enterprise = corpus.enterprise
    (enterprise.parent / "manifest.prod.yaml").write_text(
        "plugins:\n  compute:\n    default: spark\n", "utf-8"
    )
    path = _changed(corpus, changed)
    monkeypatch.chdir(corpus.root)
    before = old(path.read_text("utf-8")).encode()
    assert before != path.read_bytes()
    config = Config(trusted_roots=[str(enterprise)])
    right = _report(path, before, corpus.root, share=True, config=config)
    assert right == _report(path, before, corpus.root, share=False, config=config)
    assert f'"{rule}"' in right  # the rule reports in one version
    monkeypatch.setattr(shared_module, "LOCAL_RULES", LOCAL_RULES | {rule})
    monkeypatch.setattr(shared_module, "WITH_OVERLAYS", frozenset())
    assert _report(path, before, corpus.root, share=True, config=config) != right


@dataclass(frozen=True, slots=True)
class ProductPolicy:
    name: str
    approved: tuple[str, ...] | None  # None: the hierarchy did not resolve
    transforms: dict[str, TransformPolicy]


def _every_transform(before: engine.Result, after: engine.Result) -> list[ProductChange]:
    """The products that change, found by comparing every transform of every product (the
    comparison as written before it skipped any)."""

    def policies(result: engine.Result) -> dict[Path, ProductPolicy]:
        out: dict[Path, ProductPolicy] = {}
        for product in result.products:
            level = product.platform
            policy = ProductPolicy(
                product.name if product.name is not None else product.doc.path.parent.name,
                tuple(level.approved) if level is not None else None,
                {},
            )
            for transform in product.transforms:
                compute = transform.compute if isinstance(transform.compute, str) else None
                if compute is None and level is not None:
                    compute = level.default
                policy.transforms[transform.label] = TransformPolicy(
                    transform.label,
                    transform.node,
                    compute,
                    level is not None and compute in level.approved,
                )
            out[resolved(product.doc.path)] = policy
        return out

    found = []
    was, now = policies(before), policies(after)
    for path in sorted(set(was) | set(now), key=relative_posix):
        a, b = was.get(path), now.get(path)
        changes = []
        labels = list(dict.fromkeys([*(a.transforms if a else {}), *(b.transforms if b else {})]))
        for label in labels:
            t0 = a.transforms.get(label) if a else None
            t1 = b.transforms.get(label) if b else None
            known = t1 or t0
            if known is not None and not (
                t0 and t1 and (t0.compute, t0.approved) == (t1.compute, t1.approved)
            ):
                changes.append(TransformChange(label, known.line, t0, t1))
        approved_before = a.approved if a else None
        approved_after = b.approved if b else None
        either = b or a
        if either is not None and (changes or approved_before != approved_after):
            found.append(
                ProductChange(path, either.name, approved_before, approved_after, tuple(changes))
            )
    return found


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    edit=EDITS,
    removed=st.sampled_from(ENGINES),
    added=st.sampled_from(ENGINES),
    manifest=st.sampled_from(["enterprise", "domain"]),
)
def test_the_comparison_gives_what_comparing_every_transform_gives(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    edit: str,
    removed: str,
    added: str,
    manifest: str,
) -> None:
    corpus = generate(tmp_path_factory.mktemp("compare") / "repo", 16, seed)
    monkeypatch.chdir(corpus.root)
    path = _changed(corpus, manifest)
    old = _edited(path.read_text("utf-8"), edit, removed, added).encode()
    results: list[engine.Result] = []

    def lint(sources: dict[Path, bytes] | None, shared: Shared) -> engine.Result:
        results.append(
            engine.run(
                [path], Config(), dependents_root=corpus.root, sources=sources, shared=shared
            )
        )
        return results[-1]

    skipped: list[bool] = []
    same_effect = impact_module._same_effect

    def counting(a: Level | None, b: Level | None) -> bool:
        answer = same_effect(a, b)
        skipped.append(answer)
        return answer

    monkeypatch.setattr(impact_module, "_same_effect", counting)
    impact = measure(path, "old", old, lint)
    assert impact.products == _every_transform(*results)
    if old == path.read_bytes():
        assert not impact.products and all(skipped)  # nothing changed: every product skipped


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
    assert remembered and remembered <= LOCAL_RULES | WITH_OVERLAYS | ON_TRANSFORMS
    assert "FL401" in remembered  # environment-override, keyed by the overlays too
    # every product's local rules ran on the same document object in both runs: remembered once
    products = {id(d) for s in shared.parsed.values() for d in s.documents if d.kind == "floe"}
    schema = {key[1] for key in shared._findings if key[0] == "FL101"}
    assert products <= schema


def test_the_second_run_resolves_and_lists_nothing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where paths lead is the tree's, not the manifest's: each file's key, each relative
    ref's target and the per-environment files beside each document are found by the first
    run (from what the dependents search's walk listed) and kept for the second (the property
    above shows the impact is unchanged)."""
    import os

    from floe_lint.lint import context as context_module
    from floe_lint.load import workspace as workspace_module

    corpus = generate(tmp_path / "repo", 12, 5)
    _with_overlays(corpus, 5)
    monkeypatch.chdir(corpus.root)
    shared = Shared()
    old = corpus.enterprise.read_text("utf-8").replace("snowflake", "spark").encode()
    calls: list[str] = []
    real, listdir = workspace_module.real, os.listdir

    def counted_real(path: Path) -> Path:
        calls.append(f"real {path}")
        return real(path)

    def counted_listdir(path: Any) -> list[str]:
        calls.append(f"listdir {path}")
        return listdir(path)

    runs = []
    monkeypatch.setattr(context_module.os, "listdir", counted_listdir)
    for sources in ({corpus.enterprise.resolve(): old}, None):
        if sources is None:  # the second run
            # the first listed no product's folder for the files beside it: the dependents
            # search's walk had listed them all
            assert not [call for call in calls if "products" in call], calls
            calls.clear()
            monkeypatch.setattr(workspace_module, "real", counted_real)
        runs.append(
            engine.run(
                [corpus.enterprise],
                Config(),
                dependents_root=corpus.root,
                sources=sources,
                shared=shared,
            )
        )
    assert calls == []
    products = [p for p in runs[1].products if p.platform is not None]
    assert len(products) == 12
    assert len(shared.refs) == 1  # one set of overrides in force
    (resolved_refs,) = shared.refs.values()
    assert resolved_refs and all(key in shared.keys.values() for _, key in resolved_refs.values())
    assert shared.resolved_refs({"oci://x/y:1": Path("a.yaml")}) == {}  # other overrides
    assert any(shared.overlays.values())  # _with_overlays wrote some


def test_each_floe_lock_is_looked_for_once_for_both_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a floe.lock is beside a product is the tree's: the first run asks the system
    (`Context.stale_locks`), the second takes its answer (`Shared.locks`); a floe.lock that is
    there is still read and judged by each run, so the impact is that of separate runs."""
    import os

    corpus = generate(tmp_path / "repo", 12, 5)
    monkeypatch.chdir(corpus.root)
    locked = sorted(corpus.products)[0]
    (locked.parent / "floe.lock").write_text('{"version": 1, "refs": ', "utf-8")
    old = corpus.enterprise.read_text("utf-8").replace("snowflake", "spark").encode()
    asked: list[str] = []
    lexists = os.path.lexists

    def counted(path: Any) -> bool:
        if os.fspath(path).endswith("floe.lock"):
            asked.append(os.fspath(path))
        return lexists(path)

    monkeypatch.setattr(os.path, "lexists", counted)
    shared = _report(corpus.enterprise, old, corpus.root, share=True)
    # (the floe.lock that is there is read, as before: `lockfile.stale` asks for it)
    absent = [path for path in asked if path != str(locked.parent / "floe.lock")]
    assert len(absent) == len(set(absent)) == 11, asked
    monkeypatch.setattr(os.path, "lexists", lexists)
    assert shared == _report(corpus.enterprise, old, corpus.root, share=False)
    where = relative_posix(locked.parent / "floe.lock")
    assert '"rule": "FL306"' in shared and where in shared, shared
