"""Jinja in the values of a compute's config: dbt renders every string of profiles.yml as a
Jinja template when it reads the profile, so a config value is run, not just read.

`{{ env_var('NAME') }}` is how a profile takes a value from the environment, and real profiles
dress it up without running anything else: a default (`env_var('PORT', '5432')`, a bare
`env_var('DBT_THREADS', 4)`, `env_var('DBT_SCHEMA', 'dbt_' ~ env_var('USER'))`), pure filters
with literal arguments (`| as_number`, `| lower`, `| default('dev')`, `| replace('-', '_')`) and
`~` joins with literals (`'dbt_' ~ env_var('USER')`). Any other Jinja is something no policy of
floe-lint approved: a call (`{{ log(env_var('SNOWFLAKE_PASSWORD'), info=true) }}` prints a
credential into dbt's log), an attribute or another variable (`var`, `modules`, `.__class__`), a
name that is not a literal (`env_var(env_var('X'))`), a `{% ... %}` statement, a `{# #}`
comment: `compute-config` reports it and `compile` refuses it. Read by hand, token by token as
Jinja's lexer reads them (a quote escaped with a backslash does not end a string), in time
linear in the value: no regular expression over file text, no backtracking.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: filters that only convert or reshape a string (dbt's conversions, Jinja's pure string
#: filters); their arguments may only be literals
_FILTERS = frozenset(
    (
        "as_number", "as_bool", "as_text", "as_native", "int", "float", "string",
        "default", "d", "lower", "upper", "trim", "title", "capitalize", "replace",
    )
)  # fmt: skip
#: the bare constants a literal may be besides a quoted string or a number
_CONSTANTS = frozenset(("true", "false", "none", "True", "False", "None"))
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
#: how deep defaults and parentheses may nest (each level is a call of the reader)
_DEPTH = 8


def _blanks(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _word(text: str, at: int) -> int:
    """The index after the name characters (ASCII letters, digits, `_`) starting at `at`."""
    while at < len(text) and text[at] in _WORD:
        at += 1
    return at


def _quoted(text: str, at: int) -> int:
    """The index after a quoted string starting at `at`, or -1. A backslash escapes the next
    character, as in Jinja's lexer (`'a\\'` does not end at its second quote); a line break
    is a character of the string, as there (its pattern is read with `re.S`)."""
    quote = text[at : at + 1]
    if quote not in ("'", '"'):
        return -1
    at += 1
    while at < len(text):
        char = text[at]
        if char == quote:
            return at + 1
        at += 2 if char == "\\" else 1
    return -1


def _digits(text: str, at: int) -> int:
    """The index after the ASCII digits (at least one) starting at `at`, or -1."""
    end = at
    while end < len(text) and text[end] in "0123456789":
        end += 1
    return end if end > at else -1


def _literal(text: str, at: int) -> int:
    """The index after a literal starting at `at`: a quoted string, a number (`4`, `-1.5`) or
    a constant (`true`, `none`), or -1. What follows is checked by the caller."""
    if text[at : at + 1] in ("'", '"'):
        return _quoted(text, at)
    end = _word(text, at)
    if text[at:end] in _CONSTANTS:
        return end
    at = _digits(text, at + 1 if text[at : at + 1] in ("-", "+") else at)
    if at >= 0 and text.startswith(".", at):
        at = _digits(text, at + 1)
    return -1 if at < 0 or _word(text, at) > at else at


def _arguments(text: str, at: int) -> int:
    """The index after a filter's `(literal, ...)` starting at `at`, or -1."""
    at = _blanks(text, at + 1)
    while not text.startswith(")", at):
        at = _literal(text, at)
        if at < 0:
            return -1
        at = _blanks(text, at)
        if text.startswith(",", at):
            at = _blanks(text, at + 1)
        elif not text.startswith(")", at):
            return -1
    return at + 1


def _primary(text: str, at: int, depth: int) -> int:
    """The index after `env_var('NAME'[, expression])`, `(expression)` or a literal, or -1."""
    if text.startswith("(", at):
        at = _expression(text, at + 1, depth - 1)
        return at + 1 if at >= 0 and text.startswith(")", at) else -1
    end = _word(text, at)
    if text[at:end] != "env_var":
        return _literal(text, at)
    at = _blanks(text, end)
    if not text.startswith("(", at):
        return -1
    at = _quoted(text, _blanks(text, at + 1))
    if at < 0:
        return -1
    at = _blanks(text, at)
    if text.startswith(",", at):
        at = _expression(text, at + 1, depth - 1)
        if at < 0:
            return -1
    return at + 1 if text.startswith(")", at) else -1


def _operand(text: str, at: int, depth: int) -> int:
    """The index after a primary and its filters (`| name` or `| name(literal, ...)`), or -1."""
    at = _primary(text, _blanks(text, at), depth)
    while at >= 0:
        at = _blanks(text, at)
        if not text.startswith("|", at):
            return at
        start = _blanks(text, at + 1)
        end = _word(text, start)
        if text[start:end] not in _FILTERS:
            return -1
        at = _blanks(text, end)
        if text.startswith("(", at):
            at = _arguments(text, at)
    return -1


def _expression(text: str, at: int, depth: int) -> int:
    """The index after operands joined by `~` (blanks after it skipped), or -1."""
    if depth <= 0:
        return -1
    at = _operand(text, at, depth)
    while at >= 0 and text.startswith("~", at):
        at = _operand(text, at + 1, depth)
    return at


def _reference_end(value: str, start: int) -> int:
    """The index after the `{{ ... }}` starting at `start` when all it holds is an allowed
    expression (Jinja's whitespace control `{{-`, `-}}` allowed), or -1."""
    at = start + 3 if value.startswith("-", start + 2) else start + 2
    at = _expression(value, at, _DEPTH)
    if at < 0:
        return -1
    if value.startswith("-}}", at):
        return at + 3
    return at + 2 if value.startswith("}}", at) else -1


def runs_jinja(value: str) -> bool:
    """Whether dbt would run Jinja in `value` beyond `{{ env_var(...) }}` references."""
    at = value.find("{")
    while at >= 0:
        opener = value[at + 1 : at + 2]
        if opener in ("%", "#"):
            return True  # a statement or a comment
        if opener == "{":
            at = _reference_end(value, at)
            if at < 0:
                return True
        else:
            at += 1
        at = value.find("{", at)
    return False


#: what upstream's compile puts for `{product_name}` and `{product_slug}` when checking: a
#: product name (`^[a-z][a-z0-9-]*$`) that is part of no word the reader allows, so where a
#: placeholder stands in code (`env_var('X', {product_name})`) the value is refused for every
#: product, and where it stands in text or in a string it changes no opener or string end
PRODUCT = "q"


def filled(value: str) -> str:
    """`value` as upstream's compile hands it to the compute plugin (floe-core's
    `_expand_product_placeholders`, name first, then slug), for any product."""
    return value.replace("{product_name}", PRODUCT).replace("{product_slug}", PRODUCT)


def jinja_paths(
    value: Any, path: tuple[str | int, ...] = (), placeholders: bool = False
) -> Iterator[tuple[str | int, ...]]:
    """The paths (keys and indexes) of the strings under `value` that run such Jinja; with
    `placeholders`, once upstream's compile has filled `{product_name}` (`filled`)."""
    if isinstance(value, str):
        if runs_jinja(filled(value) if placeholders else value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from jinja_paths(item, (*path, str(key)), placeholders)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from jinja_paths(item, (*path, index), placeholders)


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
