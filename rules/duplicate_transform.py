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

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load.document import Document
from floe_lint.model.product import Transform, normalized_path, transforms

ID, NAME, SEVERITY, SUBJECT = "FL207", "duplicate-transform", "error", "product"


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    first: dict[str, Transform] = {}
    for transform in transforms(doc):
        if transform.path is None:
            continue
        key = normalized_path(transform.path)
        if key not in first:
            first[key] = transform
            continue
        yield ctx.finding(
            doc,
            f"{transform.pointer}/path",
            f"path '{transform.path}' is already selected by transform #{first[key].index + 1}",
            related=[ctx.related(doc, f"{first[key].pointer}/path", "first selected here")],
        )
