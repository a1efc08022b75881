"""'Did you mean' suggestions, case-insensitive first, then edit distance."""

from __future__ import annotations

from collections.abc import Iterable

#: Characters typed for one another (after lower-casing): o for zero, i and l for one.
_LOOKALIKE = str.maketrans("oil", "011")


#: answers of `closest` by (word, candidates sorted): a rule asks the same question of every
#: transform that names one compute; bounded, emptied when full
_ANSWERS: dict[tuple[str, tuple[str, ...]], str | None] = {}
_ANSWERS_KEPT = 4096


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate `word` is most likely a typo of, if any."""
    options = tuple(sorted(set(candidates)))
    key = (word, options)
    if key in _ANSWERS:
        return _ANSWERS[key]
    if len(_ANSWERS) >= _ANSWERS_KEPT:
        _ANSWERS.clear()
    answer = _ANSWERS[key] = _closest(word, options)
    return answer


def _closest(word: str, options: tuple[str, ...]) -> str | None:
    import difflib  # only when there is a message to write; it costs 2 ms to import

    if not options or len(word) > 2 * max(map(len, options)) + 8:
        return None  # too long to be a typo of any; comparing it would cost its length times theirs
    for option in options:
        if option.lower() == word.lower():
            return option
    looks = word.lower().translate(_LOOKALIKE)
    for option in options:  # FL2O1 is FL201, not the equally distant FL221
        if option.lower().translate(_LOOKALIKE) == looks:
            return option
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not matches:
        lowered = {o.lower(): o for o in options}
        matches = [
            lowered[m] for m in difflib.get_close_matches(word.lower(), lowered, n=1, cutoff=0.6)
        ]
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ready-to-append clause: ``; did you mean 'x'?`` or an empty string."""
    match = closest(word, candidates)
    return f"; did you mean '{match}'?" if match and match != word else ""


def same_name(word: str, candidates: Iterable[str]) -> str | None:
    """The one candidate that `word` spells but for case and surrounding spaces (`' Spark'`
    for `spark`), or None: no candidate, several, or `word` is already one of them."""
    wanted = word.strip().casefold()
    options = set(candidates)
    if word in options:
        return None
    found = [c for c in options if c.casefold() == wanted]
    return found[0] if len(found) == 1 else None
