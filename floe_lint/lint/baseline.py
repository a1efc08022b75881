"""A baseline: findings accepted once, so that only new findings fail the build.

An entry is keyed on the rule, the file (relative to the baseline file), the JSON pointer of
the node and a hash of the offending source text, never on line numbers: moving, reordering
or re-indenting lines does not bring a baselined finding back, but changing the offending
value does. Entries that match no finding any more are stale and reported, so the baseline
shrinks as problems are fixed. The hash of a sensitive finding (a secret literal) leaves the
value out, so the baseline cannot be used to guess the secret.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from floe_lint.config import ConfigError
from floe_lint.findings import Finding
from floe_lint.load.paths import relative_posix
from floe_lint.load.reading import json_value, read_text

VERSION = 1


class BaselineError(ConfigError):
    """An unreadable or malformed baseline file (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Entry:
    rule: str
    file: str
    pointer: str
    hash: str
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.rule, self.file, self.pointer, self.hash)


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


def _entry(item: object) -> Entry | None:
    """An entry from its JSON form, or None when a field is missing or is not a string."""
    if not isinstance(item, dict):
        return None
    rule, file, pointer, digest = (item.get(k) for k in ("rule", "file", "pointer", "hash"))
    message = item.get("message", "")
    if not all(isinstance(v, str) for v in (rule, file, pointer, digest, message)):
        return None
    return Entry(str(rule), str(file), str(pointer), str(digest), str(message))


class Baseline:
    """The entries of a baseline file, matched against the findings of a run."""

    def __init__(self, path: Path, entries: Iterable[Entry] = ()):
        self.path = path
        self.entries = list(entries)

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json_value(read_text(path))
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
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise BaselineError(f"{path}: not a floe-lint baseline of version {VERSION}")
        items = data.get("findings", [])
        if not isinstance(items, list):
            raise BaselineError(f"{path}: 'findings' must be a list of findings")
        entries = []
        for index, item in enumerate(items):
            entry = _entry(item)
            if entry is None:
                raise BaselineError(
                    f"{path}: findings[{index}] needs rule, file, pointer and hash (and an "
                    "optional message), each a string"
                )
            entries.append(entry)
        return cls(path, entries)

    def entry(self, finding: Finding, lines: list[str]) -> Entry:
        return Entry(
            finding.rule_id,
            relative_posix(finding.path, self.path.parent),
            finding.pointer,
            _hash(finding, lines),
            finding.message,
        )

    def match(
        self, findings: list[Finding], lines_of: Callable[[Path], list[str]]
    ) -> tuple[list[Finding], list[Finding], list[Entry]]:
        """(new findings, baselined findings, stale entries); each entry absorbs one finding."""
        remaining = Counter(e.key for e in self.entries)
        new, known = [], []
        for finding in findings:
            key = self.entry(finding, lines_of(finding.path)).key
            if remaining[key] > 0:
                remaining[key] -= 1
                known.append(finding)
            else:
                new.append(finding)
        stale = []
        for entry in self.entries:
            if remaining[entry.key] > 0:
                remaining[entry.key] -= 1
                stale.append(entry)
        return new, known, stale

    def write(self, findings: list[Finding], lines_of: Callable[[Path], list[str]]) -> int:
        """Record `findings` atomically; returns how many entries were written."""
        entries = sorted(
            (self.entry(f, lines_of(f.path)) for f in findings),
            key=lambda e: (e.file, e.pointer, e.rule, e.hash),
        )
        data = {
            "version": VERSION,
            "tool": "floe-lint",
            "findings": [
                {
                    "rule": e.rule,
                    "file": e.file,
                    "pointer": e.pointer,
                    "hash": e.hash,
                    "message": e.message,
                }
                for e in entries
            ],
        }
        import tempfile

        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".floe-lint-baseline.", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2, ensure_ascii=False)
                handle.write("\n")
            os.replace(tmp, self.path)
        except OSError as error:
            raise BaselineError(
                f"{self.path}: cannot write baseline: {error.strerror or error}"
            ) from error
        self.entries = entries
        return len(entries)
