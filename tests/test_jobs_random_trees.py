"""`check --jobs 2` prints byte for byte what `--jobs 1` prints, in every format, on random trees:
generated products and manifests with random damage (a file that does not parse, a duplicate
key, a literal password, a misspelt key, an unknown compute, a YAML file that is no Floe
document, a per-environment overlay)."""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import Corpus, generate
from floe_lint.cli import main

DAMAGE = (
    lambda text: text[: len(text) // 2] + "\n  - [unclosed\n",
    lambda text: text + "name: again\n",
    lambda text: text.replace("transforms:", "secrets: {password: hunter2}\ntransforms:", 1),
    lambda text: text.replace("transforms:", "transfroms:", 1),
    lambda text: text.replace("compute: duckdb", "compute: duckdbb", 1),
    lambda text: "just: [a, yaml, file]\n",
    lambda text: "",
)


def damaged_corpus(
    folder: Path,
    products: int,
    seed: int,
    damaged: int,
    overlays: int = 0,
    *,
    among: str = "files",
    damage: Sequence[Callable[[str], str]] = DAMAGE,
) -> Corpus:
    """A generated tree with `damaged` of its files (`among`: "files" or "products") broken by
    one of `damage`, and `overlays` products given a per-environment file that changes a
    compute; the same tree for the same arguments."""
    corpus = generate(folder, products, seed)
    rng = random.Random(seed)
    pool = corpus.files if among == "files" else corpus.products
    for path in rng.sample(pool, min(damaged, len(pool))):
        path.write_text(rng.choice(damage)(path.read_text("utf-8")), "utf-8")
    for path in rng.sample(corpus.products, min(overlays, len(corpus.products))):
        path.with_name("floe.prod.yaml").write_text(
            "transforms: [{path: models/staging/x/, compute: spark}]\n", "utf-8"
        )
    return corpus


def _check(root: Path, fmt: str, jobs: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", str(root), "--no-cache", "--format", fmt, "--jobs", jobs], out, err)
    return code, out.getvalue(), err.getvalue()


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 100_000),
    products=st.integers(2, 30),
    damaged=st.integers(0, 6),
    overlays=st.integers(0, 2),
)
def test_two_processes_print_what_one_prints(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    products: int,
    damaged: int,
    overlays: int,
) -> None:
    corpus = damaged_corpus(
        tmp_path_factory.mktemp("jobs") / "repo", products, seed, damaged, overlays
    )
    monkeypatch.chdir(corpus.root.parent)
    for fmt in ("text", "json", "sarif"):
        serial = _check(Path("repo"), fmt, "1")
        assert serial[0] in (0, 1), serial[2]
        assert _check(Path("repo"), fmt, "2") == serial
