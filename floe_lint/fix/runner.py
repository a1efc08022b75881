"""Check, apply the fixes allowed, check again: until nothing more is fixable.

Each pass lints the current texts (as in-memory overlays of the files), takes the fixes the
run allows in finding order, and accepts a fix only if none of its edits overlaps an edit
already accepted in that pass; the rest wait for the next pass, which sees the new text. A
fix is applied at most once: one that comes back after it was applied is not applied again.
Nothing is written here; the caller writes the texts (or shows a diff).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from floe_lint.findings import Edit, Finding
from floe_lint.fix.policy import Policy as Policy
from floe_lint.fix.text import LineTable, Splice, join
from floe_lint.record import Frozen, Value, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from floe_lint.lint.engine import Result

MAX_PASSES = 10


class FileText(Value):
    """A file being fixed: where it is, its bytes on disk, and its text now."""

    __slots__ = ("bom", "original", "path", "text")
    path: Path
    original: bytes
    bom: bool
    text: str

    def __init__(self, path: Path, original: bytes, bom: bool, text: str) -> None:
        self.path = path
        self.original = original
        self.bom = bom
        self.text = text

    @property
    def data(self) -> bytes:
        return (codecs.BOM_UTF8 if self.bom else b"") + self.text.encode("utf-8")

    @property
    def original_text(self) -> str:
        return self.original.decode("utf-8-sig")


class Pass(Frozen):
    """What one pass did to one file (for tests and --diff): the text before, the edits."""

    __slots__ = ("before", "path", "splices")
    path: Path
    before: str
    splices: tuple[Splice, ...]

    def __init__(self, path: Path, before: str, splices: tuple[Splice, ...]) -> None:
        set_field(self, "path", path)
        set_field(self, "before", before)
        set_field(self, "splices", splices)


class Outcome(Value):
    __slots__ = ("files", "fixed", "initial", "passes", "result")
    #: the first run (the files as they are) and the last (as fixed)
    initial: Result
    result: Result
    fixed: list[Finding]
    files: dict[Path, FileText]
    passes: list[Pass]

    def __init__(
        self,
        initial: Result,
        result: Result,
        fixed: list[Finding] | None = None,
        files: dict[Path, FileText] | None = None,
        passes: list[Pass] | None = None,
    ) -> None:
        self.initial = initial
        self.result = result
        self.fixed = [] if fixed is None else fixed
        self.files = {} if files is None else files
        self.passes = [] if passes is None else passes

    @property
    def changed(self) -> list[FileText]:
        return [f for _, f in sorted(self.files.items()) if f.data != f.original]


def _key(path: Path) -> Path:
    return path.resolve()


def _read(path: Path) -> FileText | None:
    from floe_lint.load.reading import MAX_BYTES, ReadError, read_regular

    try:
        raw = read_regular(path, MAX_BYTES)
        text = raw.decode("utf-8-sig")
    except (ReadError, OSError, UnicodeDecodeError):
        return None
    return FileText(path, raw, raw.startswith(codecs.BOM_UTF8), text)


def _overlaps(a: Splice, b: Splice) -> bool:
    if a.start == b.start and (a.start == a.end or b.start == b.end):
        return True
    return a.start < b.end and b.start < a.end


def run(lint: Callable[[Mapping[Path, bytes]], Result], policy: Policy) -> Outcome:
    """Lint, fix, lint again until a pass applies nothing (at most MAX_PASSES passes)."""
    files: dict[Path, FileText] = {}
    first = lint({})
    outcome = Outcome(first, first)
    # A fix that comes back exactly as it was applied did not fix its finding: never again.
    applied: set[tuple[str, str, str, tuple[Edit, ...]]] = set()
    for _ in range(MAX_PASSES):
        accepted: dict[Path, list[Splice]] = {}
        tables: dict[Path, LineTable] = {}
        for finding in outcome.result.findings:
            fix = finding.fix
            if fix is None or not policy.applies(finding):
                continue
            signature = (finding.rule_id, finding.message, fix.title, fix.edits)
            if signature in applied:
                continue
            planned = _plan(fix.edits, files, tables)
            if planned is None:
                continue
            new = [(k, s) for k, s in planned if s not in accepted.get(k, [])]
            if any(_overlaps(s, o) for k, s in new for o in accepted.get(k, [])):
                continue
            for k, s in new:
                accepted.setdefault(k, []).append(s)
            applied.add(signature)
            outcome.fixed.append(finding)
        if not accepted:
            break
        for key, splices in accepted.items():
            current = files[key]
            ordered = tuple(sorted(splices, key=lambda s: (s.start, s.end)))
            outcome.passes.append(Pass(current.path, current.text, ordered))
            current.text = join(current.text, ordered)
        outcome.result = lint({f.path: f.data for f in files.values()})
    outcome.files = files
    return outcome


def _plan(
    edits: Iterable[Edit], files: dict[Path, FileText], tables: dict[Path, LineTable]
) -> list[tuple[Path, Splice]] | None:
    """The edits of one fix as offsets into the current texts; None if one does not fit."""
    planned: list[tuple[Path, Splice]] = []
    for edit in edits:
        key = _key(edit.path)
        if key not in files:
            loaded = _read(edit.path)
            if loaded is None:
                return None
            files[key] = loaded
        if key not in tables:
            tables[key] = LineTable(files[key].text)
        where = tables[key].offsets(edit.span)
        if where is None:
            return None
        planned.append((key, Splice(where[0], where[1], edit.text)))
    return planned
