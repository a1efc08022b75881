"""Two transforms of one product must not select the same `path` (or dbt model `name`).

Why: the same models would be built twice, possibly on two different computes. Upstream
Floe's code dialect identifies a transform by its dbt model `name`, ADR-0010 by its `path`.

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
        identity = transform.identity
        if identity is None:
            continue
        key = normalized_path(identity) if transform.identity_key == "path" else identity
        if key not in first:
            first[key] = transform
            continue
        word = "selected" if transform.identity_key == "path" else "named"
        yield ctx.finding(
            doc,
            transform.identity_pointer,
            f"{transform.identity_key} '{identity}' is already {word} by transform "
            f"#{first[key].index + 1}",
            related=[ctx.related(doc, first[key].identity_pointer, f"first {word} here")],
        )
