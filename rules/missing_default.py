"""A transform that names no compute needs a default from some level of its platform.

Why: without `compute` and without a default, Floe cannot tell where the transform runs.

Fails:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {type: dbt, path: models/x/}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb]}}

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {type: dbt, path: models/x/}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load.document import Document
from floe_lint.model.product import transforms

ID, NAME, SEVERITY, SUBJECT = "FL204", "missing-default", "error", "product"


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    level = ctx.hierarchy.platform(doc)
    if level is None or level.default is not None:
        return
    for transform in transforms(doc):
        if not transform.names_compute:
            yield ctx.finding(
                doc,
                transform.pointer,
                f"{transform.label} names no compute and no level of the hierarchy of "
                f"{level.label} sets a default; add 'compute: <{'|'.join(level.approved) or 'name'}>' "
                f"or set {level.default_key}",
            )
