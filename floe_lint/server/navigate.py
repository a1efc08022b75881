"""What is under the cursor, and where it leads: hover text from the `explain` views, the
definition of a compute or a ref, the transforms that use an approved entry.

A position is resolved to the innermost node of the document whose key or value span holds
it; the model then says what that node is (a transform's compute, a platform ref, an
approved entry, a default, a governance value).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from floe_lint.findings import Span
from floe_lint.load.document import Document, Node
from floe_lint.model import explain
from floe_lint.model.level import Level
from floe_lint.model.product import Product
from floe_lint.reporters import display_path
from floe_lint.reporters import markdown_code as _code
from floe_lint.reporters import markdown_text as _text
from floe_lint.server.session import Model, Session


@dataclass(frozen=True, slots=True)
class Place:
    path: Path
    span: Span


@dataclass(frozen=True, slots=True)
class Subject:
    """What the cursor is on: `kind` is compute, ref or governance; `level` the level it
    is read at; `name` the compute or the governance field."""

    kind: str
    node: Node
    level: Level | None
    name: str
    product: Product | None = None
    entry_of: Level | None = None  # an approved entry of this level (for references)


def _holds(span: Span, line: int, col: int) -> bool:
    return (span.start_line, span.start_col) <= (line, col) <= (span.end_line, span.end_col)


def pointer_at(doc: Document, line: int, col: int) -> str | None:
    """The deepest node whose key or value holds (line, col)."""
    best: str | None = None
    for pointer, spans in doc.spans.items():
        held = _holds(spans.value, line, col) or (spans.key and _holds(spans.key, line, col))
        if held and (best is None or pointer.count("/") > best.count("/")):
            best = pointer
    return best


def _inside(pointer: str, node: Node) -> bool:
    return node.exists and (pointer == node.pointer or pointer.startswith(node.pointer + "/"))


def subject_at(model: Model, line: int, col: int) -> Subject | None:
    for doc in model.docs:
        pointer = pointer_at(doc, line, col)
        if pointer is None:
            continue
        if doc.kind == "floe":
            return _product_subject(model.hierarchy.product(doc), pointer)
        return _manifest_subject(model.hierarchy.level(doc), pointer)
    return None


def _product_subject(product: Product, pointer: str) -> Subject | None:
    level = product.platform
    if _inside(pointer, product.platform_node):
        return Subject("ref", product.platform_node, level, "", product)
    for transform in product.transforms:
        node = transform.compute_node
        if _inside(pointer, node) and isinstance(node.value, str):
            return Subject("compute", node, level, node.value, product)
    return None


def _manifest_subject(level: Level, pointer: str) -> Subject | None:
    if _inside(pointer, level.parent_node):
        return Subject("ref", level.parent_node, level.parent, "")
    for entry in level.entries:
        if _inside(pointer, entry.name_node) or pointer == entry.node.pointer:
            return Subject("compute", entry.name_node, level, entry.name, entry_of=level)
    if _inside(pointer, level.default_node) and isinstance(level.default_node.value, str):
        return Subject("compute", level.default_node, level, level.default_node.value)
    for held in level.governance.values():
        if held.node.doc is level.doc and _inside(pointer, held.node):
            return Subject("governance", held.node, level, held.setting.field.path)
    for weak in level.weakenings:
        if _inside(pointer, weak.setting.node):
            return Subject("governance", weak.setting.node, level, weak.setting.field.path)
    return None


def _at(site: explain.Site, root: Path) -> str:
    return _text(f"{display_path(site.path, root)}:{site.line}")


def _chain(level: Level | None) -> list[Level]:
    return list(reversed(level.chain())) if level is not None else []


def _where(level: Level, root: Path) -> str:
    """`- LABEL (PATH)`, the start of a level's line, as Markdown."""
    return f"- {_text(level.label)} ({_text(display_path(level.doc.path, root))})"


def hover(subject: Subject, root: Path) -> str:
    """Markdown: the explain chain of what the cursor is on, top level first (paths relative
    to the workspace `root`). Everything taken from the files (names, labels, values, paths)
    is escaped: it shows as written and can never become a link, HTML or emphasis."""
    if subject.kind == "ref":
        return _ref_hover(subject, root)
    if subject.kind == "governance":
        return _governance_hover(subject, root)
    return _compute_hover(subject, root)


def _compute_hover(subject: Subject, root: Path) -> str:
    name, level = subject.name, subject.level
    if level is None:
        return f"**compute {_code(name)}**: the platform does not resolve, so nothing approves it"
    verdict = "approved" if name in level.approved else "not approved"
    lines = [f"**compute {_code(name)}**: {verdict} at {_text(level.label)}", ""]
    for lvl in _chain(level):
        view = explain.level_view(lvl)
        what = "does not list it"
        if any(i.name == name for i in view.approves):
            site = next(i.site for i in view.approves if i.name == name)
            what = f"approves it ({_at(site, root)})"
        elif any(r.name == name for r in view.removes):
            removed = next(r for r in view.removes if r.name == name)
            what = (
                f"does not select it (allowed by {_text(removed.approved_by)})"
                if removed.whitelisted
                else f"removes it (offered by {_text(removed.approved_by)})"
            )
        elif any(i.name == name for i in view.not_in_parent):
            site = next(i.site for i in view.not_in_parent if i.name == name)
            what = f"lists it, but its parent does not approve it ({_at(site, root)})"
        elif view.inherits_from is not None:
            what = f"inherits its computes from {_text(view.inherits_from)}"
        if view.default is not None and view.default.name == name:
            source = _text(view.default.inherited_from or "itself")
            what += f"; default (set by {source}, {_at(view.default.site, root)})"
        lines.append(f"{_where(lvl, root)}: {what}")
    return "\n".join(lines)


def _ref_hover(subject: Subject, root: Path) -> str:
    text = _code(str(subject.node.value))
    if subject.level is None:
        return f"**{text}**: does not resolve to a manifest (see its diagnostic)"
    lines = [f"**{text}** → {_text(display_path(subject.level.doc.path, root))}", ""]
    for lvl in _chain(subject.level):
        view = explain.level_view(lvl)
        approves = ", ".join(_text(i.name) for i in view.approves) or "nothing"
        default = f"; default {_text(view.default.name)}" if view.default else ""
        lines.append(f"{_where(lvl, root)}: approves {approves}{default}")
    return "\n".join(lines)


def _governance_hover(subject: Subject, root: Path) -> str:
    field = subject.name
    lines = [f"**governance {_code(field)}**", ""]
    for lvl in _chain(subject.level):
        view = explain.level_view(lvl)
        label = _text(lvl.label)
        for held in view.governance:
            if held.field == field:
                who = (
                    f"inherited from {_text(held.inherited_from)}"
                    if held.inherited_from
                    else "set here"
                )
                lines.append(f"- {label}: {_code(str(held.value))} ({who}, {_at(held.site, root)})")
        for weak in view.not_in_force:
            if weak.field == field:
                lines.append(
                    f"- {label}: writes {_code(str(weak.value))} ({_at(weak.site, root)}), "
                    f"weaker than {_code(str(weak.in_force))} in force from "
                    f"{_text(weak.set_by)}: ignored"
                )
    return "\n".join(lines)


def _place(node: Node, at: str = "value") -> Place:
    return Place(node.doc.path, node.span("key" if at == "key" else "value"))


def definition(subject: Subject) -> Place | None:
    """Where a ref leads, or the entry that approves a compute (or the level removing it)."""
    level = subject.level
    if level is None:
        return None
    if subject.kind == "ref":
        return Place(level.doc.path, Span(1, 1, 1, 1))
    if subject.kind == "governance":
        held = level.governance.get(subject.name)
        return _place(held.node) if held is not None else None
    name = subject.name
    if subject.entry_of is not None:  # an approved entry: the parent's entry it narrows
        level = subject.entry_of.parent
        if level is None:
            return None
    if name in level.approved:
        return _place(level.approved[name].entry.name_node)
    remover = level.remover_of(name)
    if remover is not None:
        return _place(remover.approved_node, "key")
    return _place(level.approver.approved_node, "key")


def references(session: Session, subject: Subject) -> list[Place]:
    """The transforms of the workspace whose compute is approved by this very entry."""
    if subject.entry_of is None:
        return []
    target = (subject.entry_of.doc.path.resolve(), subject.node.pointer)
    _, products = session.index()
    found: list[Place] = []
    resolved: dict[int, Path] = {}  # a path resolved once per document, not per transform
    for product in products:
        level = product.platform
        if level is None:
            continue
        for transform in product.transforms:
            named = transform.compute if isinstance(transform.compute, str) else None
            compute = named if named is not None else level.default
            effective = level.approved.get(compute) if compute else None
            if effective is None:
                continue
            node = effective.entry.name_node
            key = id(node.doc)
            if key not in resolved:
                resolved[key] = node.doc.path.resolve()
            if (resolved[key], node.pointer) == target:
                found.append(_place(transform.compute_node if named else transform.node))
    return found
