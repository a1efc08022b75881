"""The pygls adapter: LSP messages in, the session and navigation out.

Diagnostics are published on open, change and save for the file and for every open file
whose hierarchy passes through it; hover, definition and references read `navigate`; code
actions offer each finding's fix (unsafe ones labelled and never part of fix-all), a
fix-all of the safe ones, and a suppression comment with a reason.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from floe_lint import __version__
from floe_lint.config import load_config
from floe_lint.findings import Edit, Finding, Span
from floe_lint.server import navigate
from floe_lint.server.positions import Lines
from floe_lint.server.session import Session

FIX_ALL = "source.fixAll.floe-lint"
SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "note": lsp.DiagnosticSeverity.Information,
}
#: rules a comment cannot silence: the file does not parse, or the finding is about comments
_UNSUPPRESSIBLE = frozenset({"FL001", "FL901"})


class FloeServer(LanguageServer):
    session: Session | None = None
    config_path: Path | None = None  # `server --config FILE`

    def state(self) -> Session:
        if self.session is None:
            self.session = Session(Path.cwd())
        return self.session


server = FloeServer("floe-lint", __version__)


def _path(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri)


def _uri(path: Path) -> str:
    return from_fs_path(str(path.resolve())) or str(path)


def _range(lines: Lines, span: Span) -> lsp.Range:
    (sl, sc), (el, ec) = lines.range(span)
    return lsp.Range(lsp.Position(sl, sc), lsp.Position(el, ec))


def _diagnostic(finding: Finding, lines: Lines, state: Session) -> lsp.Diagnostic:
    related = [
        lsp.DiagnosticRelatedInformation(
            lsp.Location(
                _uri(r.location.path), _range(Lines(state.text(r.location.path)), r.location.span)
            ),
            r.message,
        )
        for r in finding.related
    ]
    return lsp.Diagnostic(
        range=_range(lines, finding.location.span),
        message=finding.message,
        severity=SEVERITY[finding.severity],
        code=finding.rule_id,
        source="floe-lint",
        related_information=related or None,
        data={"name": finding.name},
    )


def publish(ls: FloeServer, path: Path) -> None:
    """Lint `path` and every open file below it; publish their diagnostics."""
    state = ls.state()
    for target in [path, *state.below(path)]:
        findings = state.lint(target)
        lines = Lines(state.text(target))
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(
                uri=_uri(target), diagnostics=[_diagnostic(f, lines, state) for f in findings]
            )
        )


@server.feature(lsp.INITIALIZE)
def initialize(ls: FloeServer, params: lsp.InitializeParams) -> None:
    folder = params.root_uri
    if folder is None and params.workspace_folders:
        folder = params.workspace_folders[0].uri
    root = _path(folder) if folder else Path.cwd()
    ls.session = Session(root, load_config(ls.config_path, root))


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: FloeServer, params: lsp.DidOpenTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    ls.state().open(path, params.text_document.text)
    publish(ls, path)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: FloeServer, params: lsp.DidChangeTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    document = ls.workspace.get_text_document(params.text_document.uri)
    ls.state().change(path, document.source)
    publish(ls, path)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: FloeServer, params: lsp.DidSaveTextDocumentParams) -> None:
    publish(ls, _path(params.text_document.uri))


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: FloeServer, params: lsp.DidCloseTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    state = ls.state()
    below = state.below(path)
    state.close(path)
    ls.text_document_publish_diagnostics(
        lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
    )
    for other in below:  # they read the file from disk again
        publish(ls, other)


def _subject(ls: FloeServer, uri: str, position: lsp.Position) -> navigate.Subject | None:
    state = ls.state()
    path = _path(uri)
    line, col = Lines(state.text(path)).from_lsp(position.line, position.character)
    return navigate.subject_at(state.model(path), line, col)


def _location(
    ls: FloeServer, place: navigate.Place, seen: dict[Path, Lines] | None = None
) -> lsp.Location:
    seen = {} if seen is None else seen
    if place.path not in seen:
        seen[place.path] = Lines(ls.state().text(place.path))
    return lsp.Location(_uri(place.path), _range(seen[place.path], place.span))


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: FloeServer, params: lsp.HoverParams) -> lsp.Hover | None:
    subject = _subject(ls, params.text_document.uri, params.position)
    if subject is None:
        return None
    lines = Lines(ls.state().text(subject.node.doc.path))
    return lsp.Hover(
        contents=lsp.MarkupContent(
            lsp.MarkupKind.Markdown, navigate.hover(subject, ls.state().root)
        ),
        range=_range(lines, subject.node.span()),
    )


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: FloeServer, params: lsp.DefinitionParams) -> lsp.Location | None:
    subject = _subject(ls, params.text_document.uri, params.position)
    place = navigate.definition(subject) if subject is not None else None
    return _location(ls, place) if place is not None else None


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def references(ls: FloeServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    subject = _subject(ls, params.text_document.uri, params.position)
    if subject is None:
        return []
    seen: dict[Path, Lines] = {}
    return [_location(ls, p, seen) for p in navigate.references(ls.state(), subject)]


def _edit(ls: FloeServer, edits: tuple[Edit, ...]) -> lsp.WorkspaceEdit:
    changes: dict[str, list[lsp.TextEdit]] = {}
    for edit in edits:
        lines = Lines(ls.state().text(edit.path))
        changes.setdefault(_uri(edit.path), []).append(
            lsp.TextEdit(_range(lines, edit.span), edit.text)
        )
    return lsp.WorkspaceEdit(changes=changes)


def _overlaps(span: Span, start: tuple[int, int], end: tuple[int, int]) -> bool:
    return (span.start_line, span.start_col) <= end and start <= (span.end_line, span.end_col)


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]),
)
def code_action(ls: FloeServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    state = ls.state()
    path = _path(params.text_document.uri)
    lines = Lines(state.text(path))
    start = lines.from_lsp(params.range.start.line, params.range.start.character)
    end = lines.from_lsp(params.range.end.line, params.range.end.character)
    only = params.context.only
    actions: list[lsp.CodeAction] = []
    findings = state.findings.get(path.resolve(), [])
    for finding in findings:
        if not _overlaps(finding.location.span, start, end):
            continue
        diagnostic = _diagnostic(finding, lines, state)
        fix = finding.fix
        if fix is not None and fix.applicability != "display-only":
            label = " (unsafe: may change behaviour)" if fix.applicability == "unsafe" else ""
            actions.append(
                lsp.CodeAction(
                    title=f"{finding.rule_id}: {fix.title}{label}",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=_edit(ls, fix.edits),
                    is_preferred=fix.applicability == "safe",
                )
            )
        mandatory = finding in state.mandatory.get(path.resolve(), set())
        suppression = None if mandatory else _suppression(path, finding, lines)
        if suppression is not None:
            actions.append(
                lsp.CodeAction(
                    title=f"Suppress {finding.rule_id} here (with a reason)",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=lsp.WorkspaceEdit(changes={params.text_document.uri: [suppression]}),
                )
            )
    if only is not None:
        actions = [a for a in actions if a.kind in only]
    if (only is None or FIX_ALL in only or lsp.CodeActionKind.SourceFixAll in only) and any(
        f.fix is not None and f.fix.applicability == "safe" for f in findings
    ):
        actions.append(_fix_all(state, path, params.text_document.uri, lines))
    return actions


def _suppression(path: Path, finding: Finding, lines: Lines) -> lsp.TextEdit | None:
    """A `# floe-lint: disable=ID -- reason` line above the finding (YAML only: JSON has no
    comments), for a rule a comment may silence (not a mandatory finding: the caller asks)."""
    if path.suffix.lower() == ".json" or finding.rule_id in _UNSUPPRESSIBLE:
        return None
    line = finding.location.span.start_line
    text = lines.line(line)
    indent = text[: len(text) - len(text.lstrip(" "))]
    if text.lstrip().startswith("- "):
        indent += "  "
    comment = f"{indent}# floe-lint: disable={finding.rule_id} -- REASON: why this is acceptable\n"
    return lsp.TextEdit(lsp.Range(lsp.Position(line - 1, 0), lsp.Position(line - 1, 0)), comment)


def _fix_all(state: Session, path: Path, uri: str, lines: Lines) -> lsp.CodeAction:
    """Every safe fix of the file, as one whole-text edit (unsafe fixes are never in it)."""
    outcome = state.fix_all(path)
    changed = outcome.files.get(path.resolve())
    text = changed.text if changed is not None else state.text(path)
    last = len(lines.table.starts)
    end = lsp.Position(last - 1, len(lines.line(last).encode("utf-16-le")) // 2)
    whole = lsp.Range(lsp.Position(0, 0), end)
    return lsp.CodeAction(
        title=f"Fix all safe floe-lint fixes ({len(outcome.fixed)})",
        kind=FIX_ALL,
        edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(whole, text)]}),
    )


def start(config: Path | None = None) -> None:
    server.config_path = config
    server.start_io()
