"""JUnit XML for CI systems that show test reports (Jenkins, GitLab, Azure Pipelines …).

Each checked file is a test case named after the file; each finding in it is a `<failure>`
whose type is the rule id. A clean file is a passing test case, so the report also shows
what was checked. User text is written as the text format shows it (`printable`: C1 controls,
line separators and bidi controls escaped, which XML would carry raw to a CI page), and what
XML 1.0 cannot carry at all as `\\xNN`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO
from xml.etree import ElementTree as ET

from floe_lint.findings import Finding
from floe_lint.reporters import display_path, printable
from floe_lint.reporters.summary import NOTHING_SILENCED, Silenced

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m[0]):02x}", printable(text))


def _line(finding: Finding) -> str:
    span = finding.location.span
    return (
        f"{display_path(finding.path)}:{span.start_line}:{span.start_col}: "
        f"{finding.severity.upper()} {finding.rule_id} [{finding.name}] {finding.message}"
    )


def build(
    findings: Sequence[Finding], files: Sequence[Path], silenced: Silenced = NOTHING_SILENCED
) -> ET.Element:
    by_file: dict[str, list[Finding]] = {display_path(p): [] for p in files}
    for finding in findings:
        by_file.setdefault(display_path(finding.path), []).append(finding)
    failures = sum(1 for found in by_file.values() if found)
    totals = {"tests": str(len(by_file)), "failures": str(failures), "errors": "0"}
    suites = ET.Element("testsuites", {"name": "floe-lint", **totals})
    suite = ET.SubElement(suites, "testsuite", {"name": "floe-lint", **totals, "skipped": "0"})
    properties = ET.SubElement(suite, "properties")  # what the run found but does not report
    for count, word in silenced.counts():
        ET.SubElement(properties, "property", {"name": word, "value": str(count)})
    for name in sorted(by_file):
        case = ET.SubElement(suite, "testcase", {"name": _xml_text(name), "classname": "floe-lint"})
        for finding in by_file[name]:
            failure = ET.SubElement(
                case,
                "failure",
                {
                    "type": finding.rule_id,
                    "message": _xml_text(f"{finding.rule_id} {finding.message}"),
                },
            )
            failure.text = _xml_text(_line(finding))
    return suites


def write(
    findings: Sequence[Finding],
    files: Sequence[Path],
    out: TextIO,
    silenced: Silenced = NOTHING_SILENCED,
) -> None:
    tree = build(findings, files, silenced)
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(tree, encoding="unicode"))
    out.write("\n")
