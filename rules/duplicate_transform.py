"""Two transforms of one product must not select the same `path` (or dbt model `name`).

Why: the same models would be built twice, possibly on two different computes. ADR-0010
identifies a transform by its `path`, upstream Floe's code dialect by its dbt model `name`.

Fails:
    # expect: floe.yaml:5:23 path './models/x' is already selected by transform #1
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
GUARD = "repeated-transform"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    first: dict[str, Transform] = {}
    for transform in product.transforms:
        if transform.identity is None:
            continue
        by_path = transform.identity_key == "path"
        key = normalized_path(transform.identity) if by_path else transform.identity
        if key not in first:
            first[key] = transform
            continue
        word = "selected" if by_path else "named"
        yield ctx.finding(
            transform.identity_node,
            f"{transform.identity_key} '{transform.identity}' is already {word} by transform "
            f"#{first[key].index + 1}",
            related=[ctx.related(first[key].identity_node, f"first {word} here")],
        )
