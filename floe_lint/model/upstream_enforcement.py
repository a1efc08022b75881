"""What upstream Floe's `floe platform compile` enforces on a product, known before it runs.

After rendering the profiles, upstream's compile (floe-core 0.1.0a1, compilation/stages.py)
builds a dbt manifest from the product's transforms alone (each model's name, tags and
`dependsOn`, an empty description, no columns) and runs its policy enforcement over it with the
governance of the manifest it was given, that manifest's own `governance` block (it loads no
parent). With `policy_enforcement_level: strict` any error-severity violation makes the compile
fail; otherwise violations are only logged. So every refusal is decidable from the product and
its platform manifest; `Enforcement` holds what decides it, for the FL7xx rules.

Not foreseen (upstream needs more than the files): secret scanning of the working directory,
RBAC tokens, custom naming regexes (a manifest's regex is never run on user text here), data
contracts, and anything a `policy_overrides` entry changes (the rules stay silent then).
"""

from __future__ import annotations

from floe_lint.load.document import Node
from floe_lint.model.product import Product
from floe_lint.record import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: upstream's naming patterns (enforcement/patterns.py), linear-time (no nested quantifiers)
NAMING_PATTERNS = {
    "medallion": ("bronze", "silver", "gold"),
    "kimball": ("dim", "fact", "bridge", "hub", "link", "sat"),
}


class Enforcement(NamedTuple):
    """The strict governance a product is compiled under, and the node of each setting."""

    governance: dict[str, Any]
    #: the `policy_enforcement_level: strict` that makes violations refusals
    level_node: Node

    def setting(self, *keys: str) -> Any:
        value: Any = self.governance
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def switch(self, *keys: str) -> bool:
        """Whether a boolean setting is on as floe-core reads it (`"yes"` is, in lax mode)."""
        from floe_lint.load.lax import read_as

        value = self.setting(*keys)
        ok, read = read_as(value, "boolean") if value is not None else (False, None)
        return ok and read is True

    def node(self, *keys: str) -> Node:
        return self.level_node.parent.child(*keys)


def strict_enforcement(product: Product) -> Enforcement | None:
    """The platform's own governance when upstream's compile would refuse violations of it."""
    if product.kind != "floe" or product.doc.dialect != "floe" or product.platform is None:
        return None
    doc = product.platform.doc
    governance = doc.get("/governance")
    if not isinstance(governance, dict) or governance.get("policy_enforcement_level") != "strict":
        return None
    if governance.get("policy_overrides"):
        return None  # an override may exclude or downgrade a model: not foreseen
    return Enforcement(governance, doc.node("/governance/policy_enforcement_level"))


def depends_on(item: dict[str, Any]) -> tuple[str, list[Any]]:
    """(key, names) of a transform's explicit dependencies (`dependsOn` or `depends_on`)."""
    for key in ("dependsOn", "depends_on"):
        value = item.get(key)
        if isinstance(value, list):
            return key, value
    return "dependsOn", []


def matches_naming(name: str, pattern: str) -> bool:
    """Upstream's medallion/kimball check: `<prefix>_` then `[a-z][a-z0-9_]*` to the end."""
    prefix, _, rest = name.partition("_")
    return (
        prefix in NAMING_PATTERNS.get(pattern, ())
        and bool(rest)
        and rest[0].isascii()
        and rest[0].islower()
        and all(c.isascii() and (c.islower() or c.isdigit() or c == "_") for c in rest)
    )
