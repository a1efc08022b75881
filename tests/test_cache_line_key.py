"""`floe_lint.lint.lines._key`, the key a store line starts with, finds a backslash in it with
`bytes.find` (issue 17: `b"\\\\" not in line[1:end]` copied the key and raised and cleared an
exception a line, about 5 M instructions of an edited 1,000-product run): the same answer as
that spelling for any line."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from floe_lint.lint.lines import _key


def _before(line: bytes) -> str | None:
    """`_key` as it was written before (the reference)."""
    end = line.find(b'"', 1)
    if not line.startswith(b'"') or end < 0:
        return None
    if b"\\" not in line[1:end]:
        if line[end + 1 : end + 2] != b":":
            return None
        try:
            return line[1:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        text = line.decode("utf-8")
        key, at = json.JSONDecoder().raw_decode(text)
    except (UnicodeDecodeError, ValueError):
        return None
    return key if isinstance(key, str) and text[at : at + 1] == ":" else None


@given(
    st.one_of(
        st.text(max_size=12).map(lambda t: json.dumps(t, ensure_ascii=False).encode()),
        st.binary(max_size=12).map(lambda b: b'"' + b),
        st.binary(max_size=16),
    ),
    st.sampled_from([b':{"h":"x"}', b":", b"", b" :{}", b'"', b'\\":{}']),
)
@example(b'"a\\"b"', b":{}")
@example(b'"a\\\\"', b":{}")
@example(b'"\\', b'":{}')
def test_the_key_is_what_the_former_spelling_read(head: bytes, rest: bytes) -> None:
    line = head + rest
    assert _key(line) == _before(line)
