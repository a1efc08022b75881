"""ECMA-262's `\\s`, which a JSON Schema `pattern` means, for Python's `re` and by hand.

JSON Schema patterns are ECMA-262 regular expressions. Python's `\\s` differs from ECMA's: it
misses U+FEFF (ZERO WIDTH NO-BREAK SPACE, a byte-order mark) and adds U+001C to U+001F and
U+0085. So a schema pattern meant to forbid blanks let a name holding U+FEFF through.
"""

from __future__ import annotations

#: every character ECMA-262's `\s` matches: its WhiteSpace (tab, line tabulation, form feed,
#: space, U+FEFF and every other Zs character) and LineTerminator (LF, CR, U+2028, U+2029)
BLANKS = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
#: `BLANKS` as the inside of a regular expression's character class
BLANK_CLASS = r"\t\n\x0b\x0c\r\x20\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
#: every other character, likewise (for `\S` inside a class, which cannot be negated there)
NON_BLANK_CLASS = (
    r"\x00-\x08\x0e-\x1f\x21-\x9f\xa1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e"
    r"\u2030-\u205e\u2060-\u2fff\u3001-\ufefe\uff00-\U0010ffff"
)


def ecma_pattern(pattern: str) -> str:
    """`pattern` (a JSON Schema `pattern`) as Python's `re` must read it to match what
    ECMA-262 matches: `\\s` and `\\S` are ECMA's blanks (`BLANKS`) and the rest; and `$`
    is the end of the text only (Python's also matches before a final newline, so
    `^\\d+\\.\\d+\\.\\d+$` would pass "1.0.0\\n", which JSON Schema and pydantic refuse):
    every `$` outside a character class, not escaped, becomes `\\Z`."""
    if "$" not in pattern and "\\s" not in pattern and "\\S" not in pattern:
        return pattern
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
            if char in "sS":
                out.pop()  # the backslash
                blank = char == "s"
                if in_class:
                    out.append(BLANK_CLASS if blank else NON_BLANK_CLASS)
                else:
                    out.append(f"[{'' if blank else '^'}{BLANK_CLASS}]")
                continue
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append("\\Z")
            continue
        out.append(char)
    return "".join(out)
