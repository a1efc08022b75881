"""A transform must run on the same compute in every environment.

Why: ADR-0010's environment parity: what you test is what you deploy. This fires on
anything that makes compute vary by environment: `compute` written as a mapping of
environments, `environments:` / `env_overrides:` / `overrides:` blocks that change a
transform's compute or a manifest's default or approved list, templated compute
(`{{ env_var(...) }}`, `${...}`), and per-environment files (`floe.prod.yaml`,
`manifest.dev.yaml`) whose compute differs from the base file. `env_var()` inside a
compute's connection `config` is how credentials should vary, and is fine. Nor may an
environment change what decides the compute: a product's `platform.ref`/`platform.manifest`,
a domain's `parent_manifest`, upstream's `plugins.compute.type` or `defaults.compute`. A mapping that
describes one compute (`compute: {type: duckdb}`) is not per environment: it is the wrong type,
reported by `schema-type` at the value. Nor may a per-environment manifest (or an environment's
block) weaken a governance value in force at its base file, written there or inherited from
its parents (`manifest.prod.yaml` making `pii_encryption` optional): the strengthen-only rules
compare levels, and an overlay is none.

Fails:
    # expect: floe.yaml:5:14 transform 'models/x/' selects compute per environment (dev, prod); a transform must run
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - path: models/x/
        compute: {dev: duckdb, prod: spark}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Fails:
    # expect: floe.yaml:4:32 transform 'models/x/' takes its compute from a template; a transform must run on the same
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {path: models/x/, compute: "{{ env_var('COMPUTE') }}"}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Fails:
    # expect: floe.prod.yaml:2:32 a per-environment file changes the compute; a transform must run on the same compute in
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {path: models/x/, compute: duckdb}
    # file: floe.prod.yaml
    transforms:
      - {path: models/x/, compute: spark}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Fails:
    # expect: floe.prod.yaml:1:17 a per-environment file changes platform.ref, which the base floe.yaml sets at line 2,
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms: [{path: models/x/, compute: duckdb}]
    # file: floe.prod.yaml
    platform: {ref: lenient.yaml}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Fails:
    # expect: manifest.prod.yaml:2:19 a per-environment file sets governance.pii_encryption to 'optional', weaker than 'required' set by the base manifest.yaml
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    governance:
      pii_encryption: required
    # file: manifest.prod.yaml
    governance:
      pii_encryption: optional

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {path: models/x/, compute: duckdb}
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: duckdb
            config: {path: "{{ env_var('DUCKDB_PATH') }}"}
        default: duckdb
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import (
    Context,
    Document,
    Finding,
    Manifest,
    Node,
    Product,
    is_templated,
    normalized_path,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID, NAME, SEVERITY, SUBJECT = "FL401", "environment-override", "error", "document"

PARITY = "a transform must run on the same compute in every environment (ADR-0010)"
#: Keys of a mapping that describes one compute (a plugin selection written where a name goes):
#: a type error, not a compute chosen per environment.
COMPUTE_FIELDS = frozenset({"type", "name", "config", "version", "connection_secret_ref"})


def _per_environment(value: Any) -> bool:
    return isinstance(value, dict) and not COMPUTE_FIELDS.intersection(map(str, value))


def _inline(model: Product | Manifest, ctx: Context) -> Iterator[Finding]:
    if isinstance(model, Product):
        for t in model.transforms:
            compute = t.compute
            if _per_environment(compute):
                envs = ", ".join(str(k) for k in compute)
                yield ctx.finding(
                    t.compute_node, f"{t.label} selects compute per environment ({envs}); {PARITY}"
                )
            elif is_templated(compute):
                yield ctx.finding(
                    t.compute_node, f"{t.label} takes its compute from a template; {PARITY}"
                )
    else:
        if _per_environment(model.default) or is_templated(model.default):
            yield ctx.finding(
                model.default_node, f"the default compute varies by environment; {PARITY}"
            )
        for entry in model.entries:
            if is_templated(entry.name):
                yield ctx.finding(
                    entry.name_node, f"an approved compute name is templated; {PARITY}"
                )


def _walk(
    value: Any, keys: tuple[str | int, ...], parent_key: str, plain: bool
) -> Iterator[tuple[tuple[str | int, ...], str, Any, Any, str, bool]]:
    """Every mapping entry under `value`: (the tokens leading to it, its key as text, its value,
    the mapping holding it, the key of that mapping, whether every key on the way is text).
    Nodes are built only for what is reported (most overlays hold nothing to report)."""
    if isinstance(value, dict):
        for key, child in value.items():
            text = str(key)
            path = (*keys, text)
            exact = plain and type(key) is str
            yield path, text, child, value, parent_key, exact
            yield from _walk(child, path, text, exact)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, (*keys, index), parent_key, plain)


def _overlay(overlay: Document, base: Document, root: Node, ctx: Context) -> Iterator[Finding]:
    """Findings for an overlay (a block, or a per-environment file) compared with its base."""
    where = "a per-environment file" if overlay is not base else f"'{root.key}'"
    model = ctx.model_of(base)
    base_paths: dict[str, Any] | None = None  # built when an overlay names a compute
    if isinstance(model, Product):
        base_names: list[str] = []
        base_default = None
    else:
        base_paths, base_names = {}, [e.name for e in model.entries]
        base_default = model.default
    yield from _pinned(root, base, where, ctx)
    for keys, key, value, holder, parent_key, plain in _walk(root.value, (), "", True):
        if key == "compute" and parent_key == "defaults":
            continue  # a pinned setting, compared with the base above
        if key == "compute" and (
            isinstance(value, str) or (isinstance(value, dict) and parent_key != "plugins")
        ):
            node = root.child(*keys)
            item = holder if plain else node.parent.value
            path = item.get("path", item.get("name")) if isinstance(item, dict) else None
            if base_paths is None:
                base_paths = _base_paths(model)
            if isinstance(path, str) and base_paths.get(normalized_path(path)) == value:
                continue
            yield ctx.finding(node, f"{where} changes the compute; {PARITY}")
        elif key == "default" and parent_key == "compute" and value != base_default:
            yield ctx.finding(root.child(*keys), f"{where} changes the default compute; {PARITY}")
        elif key == "approved" and parent_key == "compute" and isinstance(value, list):
            names = [
                v if isinstance(v, str) else v.get("name")
                for v in value
                if isinstance(v, str | dict)
            ]
            if names != base_names:
                yield ctx.finding(
                    root.child(*keys), f"{where} changes the approved computes; {PARITY}"
                )


def _base_paths(model: Product | Manifest) -> dict[str, Any]:
    """The compute of each of a product's transforms, by normalized path."""
    if not isinstance(model, Product):
        return {}
    return {normalized_path(t.identity): t.compute for t in model.transforms if t.identity}


SAME_PLATFORM = (
    "the platform a product is checked against must be the one it runs on, in every environment"
)
SAME_PARENT = (
    "a domain's parent, and so the policy it inherits, must be the same in every environment"
)
#: settings an environment may not change, by the keys that lead to them: (name, why)
PINNED: dict[tuple[str, ...], tuple[str, str]] = {
    ("platform", "ref"): ("platform.ref", SAME_PLATFORM),
    ("platform", "manifest"): ("platform.manifest", SAME_PLATFORM),
    ("parent_manifest",): ("parent_manifest", SAME_PARENT),
    ("plugins", "compute", "type"): ("plugins.compute.type", PARITY),
    ("defaults", "compute"): ("defaults.compute", PARITY),
    ("approved_plugins", "compute"): (
        "approved_plugins.compute",
        "the computes an enterprise lets its domains select must be the same in every environment",
    ),
}


#: the last key of each pinned setting: a mapping entry under any other is not one
_PINNED_LAST = frozenset(p[-1] for p in PINNED)


def _paths(
    value: Any, keys: tuple[str, ...], plain: bool
) -> Iterator[tuple[tuple[str, ...], Any, bool]]:
    """Every mapping value under `value` with the keys that lead to it (lists skipped) and
    whether every one of them is text (then the value is what its node reads)."""
    if isinstance(value, dict):
        for key, child in value.items():
            path = (*keys, str(key))
            exact = plain and type(key) is str
            yield path, child, exact
            yield from _paths(child, path, exact)


def _pinned(overlay_root: Node, base: Document, where: str, ctx: Context) -> Iterator[Finding]:
    """An overlay that changes the platform, a parent or the compute selection: reported at
    the overlay's value, naming where the base file sets it."""
    for keys, value, plain in _paths(overlay_root.value, (), True):
        if keys[-1] not in _PINNED_LAST:
            continue
        match = next((p for p in PINNED if keys[-len(p) :] == p), None)
        if match is None:
            continue
        node = overlay_root.child(*keys)
        if not plain:
            value = node.value  # a key that is not text: what its pointer reads
        label, why = PINNED[match]
        base_node = base.node("/" + "/".join(match))
        if (base_node.value if base_node.exists else None) == value:
            continue  # the same value, or left empty (null) where the base sets nothing
        if base_node.exists:
            at = base_node.span()
            said = (
                f"changes {label}, which the base {base.path.name} sets at line "
                f"{at.start_line}, column {at.start_col}"
            )
            related = [ctx.related(base_node, f"{label} in the base file")]
        else:
            said, related = f"sets {label}, which the base {base.path.name} does not set", []
        yield ctx.finding(node, f"{where} {said}; {why}", related=related)


def _blocks(doc: Document, names: tuple[str, ...]) -> Iterator[Node]:
    data = doc.data
    if not isinstance(data, dict):
        return
    for block in names:
        if isinstance(data.get(block), dict):
            yield doc.node().child(block)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    model = ctx.model_of(doc)
    names = model.environment_blocks  # none where the dialect forbids them outright
    governed = isinstance(model, Manifest)
    yield from _inline(model, ctx)
    for block in _blocks(doc, names):
        yield from _overlay(doc, doc, block, ctx)
        if governed:
            yield from _environments_governance(block, doc, ctx)
    for variant in ctx.environment_overlays(doc):
        yield from _inline(ctx.model_of(variant), ctx)
        yield from _overlay(variant, doc, variant.node(), ctx)
        for block in _blocks(variant, names):
            yield from _overlay(variant, doc, block, ctx)
            if governed:
                yield from _environments_governance(block, doc, ctx)
        if governed:
            yield from _governance(variant.node(), doc, "a per-environment file", ctx)


def _environments_governance(block: Node, base: Document, ctx: Context) -> Iterator[Finding]:
    for env in block.value:
        if type(env) is str:
            yield from _governance(block.child(env), base, f"'{block.key}'", ctx)


def _governance(root: Node, base: Document, where: str, ctx: Context) -> Iterator[Finding]:
    """Governance values an overlay at `root` weakens below its base file's."""
    if not isinstance(root.value, dict) or not isinstance(root.value.get("governance"), dict):
        return
    from floe_lint.api import governance_overlay_weakenings  # (when needed: start-up)

    parent = ctx.hierarchy.level(base).parent
    inherited = parent.governance if parent is not None else None
    yield from governance_overlay_weakenings(root, base, where, SAME_GOVERNANCE, ctx, inherited)


SAME_GOVERNANCE = "an environment may keep or strengthen its platform's governance, never weaken it"
