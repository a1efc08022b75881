"""GitLab Code Quality (`artifacts:reports:codequality`): a JSON array of issues.

GitLab compares the issues of a merge request with those of its target branch by
fingerprint, so a fingerprint must not change when lines move: it hashes the rule, the file,
the JSON pointer, the offending text and the message (never a line number), and repeats get
a counter so that every issue is unique, as GitLab requires.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from floe_lint.findings import Finding
from floe_lint.lint.baseline import offending_text
from floe_lint.reporters import display_path, json_text

SEVERITY = {"error": "major", "warning": "minor", "note": "info"}


def project_root() -> Path:
    """What GitLab's paths are relative to: $CI_PROJECT_DIR in a job, else the cwd."""
    root = os.environ.get("CI_PROJECT_DIR")
    return Path(root) if root and Path(root).is_dir() else Path.cwd()


def build(
    findings: Sequence[Finding], lines_of: Callable[[Path], list[str]], root: Path | None = None
) -> list[dict[str, Any]]:
    root = root or project_root()
    seen: dict[str, int] = {}
    issues = []
    for finding in findings:
        path = display_path(finding.path, root)
        value = (
            "<sensitive>" if finding.sensitive else offending_text(finding, lines_of(finding.path))
        )
        key = "\0".join((finding.rule_id, path, finding.pointer, value, finding.message))
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        if seen[digest] > 1:
            digest = f"{digest}-{seen[digest]}"
        span = finding.location.span
        issues.append(
            {
                "type": "issue",
                "description": finding.message,
                "check_name": f"{finding.rule_id} {finding.name}",
                "fingerprint": digest,
                "severity": SEVERITY[finding.severity],
                "location": {
                    "path": path,
                    "lines": {"begin": max(span.start_line, 1), "end": max(span.end_line, 1)},
                },
            }
        )
    return issues


def write(findings: Sequence[Finding], out: TextIO, lines_of: Callable[[Path], list[str]]) -> None:
    out.write(json_text(build(findings, lines_of), indent=2) + "\n")
