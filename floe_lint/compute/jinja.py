"""Jinja in the values of a compute's config: dbt renders every string of profiles.yml as a
Jinja template when it reads the profile, so a config value is run, not just read.

`{{ env_var('NAME') }}` is how a profile takes a value from the environment (with a default,
`env_var('PORT', '5432')` or a bare `env_var('DBT_THREADS', 4)` as real profiles write it, and
a conversion filter such as `| as_number`); any other Jinja
(`{{ log(env_var('SNOWFLAKE_PASSWORD'), info=true) }}` prints a credential into dbt's log, a
`{% ... %}` statement, a `{# #}` comment) is something no policy of floe-lint approved, so
`compute-config` reports it and `compile` refuses it. Read by hand, in time linear in the
value (no regular expression over file text).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: the filters a reference may end with: dbt's conversions of an environment string
_FILTERS = ("as_number", "as_bool", "as_text", "as_native", "int", "float", "string")
#: the bare constants a default may be besides a quoted string (`env_var('DBT_THREADS', 4)`)
_CONSTANTS = ("true", "false", "none", "True", "False", "None")
_OPENERS = ("{{", "{%", "{#")


def _blanks(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _quoted(text: str, at: int) -> int:
    """The index after a quoted string starting at `at` (no line break), or -1. A backslash
    escapes the next character, as Jinja's lexer reads a string literal: `'A\\', '` is one
    string there, so a reading that ended it at the second quote took the code after it for
    another argument (and the `}}` inside it for the reference's end)."""
    quote = text[at : at + 1]
    if quote not in ("'", '"'):
        return -1
    end = at + 1
    while end < len(text) and text[end] != quote:
        if text[end] == "\n":
            return -1
        end += 2 if text[end] == "\\" else 1
    return end + 1 if end < len(text) else -1


def _default(text: str, at: int) -> int:
    """The index after a default starting at `at`: a quoted string, a number (`4`, `-1.5`)
    or a constant (`true`, `none`), or -1. What follows is checked by the caller."""
    if text[at : at + 1] in ("'", '"'):
        return _quoted(text, at)
    word = next((c for c in _CONSTANTS if text.startswith(c, at)), None)
    if word is not None:
        return at + len(word)
    at = _digits(text, at + 1 if text[at : at + 1] in ("-", "+") else at)
    if at >= 0 and text.startswith(".", at):
        at = _digits(text, at + 1)
    return at


def _digits(text: str, at: int) -> int:
    """The index after the ASCII digits (at least one) starting at `at`, or -1."""
    end = at
    while end < len(text) and text[end] in "0123456789":
        end += 1
    return end if end > at else -1


def _is_reference(inner: str) -> bool:
    """Whether the text between `{{` and `}}` is `env_var('NAME'[, default])`, optionally
    followed by conversion filters, with Jinja's whitespace control (`{{-`, `-}}`) allowed."""
    at = _blanks(inner, 1 if inner.startswith("-") else 0)
    if not inner.startswith("env_var", at):
        return False
    at = _blanks(inner, at + len("env_var"))
    if not inner.startswith("(", at):
        return False
    at = _quoted(inner, _blanks(inner, at + 1))
    if at < 0:
        return False
    at = _blanks(inner, at)
    if inner.startswith(",", at):
        at = _default(inner, _blanks(inner, at + 1))
        if at < 0:
            return False
        at = _blanks(inner, at)
    if not inner.startswith(")", at):
        return False
    at = _blanks(inner, at + 1)
    while inner.startswith("|", at):
        at = _blanks(inner, at + 1)
        name = next((f for f in _FILTERS if inner.startswith(f, at)), None)
        if name is None:
            return False
        at = _blanks(inner, at + len(name))
    if at == len(inner) - 1 and inner[at] == "-":
        at += 1
    return at == len(inner)


def runs_jinja(value: str) -> bool:
    """Whether dbt would run Jinja in `value` beyond `{{ env_var(...) }}` references."""
    if "{" not in value:
        return False
    at = 0
    while True:
        starts = [i for i in (value.find(o, at) for o in _OPENERS) if i >= 0]
        if not starts:
            return False
        start = min(starts)
        if not value.startswith("{{", start):
            return True  # a statement or a comment
        end = value.find("}}", start + 2)
        if end < 0 or not _is_reference(value[start + 2 : end]):
            return True
        at = end + 2


def jinja_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The paths (keys and indexes) of the strings under `value` that run such Jinja."""
    if isinstance(value, str):
        if runs_jinja(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from jinja_paths(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from jinja_paths(item, (*path, index))


def dotted(path: tuple[str | int, ...]) -> str:
    """`extensions[0]`, `a.b`: a path as messages write it."""
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path).lstrip(".")


#: why such a value is refused, after "config 'KEY' "
MESSAGE = (
    "holds Jinja that dbt would run when it reads profiles.yml; a config value may take "
    "Jinja only as {{ env_var('NAME') }} (a default and | as_number allowed)"
)


def config_messages(properties: Mapping[str, Any]) -> list[str]:
    """`config KEY: ...` for each such value of a config, as `compile` refuses it."""
    return [
        f"config {'.'.join(str(p) for p in path)}: {MESSAGE}"
        for path in jinja_paths(dict(properties))
    ]


def profile_problem(plugin: str, profile: Mapping[str, Any]) -> str | None:
    """Why a plugin's rendered profile is refused for such Jinja (None: it holds none)."""
    run = [dotted(path) for path in jinja_paths(dict(profile))]
    if not run:
        return None
    return (
        f"plugin '{plugin}' put Jinja other than {{{{ env_var('NAME') }}}} in "
        f"{', '.join(run)}, which dbt would run when it reads profiles.yml"
    )
