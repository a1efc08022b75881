"""Shared body of the schema-* rules: each reports one category of schema problem."""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding, SchemaCategory


def findings(doc: Document, ctx: Context, category: SchemaCategory) -> Iterator[Finding]:
    for problem in ctx.schema_problems(doc):
        if problem.category == category:
            yield ctx.finding(doc.node(problem.pointer), problem.message, at=problem.at)
