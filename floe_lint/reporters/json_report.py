"""Machine output: the versioned JSON report described by `schemas/report.json`."""

from __future__ import annotations

from typing import Any, TextIO

from floe_lint import __version__
from floe_lint.findings import Finding, Location
from floe_lint.reporters import display_path, json_text
from floe_lint.reporters.summary import NOTHING_SILENCED, Silenced, by_rule

REPORT_VERSION = 1


def _location(location: Location) -> dict[str, Any]:
    span = location.span
    return {
        "file": display_path(location.path),
        "line": span.start_line,
        "column": span.start_col,
        "end_line": span.end_line,
        "end_column": span.end_col,
        "pointer": location.pointer,
    }


def _fix(finding: Finding) -> dict[str, Any]:
    """`fix`: how the finding would be fixed (an edit's text never holds a credential: a
    display-only fix replaces one by an env_var() reference)."""
    fix = finding.fix
    if fix is None:
        return {}
    edits = [
        {
            **{k: v for k, v in _location(Location(e.path, e.span)).items() if k != "pointer"},
            "content": e.text,
        }
        for e in fix.edits
    ]
    return {"fix": {"applicability": fix.applicability, "title": fix.title, "edits": edits}}


def report(
    findings: list[Finding], files_checked: int, silenced: Silenced = NOTHING_SILENCED
) -> dict[str, Any]:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "note")}
    return {
        "version": REPORT_VERSION,
        "tool": {"name": "floe-lint", "version": __version__},
        "findings": [
            {
                "rule": f.rule_id,
                "name": f.name,
                "severity": f.severity,
                "message": f.message,
                **_location(f.location),
                "related": [{**_location(r.location), "message": r.message} for r in f.related],
                **_fix(f),
            }
            for f in findings
        ],
        "summary": {
            "files": files_checked,
            "errors": counts["error"],
            "warnings": counts["warning"],
            "notes": counts["note"],
            "suppressed": silenced.suppressed,
            "baselined": silenced.baselined,
            "excused": silenced.excused,
            "rules": by_rule(findings),
        },
    }


def write(
    findings: list[Finding], files_checked: int, out: TextIO, silenced: Silenced = NOTHING_SILENCED
) -> None:
    # One write: json.dump writes each token on its own, a call per few bytes.
    data = report(findings, files_checked, silenced)
    out.write(json_text(data, indent=2) + "\n")
