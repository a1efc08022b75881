"""A transform that names no compute needs a default from some level of its platform.

Why: without `compute` and without a default, Floe cannot tell where the transform runs.

Fails:
    # expect: floe.yaml:4:5 transform 'models/x/' names no compute and no level of the hierarchy of platform manifest
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

from floe_lint.api import Context, Finding, Product

ID, NAME, SEVERITY, SUBJECT = "FL204", "missing-default", "error", "product"
GUARD = "no-default"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    level = product.platform
    if level is None or level.default is not None or level.unloaded() is not None:
        return  # the default may come from a parent that could not be loaded
    if not any(lvl.entries for lvl in level.chain()):
        return  # no compute at all: the schema or required-plugin-missing names that cause
    for transform in product.transforms:
        if not transform.names_compute:
            yield ctx.finding(
                transform.node,
                f"{transform.label} names no compute and no level of the hierarchy of "
                f"{level.label} sets a default; add "
                f"'compute: {next(iter(level.approved), '<name>')}' (approved: "
                f"{', '.join(level.approved) or 'none'}) or set {level.default_key}",
            )
