"""A transform may only select a compute that its platform effectively approves.

Why: platform teams govern cost, security and support per engine (ADR-0010). The effective
list of a domain is its own list narrowed by every parent, so a compute the enterprise
approves can still be removed by the domain. The message names the list and the level that
removed the compute.

Fails:
    # expect: floe.yaml:4:43 transform 'models/x/' selects compute 'snowflake', which platform manifest manifest.yaml
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {type: dbt, path: models/x/, compute: snowflake}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {type: dbt, path: models/x/, compute: spark}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import (
    Context,
    Finding,
    Fix,
    Level,
    Node,
    Product,
    Related,
    did_you_mean,
    is_templated,
    same_name,
)

ID, NAME, SEVERITY, SUBJECT = "FL201", "compute-not-approved", "error", "product"
GUARD = "unapproved-selection"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)
FIXES = {
    "safe": "write the approved name, when the compute differs from it only in case or spaces",
    "unsafe": "move the transform onto its platform's effective default compute",
}


def _why(level: Level, compute: str) -> str:
    remover = level.remover_of(compute)
    if remover is not None and remover.parent is not None:
        return f"{remover.parent.label} approves it, but {remover.label} removed it"
    if any(compute in lvl.approved for lvl in level.chain()):
        return "it is approved higher up but not at this level"
    return "no level of the hierarchy approves it"


def _fix(ctx: Context, level: Level, node: Node, compute: str) -> Fix | None:
    if not ctx.fixes:  # a run that states none (`impact`: thousands of findings in its old run)
        return None
    same = same_name(compute, level.approved)
    if same is not None:
        return ctx.fix("safe", f"write '{same}'", ctx.replace_value(node, same))
    default = level.default
    if default is not None and default in level.approved and not is_templated(default):
        edit = ctx.replace_value(node, default)
        return ctx.fix("unsafe", f"run it on the default compute '{default}'", edit)
    return None


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    level = product.platform
    if level is None or level.unloaded() is not None:
        return  # platform-not-checked names the parent that could not be loaded
    if not any(lvl.entries for lvl in level.chain()):
        return  # no compute at all: the schema or required-plugin-missing names that cause
    approved = list(level.approved)
    #: by compute: what every transform selecting it is told (its message's end and related
    #: places), said once per product: `impact`'s old version has thousands such transforms
    said: dict[str, tuple[str, list[Related]]] = {}
    for transform in product.transforms:
        compute = transform.compute
        if not isinstance(compute, str) or compute in level.approved or is_templated(compute):
            continue
        known = said.get(compute)
        if known is None:
            known = said[compute] = _said(level, compute, approved, ctx)
        yield ctx.finding(
            transform.compute_node,
            f"{transform.label} selects compute '{compute}', {known[0]}",
            related=known[1],
            fix=_fix(ctx, level, transform.compute_node, compute),
        )


def _said(
    level: Level, compute: str, approved: list[str], ctx: Context
) -> tuple[str, list[Related]]:
    """What a transform of `level` selecting `compute` is told after its own name: why the
    compute is not approved, the approved list, a likely name; and the related places."""
    related = [
        ctx.related(
            level.approver.approved_node,
            f"effective approved list of {level.label}",
            at="key",
        )
    ]
    remover = level.remover_of(compute)
    if remover is not None and remover is not level:
        related.append(ctx.related(remover.approved_node, f"{remover.label} removes it", at="key"))
    message = (
        f"which {level.label} does not approve ({_why(level, compute)}); approved: "
        f"{', '.join(approved) or 'none'}"
        f"{did_you_mean(compute, approved) or did_you_mean(compute, ctx.known_computes)}"
    )
    return message, related
