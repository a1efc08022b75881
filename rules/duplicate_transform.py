"""Two transforms of one product must not select the same `path`.

Why: the same models would be built twice, possibly on two different computes.

Fails:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {type: dbt, path: models/x/, compute: duckdb}
      - {type: dbt, path: ./models/x, compute: spark}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {type: dbt, path: models/x/, compute: duckdb}
      - {type: dbt, path: models/y/, compute: spark}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb, spark], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product, Transform, normalized_path

ID, NAME, SEVERITY, SUBJECT = "FL207", "duplicate-transform", "error", "product"


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    first: dict[str, Transform] = {}
    for transform in product.transforms:
        if transform.identity is None:
            continue
        key = normalized_path(transform.identity)
        if key not in first:
            first[key] = transform
            continue
        yield ctx.finding(
            transform.identity_node,
            f"path '{transform.identity}' is already selected by transform #{first[key].index + 1}",
            related=[ctx.related(first[key].identity_node, "first selected here")],
        )
