"""A per-environment file that names a transform should restate the compute its base gives it.

Why: where YAML readers disagree, report the ambiguity. Upstream Floe defines no per-environment
file: floe-core never reads `floe.prod.yaml` (its manifests are environment-agnostic and the
runtime picks the environment with `FLOE_ENV`), and ADR-0010 does not say how one merges with
its base. A tool that replaces lists wholesale (a plain dict update, Helm values, most YAML
merge tools) reads `transforms: [{path: models/x/}]` as the environment's whole list: the
transform loses the compute the base gives it and runs on the default compute there, the
drift floe-lint exists to catch. A tool that merges list entries by path keeps the base's
compute. floe-lint cannot know which one runs: writing the compute again means the same under
both, and so does leaving out the compute that is the platform's default anyway. So does the list itself: a transform of the base the file's `transforms` leave out does
not run in that environment where the list replaces the base's, and runs as in the base where
entries merge; those a list leaves out are reported once, at the file's `transforms`. A file without `transforms` is one
reading. An environment of an `environments:` block (`env_overrides:`, `overrides:`) that lists
`transforms` is read the same way, as environment-override reads those blocks.

Fails:
    # expect: floe.prod.yaml:2:5 a per-environment file names transform 'models/x/' without the compute 'spark' that floe.yaml gives it at line 4: where the environment's list replaces the base's, it runs on the default compute there; where entries merge by path, on 'spark'. Upstream Floe defines no merge of per-environment files: write `compute: spark` here
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {path: models/x/, compute: spark, tags: [daily]}
    # file: floe.prod.yaml
    transforms:
      - {path: models/x/, tags: [hourly]}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {path: models/x/, compute: spark, tags: [daily]}
    # file: floe.prod.yaml
    transforms:
      - {path: models/x/, compute: spark, tags: [hourly]}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding, Node, Product, normalized_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID, NAME, SEVERITY, SUBJECT = "FL403", "overlay-merge-ambiguous", "warning", "document"


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    model = ctx.model_of(doc)
    if not isinstance(model, Product) or not model.transforms:
        return
    computes: dict[str, tuple[Any, Node]] = {}
    key = model.transforms[0].identity_key
    for t in model.transforms:
        if t.identity and "compute" in t.data and isinstance(t.compute, str):
            computes.setdefault(_same(key, t.identity), (t.compute, t.compute_node))
    for overlay, where, listing, what in _overlays(doc, model.environment_blocks, ctx):
        entries = overlay.child("transforms")
        if not isinstance(entries.value, list):
            continue
        written = set()
        for index, entry in enumerate(entries.value):
            identity = entry.get(key) if isinstance(entry, dict) else None
            if isinstance(identity, str):
                written.add(_same(key, identity))
            if not isinstance(identity, str) or "compute" in entry:
                continue
            found = computes.get(_same(key, identity))
            if found is None or found[0] == _default(doc, ctx):
                continue  # no compute in the base, or the platform's default: one reading
            compute, node = found
            line = node.span().start_line
            yield ctx.finding(
                entries.child(index),
                f"{where} names transform '{identity}' without the compute "
                f"'{compute}' that {doc.path.name} gives it at line {line}: where the "
                "environment's list replaces the base's, it runs on the default compute there; "
                f"where entries merge by {key}, on '{compute}'. Upstream Floe defines no merge "
                f"of {what}: write `compute: {compute}` here",
                related=[ctx.related(node, f"the compute of transform '{identity}' in the base")],
            )
        named: dict[str, tuple[str, Node]] = {}
        for t in model.transforms:
            if t.identity:
                named.setdefault(_same(key, t.identity), (t.identity, t.node))
        left_out = [found for same, found in named.items() if same not in written]
        if left_out:
            yield _left_out(entries, left_out, listing, doc, key, what, ctx)


#: transforms a left-out warning names (and points at); the count says how many more
_NAMED = 10


def _left_out(
    entries: Node,
    left_out: list[tuple[str, Node]],
    listing: str,
    doc: Document,
    key: str,
    what: str,
    ctx: Context,
) -> Finding:
    """One warning for the base's transforms a list leaves out, at the list: one per transform
    made a product with a one-entry environment block print a warning for each transform of its
    base (281 warnings in a 1,000-product tree, its output tripled)."""
    if len(left_out) == 1:
        [(identity, node)] = left_out
        return ctx.finding(
            entries,
            f"{listing} leave out transform '{identity}' of "
            f"{doc.path.name} (line {node.span().start_line}): where the environment's "
            "list replaces the base's, it does not run there; where entries merge by "
            f"{key}, it runs as in the base. Upstream Floe defines no merge of "
            f"{what}: list it here too",
            at="key",
            related=[ctx.related(node, f"transform '{identity}' in the base")],
        )
    named = ", ".join(
        f"'{identity}' (line {node.span().start_line})" for identity, node in left_out[:_NAMED]
    )
    more = f" and {len(left_out) - _NAMED} more" if len(left_out) > _NAMED else ""
    return ctx.finding(
        entries,
        f"{listing} leave out {len(left_out)} transforms of {doc.path.name}: {named}{more}: "
        "where the environment's list replaces the base's, they do not run there; where "
        f"entries merge by {key}, they run as in the base. Upstream Floe defines no merge of "
        f"{what}: list them here too",
        at="key",
        related=[
            ctx.related(node, f"transform '{identity}' in the base")
            for identity, node in left_out[:_NAMED]
        ],
    )


_FILES = "per-environment files"
_BLOCKS = "environment blocks"


def _overlays(
    doc: Document, blocks: tuple[str, ...], ctx: Context
) -> Iterator[tuple[Node, str, str, str]]:
    """Each overlay of the base `doc`'s transforms, with how messages name it and its list, and
    its kind:
    per-environment files (`floe.prod.yaml`), and each environment of the blocks the dialect
    reads (`environments: {prod: {transforms: ...}}`) in the base or in such a file, as
    environment-override (FL401) reads them."""
    holders = [doc]
    for variant in ctx.environment_overlays(doc):
        yield (
            variant.node(),
            "a per-environment file",
            "a per-environment file's transforms",
            _FILES,
        )
        holders.append(variant)
    for holder in holders:
        data = holder.data
        if not isinstance(data, dict):
            continue
        for block in blocks:
            environments = data.get(block)
            if not isinstance(environments, dict):
                continue
            for name, environment in environments.items():
                if isinstance(environment, dict) and "transforms" in environment:
                    node = holder.node().child(block, str(name))
                    where = f"environment '{name}' in '{block}'"
                    yield node, where, f"the transforms of {where}", _BLOCKS


def _default(doc: Document, ctx: Context) -> Any:
    """The effective default compute of the base's platform (None: unknown); asked only for an
    entry that leaves a compute out, as resolving the platform is not free."""
    platform = ctx.product_of(doc).platform
    return platform.default if platform is not None and not platform.unloaded() else None


def _same(key: str, identity: str) -> str:
    """A transform's identity as the base and its overlay compare it (`path`: normalized)."""
    return normalized_path(identity) if key == "path" else identity
