"""`impact`'s text report is written to its output at once, names each file as the comparison
named it, and counts a broken product by its path however the finding spells it; the findings'
order and deduplication resolve each path once. These are the cuts of `impact`'s cost of the
sixth helper round (imp6): each keeps the output byte for byte."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.findings import Finding, Location, Span
from floe_lint.lint import ordering
from floe_lint.lint.impact import Impact
from floe_lint.load.paths import resolved
from floe_lint.reporters import impact_report


def _finding(
    path: Path,
    rule: str = "FL201",
    name: str = "compute-not-approved",
    line: int = 3,
    pointer: str = "/transforms/0/compute",
    severity: str = "error",
) -> Finding:
    return Finding(rule, name, severity, "m", Location(path, Span(line, 1, line, 2), pointer))  # type: ignore[arg-type]


class _Counting(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_the_text_report_is_one_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before, each line was a write to the console's stream (8,374 for the benchmark)."""
    monkeypatch.chdir(tmp_path)
    product = tmp_path / "p" / "floe.yaml"
    impact = Impact(tmp_path / "manifest.yaml", "HEAD", [product])
    impact.appeared = [_finding(product), _finding(product, line=5)]
    impact.disappeared = [_finding(product, rule="FL202", name="approved-not-subset")]
    out = _Counting()
    impact_report.write_text(impact, out)
    assert out.writes == 1
    assert out.getvalue().splitlines() == [
        "impact of manifest.yaml against HEAD: 1 dependent",
        "findings that appear: 2",
        "  + p/floe.yaml:3:1: ERROR FL201 [compute-not-approved] m",
        "  + p/floe.yaml:5:1: ERROR FL201 [compute-not-approved] m",
        "findings that disappear: 1",
        "  - p/floe.yaml:3:1: ERROR FL202 [approved-not-subset] m",
        "products whose policy changes: 0",
    ]


def test_a_broken_product_is_its_path_however_a_finding_spells_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finding's path that is a dependent's is taken as is; one spelt otherwise (relative,
    through `..`) is compared by its shown name, as before; a warning breaks nothing."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    a, b, c = tmp_path / "a" / "floe.yaml", tmp_path / "b" / "floe.yaml", tmp_path / "c.yaml"
    impact = Impact(tmp_path / "manifest.yaml", "HEAD", [a, b])
    impact.appeared = [
        _finding(a),
        _finding(Path("a/../b/floe.yaml")),
        _finding(c),
        _finding(Path("b/floe.yaml"), severity="warning"),
    ]
    assert impact.broken_products() == ["a/floe.yaml", "b/floe.yaml"]


def test_the_report_names_files_as_the_comparison_did(tmp_path: Path) -> None:
    """A path the comparison showed is not shown again (`relative_posix` once a path)."""
    impact = Impact(tmp_path / "manifest.yaml", "HEAD", [])
    impact.shown = lambda path: f"<{path.name}>"
    out = io.StringIO()
    impact_report.write_text(impact, out)
    assert out.getvalue().startswith("impact of <manifest.yaml> against HEAD: 0 dependents")


SPELLINGS = st.sampled_from(["p/floe.yaml", "./p/floe.yaml", "q/../p/floe.yaml", "q/floe.yaml"])
FINDINGS = st.lists(
    st.tuples(
        SPELLINGS,
        st.sampled_from([("FL201", "compute-not-approved"), ("FL104", "schema-enum")]),
        st.sampled_from(["/a", "/b", ""]),
        st.integers(1, 2),
    ),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(drawn=FINDINGS, absolute=st.booleans())
def test_dropping_and_deduplicating_findings_is_as_before(
    drawn: list[tuple[str, tuple[str, str], str, int]], absolute: bool
) -> None:
    """Paths spelt several ways, schema findings at a semantic one's pointer or not: the same
    findings stay as when every finding's path was resolved (the code before)."""
    base = Path(os.getcwd())
    findings = [
        _finding(base / p if absolute else Path(p), rule, name, line, pointer)
        for p, (rule, name), pointer, line in drawn
    ]
    semantic = {
        (resolved(f.path), f.pointer)
        for f in findings
        if not f.name.startswith("schema-") and f.pointer
    }
    kept = [
        f
        for f in findings
        if not (f.name.startswith("schema-") and (resolved(f.path), f.pointer) in semantic)
    ]
    assert ordering.drop_shadowed_schema_findings(findings) == kept
    unique: dict[object, Finding] = {}
    for f in kept:
        unique.setdefault((f.rule_id, resolved(f.path), f.location.span, f.message), f)
    assert ordering.dedupe(kept) == list(unique.values())
