"""FL613 compiles a level's custom naming patterns within a budget, and the naming rules need
no private module of `re` to run.

`re` compiles a character class by walking every character of its ranges
(`(?i)[\\u0000-\\uffff]`: 3-4 ms), so 359 patterns of 30 such classes (163 KB of YAML) took
43 s of CPU in check. The ranges are summed on the parse tree first: a pattern past what is
left of the level's budget is reported at its place as not judged (never passed, never
compiled). And `re._parser` (`sre_parse` before 3.11) is private: a Python without it made
FL613 and FL612/FL614 raise; now FL613 only compiles, and a pattern below is unproven
(FL614's warning)."""

from __future__ import annotations

import re
import resource
import sys

import pytest

from floe_lint.model import naming_inclusion
from tests.test_governance_defaults import domain, governance_findings
from tests.test_naming_pattern_invalid import ENTERPRISE, TAIL

WIDE = "(?i)" + "[\\u0000-\\uffff]" * 31  # 31 x 65,536 = 2,031,616 characters: past the budget
NOT_JUDGED = (
    "is not judged: its character classes span 2,031,616 characters, which `re` compiles one "
    "by one, more than floe-lint's budget (2,000,000 for a level's patterns) leaves; check "
    "that floe-core compiles it, or write narrower classes"
)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def test_a_pattern_of_classes_too_wide_to_compile_is_reported_not_passed(lint) -> None:
    governance = (
        "  naming:\n    enforcement: strict\n    pattern: custom\n    custom_patterns:\n"
        "      - '^raw_'\n"
        f"      - '{WIDE}'\n"
        "      - '^(agg'\n"
    )
    run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(governance)}, "--no-cache")
    assert [f for f in governance_findings(run) if f[0] == "FL613"] == [
        (
            "FL613",
            13,
            9,
            "governance.naming.custom_patterns[1] '(?i)[\\\\u0000-\\\\uffff][\\\\u0000-\\\\uffff]"
            f"[\\\\u0000-\\\\uffff][\\\\u0000-\\\\uf...' {NOT_JUDGED}",
        ),
        (
            "FL613",
            14,
            9,
            "governance.naming.custom_patterns[2] '^(agg' is not a regular expression floe-core "
            f"can compile (missing ), unterminated subpattern at position 1): {TAIL}",
        ),
    ]


def test_many_wide_patterns_are_checked_in_bounded_time(lint) -> None:
    """100 patterns of 30 BMP-wide classes each: 13 s of compiling before, now a budget's
    worth (about 30 such classes) and a parse of each."""
    pattern = "(?i)" + "[\\u0000-\\uffff]" * 30
    items = "".join(f"      - '{pattern}{i}'\n" for i in range(100))
    manifest = ENTERPRISE.split("governance:")[0] + (
        f"governance:\n  naming:\n    pattern: custom\n    custom_patterns:\n{items}"
    )
    start = _cpu()
    run = lint({"manifest.yaml": manifest}, "--no-cache")
    spent = _cpu() - start
    fl613 = [f for f in run.findings if f["rule"] == "FL613"]
    assert len(fl613) == 99 and fl613[0]["line"] == 11  # the first fits the budget
    assert spent < 3.0, spent


@pytest.fixture
def no_re_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Python whose `re` has no importable private parser (nor `sre_parse`)."""
    for name in ("re._parser", "re._constants", "sre_parse", "sre_constants"):
        monkeypatch.setitem(sys.modules, name, None)  # importing it raises ImportError
    for name in ("_parser", "_constants"):
        monkeypatch.delattr(re, name)  # (`re` itself compiles with the modules it holds)
    for cached in (naming_inclusion._parsed, naming_inclusion._starts):
        cached.cache_clear()
    yield
    for cached in (naming_inclusion._parsed, naming_inclusion._starts):
        cached.cache_clear()


def test_without_re_s_private_parser_the_naming_rules_degrade(lint, no_re_parser) -> None:
    governance = (
        "  naming:\n    enforcement: strict\n    pattern: custom\n    custom_patterns:\n"
        "      - '^raw_x'\n"
        "      - '^(agg'\n"
    )
    run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(governance)}, "--no-cache")
    assert run.code == 1
    found = governance_findings(run)
    assert [f[:3] for f in found] == [("FL613", 13, 9), ("FL614", 12, 9), ("FL614", 13, 9)]
    assert found[0][3].endswith(f"(missing ), unterminated subpattern at position 1): {TAIL}")
    assert "Traceback" not in run.stdout + run.stderr
