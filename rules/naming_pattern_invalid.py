"""A custom naming pattern must be a regular expression floe-core can compile.

Why: floe-core's `NamingConfig` compiles each of `governance.naming.custom_patterns` (with
`pattern: custom`) when it loads the manifest and refuses the whole file on the first one
Python's `re` cannot compile (`Invalid regex pattern ...`); without this rule the file passes
floe-lint and fails at `floe platform compile`. The pattern is only compiled here, never run
on any text, and only up to 500 characters (`floe_core.enforcement.patterns.MAX_PATTERN_LENGTH`,
a bound NamingConfig itself does not apply): compiling is not linear in a pattern's length (a
case-insensitive class of every character, repeated), so a longer one is not compiled, and not
reported either: NamingConfig accepts a long valid pattern, and an error on it would be false.
Compiling also walks every character of a class's ranges (`(?i)[\\u0000-\\uffff]`: 3-4 ms), so
a level's patterns are compiled within a budget of ranges summed on the parse tree (2,000,000
characters); a pattern past what is left is reported as not judged, never compiled nor passed.
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
    left = _BUDGET
    for index, pattern in enumerate(patterns.value):
        if not isinstance(pattern, str):
            continue  # not a string: the schema rules report it
        problem, left = _problem(pattern, left)
        if problem is not None:
            yield ctx.finding(
                patterns.child(index),
                f"governance.naming.custom_patterns[{index}] {_quoted(pattern)} {problem}",
            )


#: characters of classes' ranges a level's patterns may make `re` compile: compiling walks
#: every character of a range (`[\u0000-\uffff]`: 3-4 ms each), so 359 patterns of 30 such
#: classes (163 KB) took 43 s; this is about 30 of them
_BUDGET = 2_000_000


def _problem(pattern: str, left: int) -> tuple[str | None, int]:
    """Why floe-core cannot use `pattern` (None: it compiles), and what is left of the budget
    after compiling it; compiled, never matched."""
    if len(pattern) > _LONGEST:
        return None, left  # not compiled (its cost is unbounded), and floe-core may accept it
    return compile_problem(pattern, left, "its NamingConfig refuses the manifest when it loads it")


def compile_problem(pattern: str, left: int, refuses: str) -> tuple[str | None, int]:
    """Why Python's `re` on floe-core's oldest Python cannot compile `pattern` (None: it can),
    and what is left of the level's budget of class ranges; `refuses` says what floe-core then
    does. Shared by FL613 and FL615: compiled within the budget, never matched."""
    import re
    import warnings

    parser, constants = _sre()
    try:
        with warnings.catch_warnings():  # "Possible nested set" and the like: not floe-core's
            warnings.simplefilter("ignore")
            tree = None if parser is None else parser.parse(pattern)
            cost = 0 if tree is None else _ranges(tree, parser)
            if cost > left:
                return (
                    f"is not judged: its character classes span {cost:,} characters, which "
                    f"`re` compiles one by one, more than floe-lint's budget ({_BUDGET:,} for "
                    "a level's patterns) leaves; check that floe-core compiles it, or write "
                    "narrower classes"
                ), left
            re.compile(pattern)
            newer = None if tree is None else _newer_than_310(tree, parser, constants)
    except re.error as error:
        where = "" if error.pos is None else f" at position {error.pos}"
        return (
            f"is not a regular expression floe-core can compile ({error.msg}{where}): {refuses}",
            left,
        )
    except (RecursionError, OverflowError, MemoryError, ValueError):
        return (
            "is not a regular expression floe-core can compile (Python's re gives up on it): "
            f"{refuses}"
        ), left
    if newer is not None:
        return (
            f"is not a regular expression floe-core can compile on Python 3.10 ({newer}, new in "
            f"Python 3.11): floe-core supports 3.10, where {refuses}"
        ), left - cost
    return None, left - cost


def _sre() -> tuple[Any, Any]:
    """`re`'s private parser and constants (`re._parser`, `re._constants`; `sre_parse`,
    `sre_constants` before Python 3.11), or (None, None) where this Python has neither: then
    patterns are only compiled, with no budget and no check for 3.10 (never a traceback)."""
    import importlib

    for parser, constants in (("re._parser", "re._constants"), ("sre_parse", "sre_constants")):
        try:
            return importlib.import_module(parser), importlib.import_module(constants)
        except ImportError:
            continue
    return None, None


def _nodes(tree: Any, parser: Any) -> Iterator[Any]:
    """Every node of a parse tree (a stack: trees may nest deeply)."""
    todo: list[Any] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, parser.SubPattern):
            node = node.data
        if isinstance(node, list | tuple):
            yield node
            todo.extend(node)


def _ranges(tree: Any, parser: Any) -> int:
    """How many characters the ranges of the pattern's classes span."""
    return sum(
        node[1][1] - node[1][0] + 1
        for node in _nodes(tree, parser)
        if len(node) == 2
        and str(node[0]) == "RANGE"
        and isinstance(node[1], tuple)
        and len(node[1]) == 2
    )


def _newer_than_310(tree: Any, parser: Any, constants: Any) -> str | None:
    """What of a pattern's parse tree Python 3.10's `re` does not know (None: nothing)."""
    newer = {
        getattr(constants, "POSSESSIVE_REPEAT", None): "a possessive quantifier",
        getattr(constants, "ATOMIC_GROUP", None): "an atomic group",
    }
    newer.pop(None, None)
    for node in _nodes(tree, parser):
        if len(node) == 2 and any(node[0] is op for op in newer):
            return newer[node[0]]
    return None


def _quoted(pattern: str) -> str:
    """The pattern as a message quotes it (cut short when long)."""
    return repr(pattern if len(pattern) <= _SHOWN else pattern[:_SHOWN] + "...")
