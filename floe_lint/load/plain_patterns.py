"""The `pattern`s of floe-lint's own schemas that a pre-commit check meets, as plain tests.

`fastschema` decides a `pattern` keyword with `re.compile(ecma_pattern(pattern)).search`
(`\\s` being ECMA-262's blanks, `floe_lint.load.ecma_blank`), and
`re`'s compiler is Python: the four patterns the values of a product and its two manifests
reach cost 4.4 M instructions of the hook's start-up (issue 17), more than checking every
value with them. Each test here answers `search(value) is not None` for every string, without
compiling anything (tests/test_plain_patterns.py compares both on generated text); a pattern
not listed is compiled as before.
"""

from __future__ import annotations

from floe_lint.load.ecma_blank import BLANKS
from floe_lint.secrets import REFERENCE_PATTERN, is_reference_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _name(first: str, rest: str) -> Callable[[str], bool]:
    """`^[FIRST][REST]*(?![\\s\\S])`: one character of `first`, then only those of `rest`."""
    starts = frozenset(first)
    return lambda value: value[:1] in starts and not value[1:].strip(rest)


#: U+061C, U+200E, U+200F (the Arabic letter, left-to-right and right-to-left marks),
#: U+202A-U+202E (embeddings, overrides, their end) and U+2066-U+2069 (isolates)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _no_blank_or_control(value: str) -> bool:
    """`^[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029`
    `\\u202a-\\u202e\\u2066-\\u2069]*(?![\\s\\S])`: no blank (ECMA-262's `\\s`, `BLANKS`,
    U+FEFF included), no C0 or C1 control character and no bidirectional mark, embedding,
    override or isolate (a Trojan Source path reads reordered)."""
    if value.isascii():  # printable ASCII is U+0020 to U+007E; the space is blank
        return value.isprintable() and " " not in value
    return not any(c in BLANKS or c <= "\x1f" or "\x7f" <= c <= "\x9f" or c in _BIDI for c in value)


#: pattern as the schema writes it -> the test `search` would be
TESTS: dict[str, Callable[[str], bool]] = {
    # a plugin's SECRET (floe_lint.compute.plugin.ENV_VAR_PATTERN): `\s` both sides is
    # what `str.strip(BLANKS)` removes, and the reference starts and ends with a brace
    rf"^\s*{REFERENCE_PATTERN}\s*$": lambda value: is_reference_text(value.strip(BLANKS), BLANKS),
    # schemas/floe.json: names, and text without blanks or control characters
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*(?![\s\S])": _name(_LETTERS + _DIGITS, _LETTERS + _DIGITS + "_.-"),
    r"^[A-Za-z][A-Za-z0-9_.-]*(?![\s\S])": _name(_LETTERS, _LETTERS + _DIGITS + "_.-"),
    r"^[^\s\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    r"\u2066-\u2069]*(?![\s\S])": _no_blank_or_control,
}
