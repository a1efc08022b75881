"""`suggest.closest` remembers its answers (a rule asks the same question of every transform
that names one compute): a remembered answer is the one it would compute again, whatever was
asked before, in whatever order the candidates come, and when the memo is full."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint import suggest

WORDS = st.sampled_from(["duckdb", "DuckDB", "spark", "sparc", "snowflake", "sn0wflake", "x", ""])


@settings(max_examples=200, deadline=None)
@given(
    asks=st.lists(
        st.tuples(WORDS, st.lists(WORDS, max_size=5), st.randoms(use_true_random=False)),
        max_size=12,
    )
)
def test_a_remembered_answer_is_the_one_computed_afresh(
    asks: list[tuple[str, list[str], object]],
) -> None:
    saved = suggest._ANSWERS_KEPT, dict(suggest._ANSWERS)
    suggest._ANSWERS_KEPT = 3  # the memo fills and empties while asked
    suggest._ANSWERS.clear()  # what earlier tests of this process asked is not this test's
    try:
        for word, candidates, order in asks:
            fresh = suggest._closest(word, tuple(sorted(set(candidates))))
            shuffled = list(candidates)
            order.shuffle(shuffled)  # type: ignore[attr-defined]
            assert suggest.closest(word, shuffled) == fresh
            assert suggest.closest(word, iter(candidates)) == fresh  # any iterable, once
            assert len(suggest._ANSWERS) <= 3
    finally:
        suggest._ANSWERS_KEPT = saved[0]
        suggest._ANSWERS.clear()
        suggest._ANSWERS.update(saved[1])


@pytest.mark.parametrize(
    ("word", "candidates", "clause"),
    [
        ("snowflak", ["duckdb", "snowflake"], "; did you mean 'snowflake'?"),
        ("DuckDB", ["duckdb", "spark"], "; did you mean 'duckdb'?"),
        ("FL2O1", ["FL201", "FL221"], "; did you mean 'FL201'?"),
        ("spark", ["spark"], ""),
        ("oracle", ["duckdb", "spark"], ""),
    ],
)
def test_the_clause_asked_twice_is_the_same(word: str, candidates: list[str], clause: str) -> None:
    assert suggest.did_you_mean(word, candidates) == clause
    assert suggest.did_you_mean(word, reversed(candidates)) == clause
