"""floe_lint.secrets compiles its patterns when first used (a replayed check uses none): the
answers are those of the patterns compiled at import, as before."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from floe_lint import secrets

PARTS = re.compile(r"[A-Za-z0-9]+")
WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
REFERENCE = re.compile(secrets.REFERENCE_PATTERN)

keys = st.text(st.sampled_from("aZ9_-.pwPWsTkK{}' |()") | st.characters(), max_size=40)
references = st.sampled_from(
    [
        "{{ env_var('DB_PASSWORD') }}",
        '{{env_var("X")}}',
        "{{ env_var('X', '') }}",
        "{{ env_var('X', 's3cr3t') }}",
        "{{ env_var('X') | as_number }}",
        " {{ env_var('X') }} ",
        "${X}",
        "hunter2",
    ]
)


@given(keys)
def test_key_words_are_those_of_the_patterns(key: str) -> None:
    expected = [w.lower() for part in PARTS.findall(key) for w in WORD.findall(part)]
    assert secrets.key_words(key) == expected


@given(references | keys)
def test_is_reference_is_that_of_the_pattern(value: str) -> None:
    assert secrets.is_reference(value) is (REFERENCE.fullmatch(value.strip()) is not None)
