"""Whether a custom naming pattern lets through only names the convention above it lets through.

floe-core passes a model name when `re.match` of any custom pattern succeeds (a prefix match,
`enforcement.patterns.matches_custom_patterns`). Whether one regex matches no more than others
is hard in general, and running a user's regex on any text may backtrack without bound, so
this decides on the parse trees `re` builds (patterns of up to 500 characters, never run):

- kept: after leading `^`/`\\A` (always true at the start), trailing `*`/`?` repeats of a
  pattern above (zero of them always do) and, in the pattern below only, leading lookarounds
  (dropping them can only widen it), each variant of the pattern below (its groups and
  alternations spelt out: `(raw|agg)_` is `raw_` or `agg_`) begins, item by item, with a
  variant of a pattern above or with items that match no more (`[a-c]` in `[a-z]`), under the
  same flags or below a case-insensitive one (`floe_lint.model.regex_items`): a name the longer
  one matches, the shorter one matches too (`^raw_` above `raw_[a-z]+$`, `(?!tmp)^raw_.*`,
  `^(raw|agg)_` below `^raw_` and `^agg_`, `^raw_x` below `(?i)^RAW_.*?`);
- wider: the pattern below is literal text, then maybe `.*`/`.+` (or lazy), maybe `$`, so it
  surely matches a name (also with its ASCII letters in upper case, when it ignores case), and
  every pattern above surely refuses that name: its own literal start differs (or, for a
  preset, upstream's check refuses it);
- unproven: anything else.
"""

from __future__ import annotations

from functools import lru_cache

from floe_lint.model.regex_items import case_safe, flags_cover, starts_with, variants

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: upstream's preset regexes (floe_core.enforcement.patterns MEDALLION_PATTERN, KIMBALL_PATTERN),
#: compared on their parse trees only: never run here (upstream's check is `matches_naming`)
PRESETS = {
    "medallion": r"^(bronze|silver|gold)_[a-z][a-z0-9_]*$",
    "kimball": r"^(dim|fact|bridge|hub|link|sat)_[a-z][a-z0-9_]*$",
}
KEPT, WIDER, UNPROVEN, INVALID = "kept", "wider", "unproven", "invalid"
#: floe-core's bound on a custom pattern (enforcement.patterns.MAX_PATTERN_LENGTH): a longer one
#: is not parsed here (its cost is not linear)
_LONGEST = 500
#: endings tried after the literal start of a pattern below, to find a name it matches
_ENDINGS = ("", "x", "z", "q", "0", "_", "zz_x")


def naming_within(
    pattern: str, above: list[str], presets: dict[str, str]
) -> tuple[str, str | None]:
    """(KEPT, None), (WIDER, a name `pattern` matches and nothing above does), (UNPROVEN,
    None), or (INVALID, None) when `re` cannot parse it (FL613 reports it); `above` are custom
    regexes above, `presets` the presets above (`medallion`, `kimball`) with their regexes."""
    if len(pattern) > _LONGEST:
        return UNPROVEN, None
    own = _parsed(pattern)
    if own is None:
        return (INVALID, None) if sre_parser() is not None else (UNPROVEN, None)
    flags, items = own
    whole, items = _without_anchor(items), _without_assertions(items)
    starts: list[tuple[int, tuple[Any, ...]]] = []
    for theirs in map(_starts, [*above, *presets.values()]):
        if theirs is not None and flags_cover(theirs[0], flags, theirs[2]):
            starts += [(flags | theirs[0], variant) for variant in theirs[1]]
    for candidate in (items, *_lookaheads(whole)):  # each holds every name the pattern does
        if all(
            any(starts_with(v, s, f, f & 2 > 0) for f, s in starts) for v in variants(candidate)
        ):
            return KEPT, None
    # names from the whole pattern: a lookaround dropped above may refuse them
    for name in _preset_names(whole) or _names_matched(whole, flags):
        if all(_refuses(text, name) for text in above) and all(
            not _preset_matches(name, preset) for preset in presets
        ):
            return WIDER, name
    return UNPROVEN, None


#: parsed once a run: every pattern of a level is compared with every pattern above (and each
#: name found with each above), so parsing anew each time made a level of 160 patterns under
#: 160 cost 17 s (quadratic in the file); the trees are tuples, shared safely
@lru_cache(maxsize=1 << 14)
def _parsed(pattern: str) -> tuple[int, tuple[Any, ...]] | None:
    """The global flags and top-level items of `pattern` as `re` parses it (None: it does
    not, or it is longer than floe-core's bound)."""
    parser = sre_parser()
    if len(pattern) > _LONGEST or parser is None:
        return None
    try:
        parsed = parser.parse(pattern)
    except Exception:  # re.error, RecursionError, OverflowError: FL613 reports what it can
        return None
    return int(parsed.state.flags), _frozen(parsed, parser.SubPattern)


def sre_parser() -> Any:
    """`re`'s own parser (`re._parser`; `sre_parse` before Python 3.11), or None where this
    Python has neither: a private module, so its absence makes every pattern unproven (FL614's
    warning), never a traceback."""
    import importlib

    for name in ("re._parser", "sre_parse"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "parse") and hasattr(module, "SubPattern"):
            return module
    return None


@lru_cache(maxsize=1 << 14)
def _starts(pattern: str) -> tuple[int, tuple[tuple[Any, ...], ...], bool] | None:
    """A pattern above as patterns below are compared with it, once a run: its flags, the
    variants of what a name must begin with, and whether ignoring case widens them."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    start = _without_tail(_without_anchor(parsed[1]))
    return parsed[0], tuple(variants(start)), case_safe(start)


def _frozen(node: Any, subpattern: Any) -> Any:
    """A parse tree as nested tuples, equal exactly when the trees are."""
    if isinstance(node, subpattern):
        node = node.data
    if isinstance(node, list | tuple):
        return tuple(_frozen(item, subpattern) for item in node)
    return node


def _opcode(item: Any) -> str:
    return str(item[0]) if isinstance(item, tuple) and len(item) == 2 else ""


def _without_anchor(items: tuple[Any, ...]) -> tuple[Any, ...]:
    """`items` without leading `^` or `\\A`, always true where `re.match` starts."""
    while items and _opcode(items[0]) == "AT" and str(items[0][1]) in _STARTS:
        items = items[1:]
    return items


_STARTS = ("AT_BEGINNING", "AT_BEGINNING_STRING")
_ENDS = ("AT_END", "AT_END_STRING")


def _without_assertions(items: tuple[Any, ...]) -> tuple[Any, ...]:
    """`items` without leading anchors and lookarounds: what is left matches every name the
    whole does, and maybe more."""
    while items and (
        _opcode(items[0]) in ("ASSERT", "ASSERT_NOT")
        or (_opcode(items[0]) == "AT" and str(items[0][1]) in _STARTS)
    ):
        items = items[1:]
    return items


def _lookaheads(items: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """The bodies of the lookaheads `items` begin with (`(?=raw_)`): a name the pattern
    matches begins with a text each body matches."""
    found = []
    while items and (_opcode(items[0]) in ("ASSERT", "ASSERT_NOT") or _opcode(items[0]) == "AT"):
        if _opcode(items[0]) == "AT" and str(items[0][1]) not in _STARTS:
            break
        if _opcode(items[0]) == "ASSERT" and items[0][1][0] == 1:  # ahead, not behind
            found.append(tuple(items[0][1][1]))
        items = items[1:]
    return found


def _without_tail(items: tuple[Any, ...]) -> tuple[Any, ...]:
    """`items` without trailing repeats that may repeat zero times (`.*`, `[a-z]?`): a prefix
    search that matches the whole matches without them, and the other way round."""
    while items and _opcode(items[-1]) in ("MAX_REPEAT", "MIN_REPEAT") and items[-1][1][0] == 0:
        items = items[:-1]
    return items


def _literal_start(items: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """The literal text `items` begin with, and the items after it."""
    text = []
    while items and _opcode(items[0]) == "LITERAL":
        text.append(chr(items[0][1]))
        items = items[1:]
    return "".join(text), items


def _names_matched(items: tuple[Any, ...], flags: int) -> list[str]:
    """Names the items surely match: literal text, then at most `.*`/`.+` and `$` (none when
    the pattern has any other shape); with `re.IGNORECASE`, also in upper case (ASCII)."""
    names = _names_spelt(items)
    if flags & 2:  # re.IGNORECASE: `r` matches `R`
        names += [_ascii_upper(name) for name in names if _ascii_upper(name) != name]
    return names


def _ascii_upper(name: str) -> str:
    return "".join(c.upper() if "a" <= c <= "z" else c for c in name)


def _names_spelt(items: tuple[Any, ...]) -> list[str]:
    text, rest = _literal_start(items)
    ending = (
        bool(rest) and _opcode(rest[-1]) == "AT" and str(rest[-1][1]) in ("AT_END", "AT_END_STRING")
    )
    if ending:
        rest = rest[:-1]
    least = 0
    if rest:
        if len(rest) != 1 or _opcode(rest[0]) not in ("MAX_REPEAT", "MIN_REPEAT"):
            return []
        low, high, body = rest[0][1]
        if low > 1 or str(high) != "MAXREPEAT" or len(body) != 1 or _opcode(body[0]) != "ANY":
            return []
        least = int(low)
    elif ending:
        return [text] if text else []
    return [text + end for end in _ENDINGS if len(end) >= least and text + end]


def _preset_names(items: tuple[Any, ...]) -> list[str]:
    """Names a pattern that is a preset's regex surely matches (none when it is not one)."""
    from floe_lint.model.upstream_enforcement import NAMING_PATTERNS

    for preset, regex in PRESETS.items():
        parsed = _parsed(regex)
        if parsed is not None and _without_assertions(parsed[1]) == items:
            return [f"{prefix}_x" for prefix in NAMING_PATTERNS[preset]]
    return []


def _refuses(pattern: str, name: str) -> bool:
    """Whether `re.match(pattern, name)` surely fails: the pattern is a preset's regex and
    upstream's check of that preset refuses `name`, or the pattern's literal start (after `^`)
    is not the start of `name`. Decided on the parse tree; case-insensitive patterns never."""
    parsed = _parsed(pattern)
    if parsed is None or parsed[0] & 2:  # re.IGNORECASE
        return False
    for preset, regex in PRESETS.items():
        known = _parsed(regex)
        if known is not None and known == parsed:
            return not _preset_matches(name, preset)
    text, _ = _literal_start(_without_anchor(parsed[1]))
    return bool(text) and not name.startswith(text)


def _preset_matches(name: str, preset: str) -> bool:
    from floe_lint.model.upstream_enforcement import matches_naming

    return matches_naming(name, preset)
