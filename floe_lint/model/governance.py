"""Governance along the hierarchy: what each level writes, what is in force there, and where
each value comes from.

The fields and their orderings are upstream Floe's (`GovernanceConfig` and its strength
ordering, checked by floe-core's `validate_security_policy_not_weakened`; data contracts by
the ordering `DataContractsConfig` documents). A level may only keep or strengthen what is in
force above it. A value a level does not write (absent or null) is inherited, never a
weakening. The value in force at a level is the strictest along its chain: a weaker value is
reported where it is written and does not take effect; on a tie the higher level keeps the
credit, because that is where the value must change. Values outside a field's domain (a
typo, a string for a number) are left to the schema rules and neither set nor compared, except
in upstream's dialect, where a value floe-core reads into the domain (`"30"`) is that value.

`approved_plugins` works the same way per category: what a level lists is narrowed to what
is allowed above it, and a name it adds is a widening.
"""

from __future__ import annotations

from collections.abc import Iterable

from floe_lint.load.document import Node
from floe_lint.record import Frozen, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: upstream's symbolic orderings, weakest first
_ENFORCEMENT = ("off", "warn", "strict")
_SWITCH = (False, True)
#: `stale_table_recovery_mode`: `repair` lets a runtime re-register a catalog table whose
#: Iceberg metadata is missing and carry on; `strict` stops there (floe-core: "production
#: manifests should normally use strict"), so repair is the weaker
_RECOVERY = ("repair", "strict")
#: `quality_gates.zero_column_coverage_behavior`: `report_100_percent` counts a model without
#: columns as fully tested and lifts the coverage reported for it; `report_na` (floe-core's
#: default) claims nothing for it, so claiming 100% is the weaker
_ZERO_COLUMNS = ("report_100_percent", "report_na")
#: `rbac.allow_principal_fallback`: true lets a caller without an OIDC token pass the compile's
#: RBAC check by naming a principal (`--principal`, FLOE_PRINCIPAL); false demands the token
_FALLBACK = (True, False)
#: `secret_scanning.severity`: `warning` makes floe-core's scanner allow the secrets it finds
#: (`allow_secrets`), `error` refuses them
_SEVERITY = ("warning", "error")


class Field(Frozen):
    """One ordered governance field: its dotted path under `governance` and its order
    (`values` weakest first; None: a number, higher is stricter). A nested field has the value
    floe-core's model fills in (`default`) when the mapping `block` is written without it.
    `judged`: floe-core's `validate_security_policy_not_weakened` compares the field too (the
    others only floe-lint holds to the order, and its message says so)."""

    __slots__ = ("block", "default", "judged", "path", "values")
    path: str
    values: tuple[Any, ...] | None
    block: str | None
    default: Any
    judged: bool

    def __init__(
        self,
        path: str,
        values: tuple[Any, ...] | None = None,
        *,
        block: str | None = None,
        default: Any = None,
        judged: bool = False,
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "values", values)
        set_field(self, "block", block)
        set_field(self, "default", default)
        set_field(self, "judged", judged)

    def rank(self, value: Any) -> float | None:
        """How strict `value` is (None: outside the field's domain, so not compared)."""
        if self.values is None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            return float(value) if float(value).is_integer() else None
        for index, allowed in enumerate(self.values):
            if type(value) is type(allowed) and value == allowed:
                return float(index)
        return None

    @property
    def domain(self) -> str:
        if self.values is None:
            return "a whole number, higher is stricter"
        return " < ".join(shown(v) for v in self.values)


_GATES = "quality_gates"
_LAYERS = "quality_gates.layer_thresholds"
_CONTRACTS = "data_contracts"

#: floe-core 0.1.0a1's defaults (`NamingConfig`, `QualityGatesConfig`, `LayerThresholds`,
#: `DataContractsConfig` with its default-made `auto_generation` and `drift_detection`,
#: `RBACConfig`, `SecretScanningConfig`, `NetworkPoliciesConfig`); `judged` marks what its
#: `validate_security_policy_not_weakened` compares (schemas/validation.py)
FIELDS: tuple[Field, ...] = (
    Field("pii_encryption", ("optional", "required"), judged=True),
    Field("audit_logging", ("disabled", "enabled"), judged=True),
    Field("policy_enforcement_level", _ENFORCEMENT, judged=True),
    Field("data_retention_days", judged=True),
    Field("stale_table_recovery_mode", _RECOVERY),
    Field("naming.enforcement", _ENFORCEMENT, block="naming", default="warn", judged=True),
    Field("quality_gates.minimum_test_coverage", block=_GATES, default=80, judged=True),
    Field("quality_gates.require_descriptions", _SWITCH, block=_GATES, default=False, judged=True),
    Field(
        "quality_gates.require_column_descriptions",
        _SWITCH,
        block=_GATES,
        default=False,
        judged=True,
    ),
    Field("quality_gates.block_on_failure", _SWITCH, block=_GATES, default=True, judged=True),
    Field(
        "quality_gates.zero_column_coverage_behavior",
        _ZERO_COLUMNS,
        block=_GATES,
        default="report_na",
    ),
    Field("quality_gates.layer_thresholds.bronze", block=_LAYERS, default=50, judged=True),
    Field("quality_gates.layer_thresholds.silver", block=_LAYERS, default=80, judged=True),
    Field("quality_gates.layer_thresholds.gold", block=_LAYERS, default=100, judged=True),
    Field("data_contracts.enforcement", _ENFORCEMENT, block=_CONTRACTS, default="warn"),
    Field("data_contracts.auto_generation.enabled", _SWITCH, block=_CONTRACTS, default=True),
    Field("data_contracts.drift_detection.enabled", _SWITCH, block=_CONTRACTS, default=True),
    Field(
        "data_contracts.drift_detection.fail_on_type_mismatch",
        _SWITCH,
        block=_CONTRACTS,
        default=True,
    ),
    Field(
        "data_contracts.drift_detection.fail_on_missing_column",
        _SWITCH,
        block=_CONTRACTS,
        default=True,
    ),
    Field(
        "data_contracts.drift_detection.warn_on_extra_column",
        _SWITCH,
        block=_CONTRACTS,
        default=True,
    ),
    Field("rbac.enabled", _SWITCH, block="rbac", default=False),
    Field("rbac.allow_principal_fallback", _FALLBACK, block="rbac", default=True),
    Field("secret_scanning.enabled", _SWITCH, block="secret_scanning", default=False),
    Field("secret_scanning.severity", _SEVERITY, block="secret_scanning", default="error"),
    Field("network_policies.enabled", _SWITCH, block="network_policies", default=False),
    Field("network_policies.default_deny", _SWITCH, block="network_policies", default=True),
)
BY_PATH = {f.path: f for f in FIELDS}


def shown(value: Any) -> str:
    """A governance value as a message quotes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, int | float) else f"'{value}'"


class Setting(Frozen):
    """A governance value as one level writes it (`implied`: the default floe-core fills in
    where the level writes the field's block without it; `node` is then the innermost mapping
    written around it)."""

    __slots__ = ("field", "implied", "node", "value")
    field: Field
    value: Any
    node: Node
    implied: bool

    def __init__(self, field: Field, value: Any, node: Node, *, implied: bool = False) -> None:
        set_field(self, "field", field)
        set_field(self, "value", value)
        set_field(self, "node", node)
        set_field(self, "implied", implied)

    @property
    def rank(self) -> float:
        rank = self.field.rank(self.value)
        assert rank is not None  # settings are read only inside their field's domain
        return rank


class InForce(Frozen):
    """The value in force at a level, the level that writes it (its label) and where."""

    __slots__ = ("label", "setting")
    setting: Setting
    label: str

    def __init__(self, setting: Setting, label: str) -> None:
        set_field(self, "setting", setting)
        set_field(self, "label", label)

    @property
    def value(self) -> Any:
        return self.setting.value

    @property
    def node(self) -> Node:
        return self.setting.node


class Weakening(Frozen):
    """A level writes a value weaker than the one in force above it."""

    __slots__ = ("above", "setting")
    setting: Setting
    above: InForce

    def __init__(self, setting: Setting, above: InForce) -> None:
        set_field(self, "setting", setting)
        set_field(self, "above", above)


def settings(node: Node) -> tuple[Setting, ...]:
    """Every ordered value written under a `governance` mapping, in FIELDS order; absent and
    null values, and values outside a field's domain, are not settings, except that a nested
    field a written block leaves out (`naming: {pattern: medallion}`) is floe-core's default:
    its model fills it in, its compile runs with it and its `validate_security_policy_not_
    weakened` compares it, so leaving it out below a stricter value is a weakening."""
    if not isinstance(node.value, dict):
        return ()
    found = []
    for field in FIELDS:
        child = node.child(*field.path.split("."))
        value = child.value
        if value is not None and field.rank(value) is None and node.doc.dialect == "floe":
            value = _as_floe_core_reads(field, value)
        if value is not None and field.rank(value) is not None:
            found.append(Setting(field, value, child))
        elif (
            value is None
            and field.block is not None
            and isinstance(node.child(*field.block.split(".")).value, dict)
        ):
            found.append(Setting(field, field.default, _written(child), implied=True))
    return tuple(found)


def _written(node: Node) -> Node:
    """The innermost mapping written around the absent `node` (`auto_generation` when a
    `data_contracts` block writes it, else `data_contracts`)."""
    parent = node.parent
    while not isinstance(parent.value, dict):
        parent = parent.parent
    return parent


def _as_floe_core_reads(field: Field, value: Any) -> Any:
    """In upstream's dialect, a value floe-core's lax mode reads into the field's domain
    (`"30"`, `"no"`; `schema-coerced` names it) counts as what floe-core reads."""
    from floe_lint.load.lax import read_as

    values = field.values
    switch = values is not None and all(isinstance(v, bool) for v in values)
    wants = "integer" if values is None else "boolean" if switch else None
    ok, read = read_as(value, wants) if wants else (False, None)
    return read if ok else value


def resolve(
    own: Iterable[Setting], above: dict[str, InForce], label: str
) -> tuple[dict[str, InForce], list[Weakening]]:
    """What is in force at a level that writes `own` below `above`, and its weakenings."""
    in_force = dict(above)
    weakenings: list[Weakening] = []
    for setting in own:
        inherited = above.get(setting.field.path)
        if inherited is None or setting.rank > inherited.setting.rank:
            in_force[setting.field.path] = InForce(setting, label)
        elif setting.rank < inherited.setting.rank:
            weakenings.append(Weakening(setting, inherited))
    return in_force, weakenings


class Allowed(Frozen):
    """What levels below may select in one plugin category, and the whitelist that says so."""

    __slots__ = ("category", "label", "names", "node")
    category: str
    names: tuple[str, ...]
    node: Node
    label: str

    def __init__(self, category: str, names: tuple[str, ...], node: Node, label: str) -> None:
        set_field(self, "category", category)
        set_field(self, "names", names)
        set_field(self, "node", node)
        set_field(self, "label", label)


class Widening(Frozen):
    """A level's whitelist lists a plugin that the whitelist above it does not allow."""

    __slots__ = ("above", "name", "node")
    name: str
    node: Node
    above: Allowed

    def __init__(self, name: str, node: Node, above: Allowed) -> None:
        set_field(self, "name", name)
        set_field(self, "node", node)
        set_field(self, "above", above)


def narrow(
    whitelists: Iterable[tuple[str, tuple[str, ...], Node]],
    above: dict[str, Allowed],
    label: str,
) -> tuple[dict[str, Allowed], list[Widening]]:
    """What a level with these whitelists (category, names, node) allows below it, and the
    names it adds to what is allowed above it."""
    allowed = dict(above)
    widenings: list[Widening] = []
    for category, names, node in whitelists:
        inherited = above.get(category)
        if inherited is None:
            allowed[category] = Allowed(category, names, node, label)
            continue
        items = node.value if isinstance(node.value, list) else []
        for index, item in enumerate(items):
            if isinstance(item, str) and item not in inherited.names:
                widenings.append(Widening(item, node.child(index), inherited))
        kept = tuple(n for n in names if n in inherited.names)
        if set(kept) != set(inherited.names):
            allowed[category] = Allowed(category, kept, node, label)
    return allowed, widenings
