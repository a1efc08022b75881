"""When one run of parse-tree items (as `re` parses a pattern, frozen to tuples) matches no text
another does not: the proofs `naming_inclusion` builds on, each sound for `re.match`'s search
of a prefix and never by running a pattern.

- alternatives: a pattern is the union of its variants, groups and alternations
  (`(raw|agg)_`, `[ra]_`) spelt out, when nothing refers back to a group (`\\1`, `(?(1)`);
- items: a single character's set inside another's (`[a-c]` in `[a-z]`, `r` in `\\w`), a
  repeat inside a repeat of a wider body and range, or equal items;
- case: a case-insensitive pattern above matches every text the same items match with case,
  unless they negate (`[^a]`, `(?!tmp)`) or cut backtracking (`(?>...)`, `a++`), where ignoring
  case refuses more (`_sre`'s case folding keeps `\\w`, `\\d`, `\\s`: tested on every character).

Work is bounded: at most `VARIANTS` variants of a pattern, and every step is linear in the tree.
"""

from __future__ import annotations

from typing import Any

Items = tuple[Any, ...]
#: the most variants a pattern is spelt out into; past it, the pattern is compared whole
VARIANTS = 32
#: how many characters of a range are classified one by one against `\\w` or `\\d`
_CLASSIFIED = 1024
_IGNORECASE, _DOTALL, _ASCII, _LOCALE = 2, 16, 256, 4
#: flags that change only how a pattern is read (`(?x)`), not what it matches
_READING = 64 | 128  # re.VERBOSE, re.DEBUG
#: items where ignoring case refuses text that matching case lets through, or that cut the
#: backtracking that lets the same path be taken
_CASE_UNSAFE = frozenset(
    ("NOT_LITERAL", "NEGATE", "ASSERT_NOT", "ATOMIC_GROUP", "POSSESSIVE_REPEAT")
)
_REFERS = frozenset(("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE", "GROUPREF_LOC_IGNORE"))
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT")


def opcode(item: Any) -> str:
    return str(item[0]) if isinstance(item, tuple) and len(item) == 2 else ""


def _opcodes(node: Any) -> set[str]:
    """Every opcode in a tree (a stack, not recursion: trees may nest deeply)."""
    found: set[str] = set()
    todo = [node]
    while todo:
        node = todo.pop()
        if isinstance(node, tuple):
            name = opcode(node)
            if name:
                found.add(name)
            todo.extend(node)
    return found


def case_safe(items: Items) -> bool:
    """Whether ignoring case lets `items` match at least what they match with case: they
    hold nothing ignoring case makes stricter (a negation, a cut of backtracking)."""
    return not (_opcodes(items) & _CASE_UNSAFE)


def flags_cover(above: int, below: int, safe: bool) -> bool:
    """Whether items under the flags `above` match all the same items match under `below`:
    the same flags (besides how they are read), or `above` adds only case-insensitivity to
    items that are `case_safe`."""
    above, below = above & ~_READING, below & ~_READING
    return above == below or (safe and above == below | _IGNORECASE)


def variants(items: Items) -> list[Items]:
    """`items` with groups and alternations spelt out, each variant a plain run of items whose
    union is what `items` match. A pattern that refers back to a group, or that would have more
    than `VARIANTS` variants, is its own only variant."""
    if _count(items, 0) > VARIANTS or _opcodes(items) & _REFERS:
        return [items]
    return _spelt(items, 0) or [items]


def _count(items: Items, depth: int) -> int:
    """How many variants `_spelt` makes of `items` (more than `VARIANTS`: some number above),
    in one walk of the tree, so a pattern with too many is not spelt out at all."""
    if depth > 50:
        return VARIANTS + 1
    total = 1
    for item in items:
        name = opcode(item)
        if name == "SUBPATTERN" and not item[1][1] and not item[1][2]:
            total *= _count(tuple(item[1][3]), depth + 1)
        elif name == "BRANCH":
            total *= sum(_count(tuple(choice), depth + 1) for choice in item[1][1])
        elif name == "IN" and _literals(item[1]):
            total *= len(item[1])
        if total > VARIANTS:
            return VARIANTS + 1
    return total


def _spelt(items: Items, depth: int) -> list[Items] | None:
    if depth > 50:
        return None
    for at, item in enumerate(items):
        name, head, tail = opcode(item), items[:at], items[at + 1 :]
        if name == "SUBPATTERN" and not item[1][1] and not item[1][2]:  # no flags of its own
            inner = _spelt(tuple(item[1][3]) + tail, depth + 1)
            return None if inner is None else [head + v for v in inner]
        if name == "BRANCH" or (name == "IN" and _literals(item[1])):
            choices = item[1][1] if name == "BRANCH" else tuple((m,) for m in item[1])
            if len(choices) > VARIANTS:
                return None
            found: list[Items] = []
            for choice in choices:
                rest = _spelt(tuple(choice) + tail, depth + 1)
                if rest is None or len(found) + len(rest) > VARIANTS:
                    return None
                found += [head + v for v in rest]
            return found
    return [items]


def _literals(members: Items) -> bool:
    return all(opcode(m) == "LITERAL" for m in members)


def starts_with(items: Items, start: Items, flags: int, fold: bool) -> bool:
    """Whether every text `items` match begins with a text `start` matches, item by item
    (`flags`: those of both; `fold`: `start` ignores case). The last item of `start` may be one
    character that a repeat of at least one (`[a-z]+`) begins with."""
    if len(items) < len(start):
        return False
    if items[: len(start)] == start:  # (most patterns kept: the same items)
        return True
    last = len(start) - 1
    for at, (mine, theirs) in enumerate(zip(items, start, strict=False)):
        if _within(mine, theirs, flags, fold):
            continue
        if at != last or opcode(mine) not in _REPEATS or mine[1][0] < 1 or len(mine[1][2]) != 1:
            return False
        if not _char_within(mine[1][2][0], theirs, flags, fold):
            return False
    return True


def _within(mine: Any, theirs: Any, flags: int, fold: bool) -> bool:
    if mine == theirs:
        return True
    name, other = opcode(mine), opcode(theirs)
    if name == other == "LITERAL" and not fold:  # (most items that differ)
        return False
    if name in _REPEATS and other in _REPEATS:
        low, high, body = mine[1]
        their_low, their_high, their_body = theirs[1]
        return (
            low >= their_low
            and (_unbounded(their_high) or (not _unbounded(high) and high <= their_high))
            and len(body) == 1
            and len(their_body) == 1
            and _char_within(body[0], their_body[0], flags, fold)
        )
    return _char_within(mine, theirs, flags, fold)


def _unbounded(high: Any) -> bool:
    return str(high) == "MAXREPEAT"


def _char_within(mine: Any, theirs: Any, flags: int, fold: bool) -> bool:
    """Whether a one-character item matches only characters another matches."""
    ranges = _ranges(mine)
    if ranges is None:
        return False
    spans = [r for r in ranges if not isinstance(r, str)]
    if opcode(theirs) == "ANY":  # every character, or every one but a line break
        return bool(flags & _DOTALL) or all(not low <= 10 <= high for low, high in spans)
    theirs_ranges = _ranges(theirs)
    if theirs_ranges is None:
        return False
    their_spans = sorted(r for r in theirs_ranges if not isinstance(r, str))
    classes = {r for r in theirs_ranges if isinstance(r, str)}
    if "CATEGORY_WORD" in classes:
        classes.add("CATEGORY_DIGIT")  # a digit is a word character
    if {r for r in ranges if isinstance(r, str)} - classes:
        return False
    # a category holds a span only as `_in_class` reads it: with case, in Unicode
    classify = classes if not flags & (_IGNORECASE | _ASCII | _LOCALE) else set()
    return all(
        _covered(span, their_spans, classify)
        or (fold and span[0] == span[1] and _covered(_other_case(span[0]), their_spans, set()))
        for span in spans
    )


def _other_case(code: int) -> tuple[int, int]:
    """An ASCII letter's other case (`r` for `R`), which an item ignoring case matches too."""
    char = chr(code)
    other = char.swapcase() if char.isascii() and char.isalpha() else char
    return ord(other), ord(other)


def _ranges(item: Any) -> list[Any] | None:
    """A one-character item's characters as (low, high) spans and category names (None: it is
    no such item, or it negates)."""
    name = opcode(item)
    if name == "LITERAL":
        return [(item[1], item[1])]
    if name != "IN":
        return None
    found: list[Any] = []
    for member in item[1]:
        kind = opcode(member)
        if kind == "LITERAL":
            found.append((member[1], member[1]))
        elif kind == "RANGE":
            found.append(tuple(member[1]))
        elif kind == "CATEGORY" and str(member[1]) in ("CATEGORY_DIGIT", "CATEGORY_WORD"):
            found.append(str(member[1]))
        else:
            return None
    return found


def _covered(span: tuple[int, int], spans: list[tuple[int, int]], classes: set[str]) -> bool:
    """Whether every character of `span` is in one of `spans` or of the categories."""
    low, high = span
    for their_low, their_high in spans:
        if their_low <= low <= their_high:
            low = their_high + 1
            if low > high:
                return True
    if high - low >= _CLASSIFIED or not classes:
        return False
    return all(any(_in_class(code, c) for c in classes) for code in range(low, high + 1))


def _in_class(code: int, category: str) -> bool:
    """`\\d` and `\\w` as `_sre` reads them for a str pattern without ASCII or LOCALE."""
    char = chr(code)
    if category == "CATEGORY_DIGIT":
        return char.isdecimal()
    return char.isalnum() or char == "_"
