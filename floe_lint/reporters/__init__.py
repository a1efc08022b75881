"""Report formats: one module per format, each turning findings into text on a stream.

Nothing but a reporter writes to stdout.
"""

from __future__ import annotations

from pathlib import Path

from floe_lint.findings import Finding
from floe_lint.load.paths import relative_posix


def display_path(path: Path, cwd: Path | None = None) -> str:
    """Paths relative to the working directory, in POSIX form (outside it: relative with ..)."""
    return relative_posix(path, cwd)


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key(display_path(f.path)))


# Control characters (C0 but tab, DEL, C1), Unicode line and paragraph separators and bidi
# controls: in user text they could start a forged line (a GitHub `::error` command), move the
# cursor or recolour a terminal, or reorder what a reader sees. U+FEFF too: invisible.
_ESCAPES: dict[int, str] = {
    code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if code != 0x09
}
_ESCAPES.update({0x0A: "\\n", 0x0D: "\\r"})
_ESCAPES.update(
    {
        code: f"\\u{code:04x}"
        for code in (0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F))
    }
)
_ESCAPES.update({code: f"\\u{code:04x}" for code in range(0x2066, 0x206A)})
_ESCAPES[0xFEFF] = "\\ufeff"  # (a blank to a schema's pattern: ECMA-262's `\\s`)
# Invisible format characters (zero-width space, non-joiner, joiner, word joiner, the invisible
# operators, the Mongolian vowel separator, the soft hyphen): a name or path holding one shows
# as another (`spa<U+200B>rk` as `spark`, `models/<U+200B>x/` as `models/x/`) to a reviewer.
_INVISIBLE = (0x00AD, 0x180E, *range(0x200B, 0x200E), *range(0x2060, 0x2065))
_ESCAPES.update({code: f"\\u{code:04x}" for code in _INVISIBLE})


#: what `json_text` writes as a `\\u` escape: the characters above that JSON leaves raw when
#: it keeps non-ASCII text (DEL, C1 controls, line separators, bidi controls, U+FEFF, the
#: invisible format characters)
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in _ESCAPES if code >= 0x7F}


def json_text(data: object, **options: object) -> str:
    """`data` as JSON with non-ASCII text kept, each character `printable` escapes written as a
    `\\u` escape: the same data, but a C1 control (U+009B starts a terminal's control sequence),
    a line separator or a bidi control of user text reaches no terminal or reader raw, as
    `json.dumps(ensure_ascii=False)` left them. Such characters occur only inside strings."""
    import json

    text = json.dumps(data, ensure_ascii=False, **options)  # type: ignore[arg-type]
    if text.isascii() and "\x7f" not in text:
        return text
    return text.translate(_JSON_ESCAPES)


def printable(text: str) -> str:
    """`text` with every control character written as an escape (`\\n`, `\\x1b`), so that user
    text (keys, values, paths, messages) can never end a line or drive a terminal, nor show
    the password of a URL."""
    if "://" in text:  # and the password of a `scheme://user:password@host` starred
        from floe_lint.secrets import mask_url_credentials

        text = mask_url_credentials(text)
    return text.translate(_ESCAPES)


def markdown_text(text: str) -> str:
    """User text as Markdown that shows it literally, on one line: control characters escaped
    (`printable`), and every character Markdown reads as emphasis, code, a link, HTML, a table
    cell or a heading backslash-escaped."""
    text = printable(text)
    for char in "\\`*_[]<>|#!~":
        text = text.replace(char, "\\" + char)
    return text


def markdown_code(text: str) -> str:
    """User text as a Markdown code span that shows it literally: fenced with one backtick more
    than its longest run of them (backslashes do not escape inside a code span), padded with a
    space where it starts or ends with a backtick or space, control characters escaped."""
    text = printable(text)
    if not text:
        return "` `"  # CommonMark has no empty code span: a space shows there is nothing
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"
