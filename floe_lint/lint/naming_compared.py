"""A level's naming convention compared with the nearest one above it, for FL612 and FL614.

Both rules need the same reading (the convention floe-core's `NamingConfig` reads, the
enforcement above, each custom pattern's verdict from `floe_lint.model.naming_inclusion`), and
rules see only `floe_lint.api`, so it lives here, once.
"""

from __future__ import annotations

from floe_lint.model.naming_inclusion import PRESETS, naming_within

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.load.document import Node
    from floe_lint.model.governance import InForce
    from floe_lint.model.level import Level


class Compared:
    """`level`'s custom patterns against the convention of `owner` above, enforced there."""

    __slots__ = ("above", "enforcement", "naming", "own", "owner", "theirs", "verdicts")

    def __init__(
        self,
        naming: Node,
        owner: Level,
        above: Node,
        enforcement: InForce,
        own: tuple[str, tuple[Any, ...]],
        theirs: tuple[str, tuple[Any, ...]],
    ) -> None:
        self.naming, self.owner, self.above, self.enforcement = naming, owner, above, enforcement
        self.own, self.theirs = own, theirs
        pattern, patterns = theirs
        custom = pattern == "custom"
        regexes = list(patterns) if custom else []
        presets = {} if custom else {pattern: PRESETS[pattern]}
        #: (index, verdict, a name only the level's pattern matches) of each custom pattern
        self.verdicts = [(i, *naming_within(p, regexes, presets)) for i, p in enumerate(own[1])]


def compare_naming(level: Level) -> Compared | None:
    """The comparison, when `level` writes custom patterns below a convention enforced above
    (None otherwise: no convention above, `off` there, a preset below, or a block floe-core's
    model would not read, which the schema rules report)."""
    naming = level.node.child("governance", "naming")
    if level.parent is None or not isinstance(naming.value, dict):
        return None
    nearest = _nearest_naming(level.parent)
    if nearest is None:
        return None
    owner, above = nearest
    enforcement = level.parent.governance.get("naming.enforcement")
    if enforcement is None or enforcement.value == "off":
        return None
    own, theirs = _convention(naming.value), _convention(above.value)
    if own is None or theirs is None or own[0] != "custom":
        return None  # a preset is upstream's fixed regex, whatever the convention above
    return Compared(naming, owner, above, enforcement, own, theirs)


def _nearest_naming(level: Level) -> tuple[Level, Any] | None:
    """The nearest level of the chain from `level` up that writes a `naming` block."""
    for each in level.chain():
        naming = each.node.child("governance", "naming")
        if isinstance(naming.value, dict):
            return each, naming
    return None


def _convention(naming: dict[str, Any]) -> tuple[str, tuple[Any, ...]] | None:
    """The pattern (floe-core's default `medallion`) and, for `custom`, its patterns; None
    when floe-core's model would not read it (the schema rules report it)."""
    pattern = naming.get("pattern", "medallion")
    if pattern not in PRESETS and pattern != "custom":
        return None
    if pattern != "custom":
        return pattern, ()
    patterns = naming.get("custom_patterns")
    if not isinstance(patterns, list) or not patterns:
        return None
    if not all(isinstance(p, str) for p in patterns):
        return None  # floe-core's model refuses it (list[str]); the schema rules report it
    return pattern, tuple(patterns)


def naming_text(convention: tuple[str, tuple[Any, ...]]) -> str:
    """A convention as messages quote it."""
    pattern, patterns = convention
    if pattern != "custom":
        return f"'{pattern}'"
    return f"'custom' (custom_patterns: {list(patterns)})"
