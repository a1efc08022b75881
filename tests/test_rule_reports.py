"""A rule's `Reports:` section states what its failing example must report, exactly.

`tests/test_rule_examples.py` checks that a rule fires on its Fails example; this checks the
place and the message too, for every rule whose docstring has a `Reports:` section: one
`file:line:column: message` line per finding of that rule, in output order, nothing else.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from floe_lint.lint.registry import Rule, builtin_rules
from tests.conftest import run_cli
from tests.test_rule_examples import examples

_REPORTS = re.compile(r"^Reports:\n((?:(?:    .*)?\n)+)", re.M)


def reports(rule: Rule) -> list[str] | None:
    match = _REPORTS.search(inspect.cleandoc(rule.doc) + "\n")
    if match is None:
        return None
    return [line[4:] for line in match[1].splitlines() if line.strip()]


REPORTED = [r for r in builtin_rules() if reports(r) is not None]


def test_every_governance_rule_states_what_it_reports() -> None:
    governance = {r.id for r in builtin_rules() if r.id.startswith("FL6")}
    assert governance, "no FL6xx rule"
    assert governance <= {r.id for r in REPORTED}


@pytest.mark.parametrize("rule", REPORTED, ids=[f"{r.id}-{r.name}" for r in REPORTED])
def test_failing_example_reports_exactly_what_the_docstring_says(
    rule: Rule, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (files,) = [files for kind, files in examples(rule) if kind == "Fails"]
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path))
    run = run_cli("check", ".", "--format", "json", "--offline")
    got = [f"{f['file']}:{f['line']}:{f['column']}: {f['message']}" for f in run.named(rule.name)]
    assert got == reports(rule)
