"""A baseline: findings accepted once, so that only new findings fail the build.

An entry is keyed on the rule, the file (relative to the baseline file), the node and a
hash of the offending source text, never on line numbers or list positions. The node is the
finding's JSON pointer with each list index replaced by what names the item: a transform by
its `name` or `path`, an approved compute by its `name`, a plain list item by its value
(`/transforms/[path="models/x/"]/compute`); mapping keys are names already. So inserting,
deleting or reordering other items, moving lines or re-indenting does not bring a baselined
finding back, but changing the offending value does. The positional pointer is kept too,
and only breaks ties between entries with the same node (two transforms with one path).

Entries that match no finding any more are stale and reported, but only for files the run
checked: a pre-commit run over a few staged files judges nothing else. The hash of a
sensitive finding (a secret literal) leaves the value out, so the baseline cannot be used to
guess the secret; nor is a sensitive value used to name a list item.

Version 1 baselines (keyed on positional pointers) still load: each entry's node is taken
from the current file at its old position, which is what it named when the file is
unchanged since; `--write-baseline` writes version 2.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from floe_lint.config import ConfigError
from floe_lint.findings import Finding
from floe_lint.load.document import SourceFile
from floe_lint.load.paths import relative_posix
from floe_lint.load.reading import MAX_BYTES, json_value, read_text
from floe_lint.record import Frozen, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The largest baseline `--baseline` reads, and so the largest `--write-baseline` writes.
MAX_BASELINE_BYTES = MAX_BYTES

VERSION = 2
READABLE_VERSIONS = (1, 2)
#: Keys that name an item of a list, most telling first.
_ITEM_NAMES = ("name", "path", "id", "ref")


class BaselineError(ConfigError):
    """An unreadable or malformed baseline file (exit status 2)."""


class Entry(Frozen):
    __slots__ = ("file", "hash", "message", "node", "pointer", "rule")
    rule: str
    file: str
    pointer: str
    hash: str
    message: str
    #: The stable node (list items by name); None in a version 1 entry until matched.
    node: str | None

    def __init__(
        self,
        rule: str,
        file: str,
        pointer: str,
        hash: str,
        message: str = "",
        node: str | None = None,
    ) -> None:
        set_field(self, "rule", rule)
        set_field(self, "file", file)
        set_field(self, "pointer", pointer)
        set_field(self, "hash", hash)
        set_field(self, "message", message)
        set_field(self, "node", node)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (
            self.rule,
            self.file,
            self.node if self.node is not None else self.pointer,
            self.hash,
        )


def stable_node(data: Any, pointer: str, *, sensitive: bool = False) -> str:
    """`pointer` with each list index replaced by what names the item (see the docstring)."""
    if not pointer:
        return ""
    tokens = pointer.split("/")[1:]
    node: Any = data
    parts: list[str] = []
    for position, token in enumerate(tokens):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            item = node[int(key)]
            leaf = position == len(tokens) - 1
            parts.append(_item_name(item, int(key), hide=leaf and sensitive))
            node = item
        elif isinstance(node, dict):
            parts.append(token)
            node = next((v for k, v in node.items() if str(k) == key), None)
        else:
            parts.append(token)
            node = None
    return "/" + "/".join(parts)


def _item_name(item: Any, index: int, *, hide: bool) -> str:
    if isinstance(item, dict):
        for field in _ITEM_NAMES:
            value = item.get(field)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return f"[{field}={_quoted(value)}]"
    elif isinstance(item, str | int | float | bool) and not hide:
        return f"[={_quoted(item)}]"
    return f"[{index}]"


def _node(item: Any) -> str | None:
    node = item.get("node")
    return None if node is None else str(node)


def data_reader(files: Iterable[SourceFile]) -> Callable[[Path, str], Any]:
    """The data of the document of a file that holds a pointer: a file of the run, or a
    per-environment file read now (beside a base given alone, as the pre-commit hook gives a
    staged floe.yaml: its findings' nodes are named as `check .` names them); else None."""
    from floe_lint.load.kinds import ENV_VARIANT
    from floe_lint.load.paths import resolved

    documents = {resolved(source.path): source.documents for source in files}
    missing = object()

    def data_of(path: Path, pointer: str) -> Any:
        key = resolved(path)
        if key not in documents and ENV_VARIANT.match(Path(path).name):
            from floe_lint.load.document import load

            documents[key] = load(Path(path)).documents
        found = documents.get(key, [])
        for doc in found:
            if doc.get(pointer, missing) is not missing:
                return doc.data
        return found[0].data if found else None

    return data_of


def _quoted(value: object) -> str:
    """A JSON literal: readable, and no value can pass for another or close the brackets."""
    return json.dumps(value, ensure_ascii=False)


def offending_text(finding: Finding, lines: list[str]) -> str:
    """The source text under the finding's span, whitespace-normalised."""
    span = finding.location.span
    if not 0 < span.start_line <= len(lines):
        return ""
    chunk = lines[span.start_line - 1 : span.end_line]
    if len(chunk) == 1:
        chunk = [chunk[0][span.start_col - 1 : span.end_col - 1]]
    else:
        chunk[0] = chunk[0][span.start_col - 1 :]
        chunk[-1] = chunk[-1][: span.end_col - 1]
    return " ".join(" ".join(chunk).split())


def _hash(finding: Finding, lines: list[str]) -> str:
    import hashlib

    value = "<sensitive>" if finding.sensitive else offending_text(finding, lines)
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def _entry(item: object, *, with_node: bool) -> Entry | None:
    """An entry from its JSON form, or None when a field is missing or is not a string."""
    if not isinstance(item, dict):
        return None
    rule, file, pointer, digest = (item.get(k) for k in ("rule", "file", "pointer", "hash"))
    message = item.get("message", "")
    node = item.get("node") if with_node else None
    if not all(isinstance(v, str) for v in (rule, file, pointer, digest, message)):
        return None
    if node is not None and not isinstance(node, str):
        return None
    return Entry(str(rule), str(file), str(pointer), str(digest), str(message), node)


class Baseline:
    """The entries of a baseline file, matched against the findings of a run."""

    def __init__(self, path: Path, entries: Iterable[Entry] = ()):
        self.path = path
        self.entries = list(entries)
        self.version = VERSION

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json_value(read_text(path, MAX_BASELINE_BYTES))
        except FileNotFoundError as error:
            raise BaselineError(
                f"{path}: baseline file not found (create it with --write-baseline)"
            ) from error
        except json.JSONDecodeError as error:
            raise BaselineError(
                f"{path}:{error.lineno}:{error.colno}: baseline is not valid JSON"
            ) from error
        except ValueError as error:
            raise BaselineError(f"{path}: baseline is not valid JSON ({error})") from error
        except OSError as error:
            raise BaselineError(f"{path}: cannot read baseline: {error}") from error
        if not isinstance(data, dict) or data.get("version") not in READABLE_VERSIONS:
            versions = " or ".join(str(v) for v in READABLE_VERSIONS)
            raise BaselineError(f"{path}: not a floe-lint baseline of version {versions}")
        version = data["version"]
        items = data.get("findings", [])
        if not isinstance(items, list):
            raise BaselineError(f"{path}: 'findings' must be a list of findings")
        entries = []
        for index, item in enumerate(items):
            entry = _entry(item, with_node=version >= 2)
            if entry is None:
                raise BaselineError(
                    f"{path}: findings[{index}] needs rule, file, pointer and hash (and an "
                    "optional message and node), each a string"
                )
            entries.append(entry)
        baseline = cls(path, entries)
        baseline.version = version
        return baseline

    def entry(self, finding: Finding, lines: list[str], data: Any = None) -> Entry:
        """The entry that accepts `finding`; `data` is its document's data (for the node)."""
        return Entry(
            finding.rule_id,
            relative_posix(finding.path, self.path.parent),
            finding.pointer,
            _hash(finding, lines),
            finding.message,
            stable_node(data, finding.pointer, sensitive=finding.sensitive),
        )

    def match(
        self,
        findings: list[Finding],
        lines_of: Callable[[Path], list[str]],
        data_of: Callable[[Path, str], Any] = lambda path, pointer: None,
        checked: Iterable[Path] | None = None,
    ) -> tuple[list[Finding], list[Finding], list[Entry]]:
        """(new findings, baselined findings, stale entries); each entry absorbs one finding.

        `data_of(path, pointer)` is the data of the document holding `pointer`; `checked` the
        files the run linted (None: all): entries of other files are never stale.
        """
        files = {self.file_of(path): path for path in checked} if checked is not None else None
        pending: dict[tuple[str, str, str, str], list[Entry]] = defaultdict(list)
        for entry in self.entries:
            if entry.node is None:  # version 1: name the node as the file has it now
                path = files.get(entry.file) if files is not None else None
                path = path or self.path.parent / entry.file
                entry = entry.replace(node=stable_node(data_of(path, entry.pointer), entry.pointer))
            pending[entry.key].append(entry)
        new, known = [], []
        for finding in findings:
            key = self.entry(
                finding, lines_of(finding.path), data_of(finding.path, finding.pointer)
            ).key
            candidates = pending.get(key)
            if not candidates:
                new.append(finding)
                continue
            # positions only break ties: the entry at the finding's own pointer, else the first
            same = [i for i, e in enumerate(candidates) if e.pointer == finding.pointer]
            candidates.pop(same[0] if same else 0)
            known.append(finding)
        stale = [
            entry
            for entries in pending.values()
            for entry in entries
            if files is None or entry.file in files
        ]
        stale.sort(key=lambda e: (e.file, e.pointer, e.rule))
        return new, known, stale

    def file_of(self, path: Path) -> str:
        """How entries name `path`: relative to the baseline file."""
        return relative_posix(path, self.path.parent)

    def write(
        self,
        findings: list[Finding],
        lines_of: Callable[[Path], list[str]],
        data_of: Callable[[Path, str], Any] = lambda path, pointer: None,
        keep: Sequence[Entry] = (),
    ) -> int:
        """Record `findings` (and the entries `keep`) atomically; returns how many entries."""
        entries = sorted(
            [
                *(self.entry(f, lines_of(f.path), data_of(f.path, f.pointer)) for f in findings),
                *keep,
            ],
            key=lambda e: (e.file, e.node or e.pointer, e.rule, e.hash, e.pointer),
        )
        data = {
            "version": VERSION,
            "tool": "floe-lint",
            "findings": [
                {
                    "rule": e.rule,
                    "file": e.file,
                    "node": e.node,  # null: a version 1 entry of a file not checked since
                    "pointer": e.pointer,
                    "hash": e.hash,
                    "message": e.message,
                }
                for e in entries
            ],
        }
        from floe_lint.safe_write import write_file

        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if len(text.encode("utf-8")) > MAX_BASELINE_BYTES:  # the compact form, if that fits
            text = json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"
        size = len(text.encode("utf-8"))
        if size > MAX_BASELINE_BYTES:
            raise BaselineError(
                f"{self.path}: not written: {len(entries)} findings make a baseline of {size} "
                f"bytes, more than the {MAX_BASELINE_BYTES} bytes --baseline reads; fix or "
                "ignore some rules first"
            )
        try:
            write_file(self.path, text)
        except OSError as error:
            raise BaselineError(
                f"{self.path}: cannot write baseline: {error.strerror or error}"
            ) from error
        self.entries = entries
        return len(entries)
