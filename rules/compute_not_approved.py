"""A transform may only select a compute that its platform effectively approves.

Why: platform teams govern cost, security and support per engine (ADR-0010). The effective
list of a domain is its own list narrowed by every parent, so a compute the enterprise
approves can still be removed by the domain. The message names the list and the level that
removed the compute.

Fails:
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

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load.document import Document
from floe_lint.model.hierarchy import Level
from floe_lint.model.product import transforms
from floe_lint.secrets import is_templated
from floe_lint.suggest import did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL201", "compute-not-approved", "error", "product"


def _why(level: Level, compute: str) -> str:
    remover = level.remover_of(compute)
    if remover is not None and remover.parent is not None:
        return f"{remover.parent.label} approves it, but {remover.label} removed it"
    if any(compute in lvl.approved for lvl in level.chain()):
        return "it is approved higher up but not at this level"
    return "no level of the hierarchy approves it"


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    level = ctx.hierarchy.platform(doc)
    if level is None:
        return
    approved = list(level.approved)
    for transform in transforms(doc):
        compute = transform.compute
        if not isinstance(compute, str) or is_templated(compute) or compute in level.approved:
            continue
        source = level.approver
        related = [
            ctx.related(
                source.doc,
                source.approved_pointer,
                f"effective approved list of {level.label}",
                "key",
            )
        ]
        remover = level.remover_of(compute)
        if remover is not None and remover is not level:
            related.append(
                ctx.related(
                    remover.doc, remover.approved_pointer, f"{remover.label} removes it", "key"
                )
            )
        yield ctx.finding(
            doc,
            f"{transform.pointer}/compute",
            f"{transform.label} selects compute '{compute}', which {level.label} does not approve "
            f"({_why(level, compute)}); approved: {', '.join(approved) or 'none'}"
            f"{did_you_mean(compute, approved) or did_you_mean(compute, ctx.known_computes)}",
            related=related,
        )
