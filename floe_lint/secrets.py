"""What counts as a credential, and what counts as a reference to one.

Shared by every place that must never echo or write a secret (the secret-literal rule, source
excerpts, messages, compiled profiles), so that one place decides. Everything here runs in time
linear in its input: keys and values are user text.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: A key word that, on its own, names a credential (`dbPassword`, `pw`, `secret_token`).
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "pw",
        "pass",
        "passcode",
        "passphrase",
        "token",
        "secret",
        "credential",
        "credentials",
        "apikey",
        "keyfile",
        "privatekey",
        "accesskey",
        "secretkey",
    }
)
#: Words that make a following `key` a credential (`private_key`, `secretAccessKey`).
_KEY_QUALIFIERS = frozenset(
    {"private", "api", "access", "secret", "signing", "encryption", "master", "account"}
)
#: A last word that says the key names where a credential is, not the credential itself:
#: `password_env_var`, `private_key_path`, `connection_secret_ref`, `token_ttl`.
_NOT_A_CREDENTIAL = frozenset(
    {
        "ref",
        "refs",
        "reference",
        "env",
        "var",
        "variable",
        "path",
        "file",
        "dir",
        "name",
        "uri",
        "url",
        "method",
        "type",
        "kind",
        "provider",
        "backend",
        "namespace",
        "source",
        "mount",
        "ttl",
        "timeout",
        "expiry",
        "length",
        "policy",
        "version",
        "region",
        "scope",
        "mode",
        "format",
    }
)
_DIGITS = frozenset("0123456789")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def key_words(key: str) -> list[str]:
    """A key split into lower-case words at `_`, `-`, `.`, case changes and digits: what
    `[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+` finds in each run of ASCII letters and digits
    (`db`+`Password`, `HTTP`+`Token`, `password`+`1`), read by hand in one pass (compiling
    the two patterns cost 0.8 M instructions of the pre-commit hook's start-up, issue 17;
    tests/test_secrets_plain.py compares both on generated keys). No word crosses a
    character outside the runs, so the key is read whole."""
    words: list[str] = []
    end = len(key)
    at = 0
    while at < end:
        char = key[at]
        stop = at + 1
        if char in _LOWER or char in _DIGITS:
            same = _LOWER if char in _LOWER else _DIGITS
            while stop < end and key[stop] in same:
                stop += 1
        elif char in _UPPER:
            if stop < end and key[stop] in _LOWER:  # `Password`: one capital, then lower case
                while stop < end and key[stop] in _LOWER:
                    stop += 1
            else:  # `HTTP` of `HTTPToken`: capitals, but not the one a lower-case word takes
                while stop < end and key[stop] in _UPPER:
                    stop += 1
                if stop < end and key[stop] in _LOWER:
                    stop -= 1
        else:
            at = stop
            continue
        words.append(key[at:stop].lower())
        at = stop
    return words


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


@lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    """True for `password`, `dbPassword`, `secretAccessKey`, `pw`, `password1`, `passwords`;
    false for `passthrough`, `bypass`, `password_env_var`, `private_key_path`."""
    lowered = key.lower()
    if not any(needle in lowered for needle in _SECRET_NEEDLES):  # (most keys)
        return False
    words = key_words(key)
    if not words or words[-1] in _NOT_A_CREDENTIAL:
        return False
    previous = ""
    for word in words:
        single = _singular(word)
        if word in _SECRET_WORDS or single in _SECRET_WORDS:
            return True
        if single == "key" and previous in _KEY_QUALIFIERS:
            return True
        previous = word
    return False


#: Every key `is_secret_key` accepts holds one of these (case aside): each secret word and
#: singular contains one, and a qualified credential ends in `key` (so `is_secret_key` splits
#: only a key holding one; tests/test_secrets_plain.py compares it with splitting every key).
_SECRET_NEEDLES = ("pw", "pass", "token", "secret", "credential", "key")


def may_hold_credentials(text: str) -> bool:
    """False only when no document parsed from `text` can hold a key `is_secret_key` accepts,
    so `literal_credentials` would find nothing in it: without a backslash (an escape in a
    quoted key) every key is written in the text as it reads, aliases and merges included.
    An empty text (a document built without one) may hold anything."""
    if not text or "\\" in text:
        return True
    lowered = text.lower()
    return any(needle in lowered for needle in _SECRET_NEEDLES)


def may_hold_url_credentials(text: str) -> bool:
    """False only when no string value parsed from `text` holds both `://` and `@` (so none
    carries a `scheme://user:password@` URL): without a backslash every value's characters
    are in the text, and folding lines only ever joins them with a blank or a line break.
    An empty text (a document built without one) may hold anything."""
    return not text or "\\" in text or ("://" in text and "@" in text)


def names_no_credential(key: str) -> bool:
    """Inside a credential's mapping, a key such as `type` or `secret_ref` holds no secret."""
    words = key_words(key)
    return bool(words) and words[-1] in _NOT_A_CREDENTIAL


#: Filters that only convert or reshape the variable's value (dbt's conversions, Jinja's pure
#: string filters), written without arguments: none can add text of its own, so a reference
#: through them is still not a credential. `default` may take only the empty literal (as
#: `env_var` may): `| default('s3cr3t')` carries the credential itself.
PURE_FILTERS = (
    "as_number", "as_bool", "as_text", "as_native", "int", "float", "string",
    "lower", "upper", "trim", "title", "capitalize",
)  # fmt: skip
_EMPTY = r"(?:''|\"\")"
# `{{ env_var('NAME') }}`, then any of those filters (`| trim | lower`, `| default('')`):
# nothing else, no default value but the empty one (an optional passphrase). Each quantifier
# is followed by a character it cannot match, and a filter's name by a blank, `|`, `(` or `}`
# (none a name's character), so matching is linear. The same text is the JSON Schema pattern
# of a plugin's SECRET.
REFERENCE_PATTERN = (
    r"\{\{\s*env_var\(\s*(?:'[A-Za-z_][A-Za-z0-9_]*'|\"[A-Za-z_][A-Za-z0-9_]*\")"
    rf"\s*(?:,\s*{_EMPTY}\s*)?\)\s*"
    rf"(?:\|\s*(?:{'|'.join(PURE_FILTERS)}|default\s*\(\s*{_EMPTY}\s*\))\s*)*\}}\}}"
)


_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS = _NAME_START | frozenset("0123456789")
_PURE = frozenset(PURE_FILTERS)


def _blanks(text: str, at: int, blanks: str | None) -> int:
    """The index of the first non-blank (`\\s`: `str.isspace`, or one of `blanks`) at or
    after `at`."""
    end = len(text)
    if blanks is None:
        while at < end and text[at].isspace():
            at += 1
    else:
        while at < end and text[at] in blanks:
            at += 1
    return at


def is_reference_text(text: str, blanks: str | None = None) -> bool:
    """Whether `REFERENCE_PATTERN` matches the whole of `text`, read by hand: compiling the
    pattern (`re`'s compiler is Python) cost 1.5 M instructions of the pre-commit hook's
    start-up (issue 17). Each blank run of the pattern is followed by a character that cannot
    be blank, so reading blanks greedily decides what the pattern decides
    (tests/test_secrets_plain.py compares both on generated text). `\\s` is Python's (as
    Jinja reads the reference), or the characters of `blanks` (ECMA-262's, for a schema)."""
    if not text.startswith("{{"):
        return False
    at = _blanks(text, 2, blanks)
    if not text.startswith("env_var(", at):
        return False
    at = _blanks(text, at + 8, blanks)
    quote = text[at : at + 1]
    if quote != "'" and quote != '"':
        return False
    at += 1
    if at >= len(text) or text[at] not in _NAME_START:
        return False
    at += 1
    while at < len(text) and text[at] in _NAME_CHARS:
        at += 1
    if not text.startswith(quote, at):
        return False
    at = _blanks(text, at + 1, blanks)
    if text.startswith(",", at):  # the empty default: `''` or `""`
        at = _empty_literal(text, at + 1, blanks)
        if at < 0:
            return False
    if not text.startswith(")", at):
        return False
    at = _blanks(text, at + 1, blanks)
    while text.startswith("|", at):  # a filter: a whole name (a longer one is none of them)
        start = _blanks(text, at + 1, blanks)
        at = start
        while at < len(text) and text[at] in _NAME_CHARS:
            at += 1
        name = text[start:at]
        if name == "default":
            at = _blanks(text, at, blanks)
            if not text.startswith("(", at):
                return False
            at = _empty_literal(text, at + 1, blanks)
            if at < 0 or not text.startswith(")", at):
                return False
            at += 1
        elif name not in _PURE:
            return False
        at = _blanks(text, at, blanks)
    return at + 2 == len(text) and text.startswith("}}", at)


def _empty_literal(text: str, at: int, blanks: str | None) -> int:
    """The index after blanks, `''` or `""`, and blanks, starting at `at`; or -1."""
    at = _blanks(text, at, blanks)
    if not (text.startswith("''", at) or text.startswith('""', at)):
        return -1
    return _blanks(text, at + 2, blanks)


def is_reference(value: object) -> bool:
    """True when the whole value is `{{ env_var('NAME') }}` (optionally through pure filters,
    `| as_number`, `| trim`, `| default('')`, or with an empty default).

    A default (`env_var('X', 's3cr3t')`), a literal template (`{{ 'x' }}`) or a shell form
    (`${X:-x}`) is not: each can carry the credential itself.
    """
    return isinstance(value, str) and is_reference_text(value.strip())


def is_templated(value: object) -> bool:
    """True when a string is resolved at run time: it holds `{{ … }}` or `${…}`.

    Two `find`s instead of a regex: a value of 20,000 `{{` is checked in linear time.
    """
    if not isinstance(value, str):
        return False
    start = value.find("{{")
    if start >= 0 and value.find("}}", start + 2) >= 0:
        return True
    start = value.find("${")
    return start >= 0 and value.find("}", start + 2) >= 0


def is_literal(value: object) -> bool:
    """A value in a credential position that carries the credential itself."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and value.strip() != "" and not is_reference(value)


Path = tuple[str | int, ...]
#: Top-level keys whose own keys name plugin categories, not credentials: upstream Floe's
#: `secrets` category (`plugins.secrets: {type: kubernetes}`, `approved_plugins.secrets:
#: [kubernetes, external-secrets]`) holds plugin names; a credential inside it still counts.
CATEGORY_HOLDERS = frozenset({"plugins", "approved_plugins"})


def _names_category(path: Path) -> bool:
    return len(path) == 1 and path[0] in CATEGORY_HOLDERS


def literal_credentials(value: Any, path: Path = (), inside: bool = False) -> Iterator[Path]:
    """The path of every literal credential in `value`: a scalar under a credential-like key,
    however deeply nested in mappings and lists below it (`password: [x]`,
    `s3_secret_access_key: {value: x}`). `value` is a whole document when `path` is empty:
    a plugin category named like a credential (`plugins.secrets`) is not one."""
    if isinstance(value, dict):
        for key, child in value.items():
            name = str(key)
            if inside and names_no_credential(name):
                continue
            secret = is_secret_key(name) and not _names_category(path)
            yield from literal_credentials(child, (*path, name), inside or secret)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from literal_credentials(child, (*path, index), inside)
    elif inside and is_literal(value):
        yield path


_URL_STOPS = frozenset("/@ \t\r\n\"'")


def url_passwords(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) of the password in every `scheme://user:password@` of `text`.

    A scan from each `://` to the first `/`, `@`, quote or blank, so each character is read a
    bounded number of times (a pattern that tries every start position would not be linear).
    """
    at = text.find("://")
    while at >= 0:
        start = at + 3
        end = start
        while end < len(text) and text[end] not in _URL_STOPS:
            end += 1
        if end < len(text) and text[end] == "@":
            colon = text.find(":", start, end)
            if colon >= 0 and colon + 1 < end:
                yield colon + 1, end
        at = text.find("://", max(end, at + 3))


def mask_url_credentials(text: str) -> str:
    """`text` with the password of every `scheme://user:password@host` starred, character for
    character (`user:*******@`), so that columns into the text still hold."""
    if "://" not in text:
        return text
    parts, last = [], 0
    for start, end in url_passwords(text):
        parts += [text[last:start], "*" * (end - start)]  # the same length: columns hold
        last = end
    return "".join(parts) + text[last:] if parts else text
