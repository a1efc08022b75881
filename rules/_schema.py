"""Shared body of the schema-* rules: each reports one category of schema problem."""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load.document import Document
from floe_lint.load.validation import Category


def findings(doc: Document, ctx: Context, category: Category) -> Iterator[Finding]:
    for problem in ctx.schema_problems(doc):
        if problem.category == category:
            yield ctx.finding(doc, problem.pointer, problem.message, at=problem.at)
