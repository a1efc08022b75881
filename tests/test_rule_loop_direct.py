"""The rule loop calls a rule's `check` directly and stamps only what it finds
(`floe_lint.lint.stamp.first`, in `floe_lint.lint.stream` and the engine): on random damaged
trees, in every format, a run prints byte for byte what it prints with every call going through
`stamp.checked` as before, whether the run is released group by group (a folder), holds every
file (a manifest named, whose dependents are searched), or runs with a rule the config
disables (mandatory controls of a strict platform)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from floe_lint.cli import main
from floe_lint.lint import stamp
from tests.test_jobs_random_trees import damaged_corpus


def _check(args: list[str], fmt: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", *args, "--no-cache", "--format", fmt, "--jobs", "1"], out, err)
    return code, out.getvalue(), err.getvalue()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 100_000),
    products=st.integers(2, 24),
    damaged=st.integers(0, 6),
    strict=st.booleans(),
    ignore=st.booleans(),
)
def test_direct_calls_print_what_checked_calls_print(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    products: int,
    damaged: int,
    strict: bool,
    ignore: bool,
) -> None:
    corpus = damaged_corpus(tmp_path_factory.mktemp("direct") / "repo", products, seed, damaged)
    if strict:
        text = corpus.enterprise.read_text("utf-8")
        strict_text = text + "governance: {policy_enforcement_level: strict}\n"
        corpus.enterprise.write_text(strict_text, "utf-8")
    if ignore:  # a disabled rule that may be mandatory: the engine's loop runs it
        (corpus.root / ".floe-lint.yaml").write_text("ignore: [secret-literal]\n", "utf-8")
    monkeypatch.chdir(corpus.root)
    runs = [["."], ["products"], [str(corpus.enterprise.relative_to(corpus.root))]]
    for args in runs:
        for fmt in ("text", "json", "sarif"):
            monkeypatch.setattr(stamp, "DIRECT", True)
            direct = _check(args, fmt)
            monkeypatch.setattr(stamp, "DIRECT", False)
            assert direct[0] in (0, 1, 2), direct[2]
            assert _check(args, fmt) == direct, (args, fmt)


def test_a_rule_that_finds_something_is_stamped_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generate(tmp_path / "repo", 3, 5).root
    (root / "products" / "x").mkdir(parents=True)
    (root / "products" / "x" / "floe.yaml").write_text("name: x\nname: y\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".floe-lint.yaml").write_text("severity: {duplicate-key: warning}\n", "utf-8")
    direct = _check(["repo", "--select", "FL002"], "text")
    assert direct[1].startswith(
        "repo/products/x/floe.yaml:2:1: WARNING FL002 [duplicate-key] duplicate key 'name': "
        "YAML keeps only the last value, silently discarding the one at line 1"
    )
    monkeypatch.setattr(stamp, "DIRECT", False)
    assert _check(["repo", "--select", "FL002"], "text") == direct
