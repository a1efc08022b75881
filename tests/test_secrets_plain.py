"""floe_lint.secrets reads keys and references by hand (compiling their patterns cost 2.3 M
instructions of the pre-commit hook's start-up, issue 17): the answers are those of the
patterns, on generated text."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from floe_lint import secrets
from tests.test_plain_patterns import near_references, references

PARTS = re.compile(r"[A-Za-z0-9]+")
WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
REFERENCE = re.compile(secrets.REFERENCE_PATTERN)

keys = st.text(st.sampled_from("aZ9_-.pwPWsTkK{}' |()İé٣") | st.characters(), max_size=40)
cased = st.text(st.sampled_from("aAbBzZ09_"), max_size=12)  # every case change and run
written = st.sampled_from(
    [
        "{{ env_var('DB_PASSWORD') }}",
        '{{env_var("X")}}',
        "{{ env_var('X', '') }}",
        "{{ env_var('X', 's3cr3t') }}",
        "{{ env_var('X') | as_number }}",
        "{{ env_var('X') | trim | lower }}",
        "{{ env_var('X') | default('') }}",
        "{{ env_var('X') | default('s3cr3t') }}",
        " {{ env_var('X') }} ",
        "${X}",
        "hunter2",
    ]
)


@given(keys | cased)
@example("HTTPToken")
@example("ABc")
@example("aB")
@example("A")
def test_key_words_are_those_of_the_patterns(key: str) -> None:
    expected = [w.lower() for part in PARTS.findall(key) for w in WORD.findall(part)]
    assert secrets.key_words(key) == expected


def secret_by_words(key: str) -> bool:
    """`is_secret_key` as it was, splitting every key."""
    words = secrets.key_words(key)
    if not words or words[-1] in secrets._NOT_A_CREDENTIAL:
        return False
    previous = ""
    for word in words:
        single = secrets._singular(word)
        if word in secrets._SECRET_WORDS or single in secrets._SECRET_WORDS:
            return True
        if single == "key" and previous in secrets._KEY_QUALIFIERS:
            return True
        previous = word
    return False


secret_parts = st.sampled_from(
    [
        *sorted(secrets._SECRET_WORDS | secrets._KEY_QUALIFIERS | secrets._NOT_A_CREDENTIAL),
        *["key", "Key", "KEY", "keys", "PASSWORDS", "Pw", "x", "1", "_", "-", ".", "İ"],
    ]
)
secretish = st.lists(secret_parts, max_size=4).map("".join)


@given(keys | secretish | cased)
def test_a_key_without_a_needle_is_no_secret_as_before(key: str) -> None:
    secrets.is_secret_key.cache_clear()
    assert secrets.is_secret_key(key) is secret_by_words(key)


@given(written | keys | references | near_references)
def test_is_reference_is_that_of_the_pattern(value: str) -> None:
    assert secrets.is_reference(value) is (REFERENCE.fullmatch(value.strip()) is not None)
    assert secrets.is_reference_text(value) is (REFERENCE.fullmatch(value) is not None)
