"""A custom naming pattern must be a regular expression floe-core can compile.

Why: floe-core's `NamingConfig` compiles each of `governance.naming.custom_patterns` (with
`pattern: custom`) when it loads the manifest and refuses the whole file on the first one
Python's `re` cannot compile (`Invalid regex pattern ...`); without this rule the file passes
floe-lint and fails at `floe platform compile`. The pattern is only compiled here, never run
on any text, and only up to 500 characters (`floe_core.enforcement.patterns.MAX_PATTERN_LENGTH`,
a bound NamingConfig itself does not apply): compiling is not linear in a pattern's length (a
case-insensitive class of every character, repeated), so a longer one is not compiled, and not
reported either: NamingConfig accepts a long valid pattern, and an error on it would be false.
floe-core supports Python 3.10 (`Requires-Python: >=3.10`), whose `re` refuses the possessive
quantifiers (`a++`) and atomic groups (`(?>a)`) that 3.11 added; floe-lint runs on 3.11, so such
a pattern compiles here and is reported from the parse tree `re` built: on 3.10 NamingConfig
refuses the manifest ("multiple repeat", "unknown extension ?>").

Fails:
    # expect: manifest.yaml:5:77 governance.naming.custom_patterns[1] '^(raw|agg_' is not a regular expression floe-core can compile (missing ), unterminated subpattern at position 1): its NamingConfig refuses the manifest when it loads it
    # file: manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      naming: {enforcement: strict, pattern: custom, custom_patterns: ['^stg_', '^(raw|agg_']}

Passes:
    # file: manifest.yaml
    scope: enterprise
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      naming: {enforcement: strict, pattern: custom, custom_patterns: ['^stg_', '^(raw|agg)_']}
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID, NAME, SEVERITY, SUBJECT = "FL613", "naming-pattern-invalid", "error", "manifest"
KEYS = ("governance",)  # custom patterns live under governance only

#: floe-core's bound on a custom pattern (floe_core.enforcement.patterns.MAX_PATTERN_LENGTH)
_LONGEST = 500
_SHOWN = 60  # characters of a pattern a message quotes


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    naming = level.node.child("governance", "naming")
    if not isinstance(naming.value, dict) or naming.value.get("pattern") != "custom":
        return  # floe-core compiles custom patterns only for `pattern: custom`
    patterns = naming.child("custom_patterns")
    if not isinstance(patterns.value, list):
        return
    for index, pattern in enumerate(patterns.value):
        if not isinstance(pattern, str):
            continue  # not a string: the schema rules report it
        problem = _problem(pattern)
        if problem is not None:
            yield ctx.finding(
                patterns.child(index),
                f"governance.naming.custom_patterns[{index}] {_quoted(pattern)} {problem}",
            )


def _problem(pattern: str) -> str | None:
    """Why floe-core cannot use `pattern` (None: it compiles); compiled, never matched."""
    if len(pattern) > _LONGEST:
        return None  # not compiled (its cost is unbounded), and floe-core may accept it
    import re
    import warnings

    try:
        with (
            warnings.catch_warnings()
        ):  # "Possible nested set" and the like: not floe-core's concern
            warnings.simplefilter("ignore")
            re.compile(pattern)
            newer = _newer_than_310(pattern)
    except re.error as error:
        where = "" if error.pos is None else f" at position {error.pos}"
        return (
            f"is not a regular expression floe-core can compile ({error.msg}{where}): its "
            "NamingConfig refuses the manifest when it loads it"
        )
    except (RecursionError, OverflowError, MemoryError, ValueError):
        return (
            "is not a regular expression floe-core can compile (Python's re gives up on it): "
            "its NamingConfig refuses the manifest when it loads it"
        )
    if newer is not None:
        return (
            f"is not a regular expression floe-core can compile on Python 3.10 ({newer}, new in "
            "Python 3.11): floe-core supports 3.10, where its NamingConfig refuses the manifest "
            "when it loads it"
        )
    return None


def _newer_than_310(pattern: str) -> str | None:
    """What of `pattern`'s parse tree Python 3.10's `re` does not know (None: nothing)."""
    from re import _constants, _parser  # type: ignore[attr-defined]

    newer = {
        _constants.POSSESSIVE_REPEAT: "a possessive quantifier",
        _constants.ATOMIC_GROUP: "an atomic group",
    }
    todo: list[Any] = [_parser.parse(pattern)]
    while todo:
        node = todo.pop()
        if isinstance(node, _parser.SubPattern):
            node = node.data
        if not isinstance(node, list | tuple):
            continue
        if len(node) == 2 and any(node[0] is op for op in newer):
            return newer[node[0]]
        todo.extend(node)
    return None


def _quoted(pattern: str) -> str:
    """The pattern as a message quotes it (cut short when long)."""
    return repr(pattern if len(pattern) <= _SHOWN else pattern[:_SHOWN] + "...")
