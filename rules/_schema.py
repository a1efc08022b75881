"""Shared body of the schema-* rules: each reports one category of schema problem.

The categories of `OVERLAY_CATEGORIES` are also reported in a document's per-environment files
(`manifest.prod.yaml` for `manifest.yaml`), read with the base's schema: an unknown key or a
wrong type there is the same mistake. An overlay may omit anything, so nothing is "required".
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from floe_lint.api import SchemaCategory

OVERLAY_CATEGORIES: frozenset[SchemaCategory] = frozenset({"unknown-key", "type", "enum"})


def findings(doc: Document, ctx: Context, category: SchemaCategory) -> Iterator[Finding]:
    for problem in ctx.schema_problems(doc):
        if problem.category == category:
            yield ctx.finding(doc.node(problem.pointer), problem.message, at=problem.at)
    if category not in OVERLAY_CATEGORIES:
        return
    for overlay in ctx.environment_overlays(doc):
        for problem in ctx.overlay_schema_problems(overlay, doc):
            if problem.category == category:
                yield ctx.finding(overlay.node(problem.pointer), problem.message, at=problem.at)
