"""What a rule may consult while it runs: documents, the hierarchy, schema results and the
compute names that plugins provide; and how it states a finding."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from floe_lint.compute.plugin import known_compute_names
from floe_lint.findings import Finding, Location, Related, Span
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.validation import SchemaProblem, validate
from floe_lint.load.workspace import Workspace
from floe_lint.model.hierarchy import Hierarchy


def schema_name(doc: Document) -> str:
    """The bundled schema of a document: `manifest`/`floe`, or `manifest-floe`/`floe-floe`
    for upstream Floe's code dialect."""
    return f"{doc.kind}-floe" if doc.dialect == "floe" else str(doc.kind)


class Context:
    """What a rule may consult: documents, the hierarchy, schema results and known computes."""

    def __init__(self, workspace: Workspace, hierarchy: Hierarchy):
        self.workspace = workspace
        self.hierarchy = hierarchy
        self._schema: dict[int, list[SchemaProblem]] = {}

    @property
    def known_computes(self) -> frozenset[str]:
        return known_compute_names()

    def schema_problems(self, doc: Document) -> list[SchemaProblem]:
        """Schema problems of a document, validated once and shared by the schema-* rules."""
        key = id(doc)
        if key not in self._schema:
            self._schema[key] = validate(doc.data, schema_name(doc)) if doc.kind else []
        return self._schema[key]

    def load(self, path: Path) -> SourceFile:
        return self.workspace.load(path)

    @staticmethod
    def location(doc: Document, pointer: str, at: Literal["key", "value"] = "value") -> Location:
        return Location(doc.path, doc.span(pointer, at), pointer)

    def related(
        self, doc: Document, pointer: str, message: str, at: Literal["key", "value"] = "value"
    ) -> Related:
        return Related(self.location(doc, pointer, at), message)

    def finding(
        self,
        doc: Document,
        pointer: str,
        message: str,
        *,
        at: Literal["key", "value"] = "value",
        related: Sequence[Related] = (),
        sensitive: bool = False,
    ) -> Finding:
        """A finding at a node; the engine fills in the rule id, name and severity."""
        return Finding(
            "", "", "error", message, self.location(doc, pointer, at), tuple(related), sensitive
        )

    @staticmethod
    def file_finding(
        source: SourceFile,
        span: Span,
        message: str,
        pointer: str = "",
        related: Sequence[Related] = (),
    ) -> Finding:
        return Finding(
            "", "", "error", message, Location(source.path, span, pointer), tuple(related)
        )
