"""Every rule's docstring examples are executable specifications.

A `Fails:` example states what it must give, before its first `# file:` line, one
`# expect: FILE:LINE:COL message-substring` line per finding of the rule: the rule's findings
must be exactly these, at these places, with these words. A `Passes:` example must give none.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from floe_lint.lint.registry import Rule, builtin_rules
from tests.conftest import run_cli

_SECTION = re.compile(r"^(Fails|Passes):\n((?:(?:    .*)?\n)+)", re.M)
_FILE = re.compile(r"^# file: (\S+)\s*$", re.M)
_EXPECT = re.compile(r"^# expect: (\S+?):(\d+):(\d+) (.+?)\s*$", re.M)

#: (file, line, column, words of the message)
Expected = tuple[str, int, int, str]


def examples(rule: Rule) -> list[tuple[str, dict[str, str], list[Expected]]]:
    doc = inspect.cleandoc(rule.doc) + "\n"
    found = []
    for kind, block in _SECTION.findall(doc):
        body = "\n".join(line[4:] for line in block.splitlines()) + "\n"
        parts = _FILE.split(body)
        files = {parts[i]: parts[i + 1].strip("\n") + "\n" for i in range(1, len(parts), 2)}
        expected = [(f, int(line), int(col), w) for f, line, col, w in _EXPECT.findall(parts[0])]
        found.append((kind, files, expected))
    return found


CASES = [
    pytest.param(rule, kind, files, expected, id=f"{rule.id}-{rule.name}-{kind}-{n}")
    for rule in builtin_rules()
    for n, (kind, files, expected) in enumerate(examples(rule))
]


def test_every_rule_documents_a_failing_and_a_passing_example() -> None:
    for rule in builtin_rules():
        kinds = {kind for kind, _, _ in examples(rule)}
        assert kinds == {"Fails", "Passes"}, f"{rule.id} {rule.name} lacks examples: {kinds}"
        assert "Why:" in rule.doc, f"{rule.id} has no rationale"


def test_every_failing_example_states_where_and_what_it_gives() -> None:
    for rule in builtin_rules():
        for kind, _, expected in examples(rule):
            assert kind == "Passes" or expected, f"{rule.id}: a Fails example lacks '# expect:'"
            assert kind == "Fails" or not expected, f"{rule.id}: a Passes example expects"


@pytest.mark.parametrize(("rule", "kind", "files", "expected"), CASES)
def test_docstring_example(
    rule: Rule,
    kind: str,
    files: dict[str, str],
    expected: list[Expected],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert files, "an example must name its files with '# file: NAME'"
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # examples are self-contained: an oci:// ref resolves from files the example names
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path))
    run = run_cli("check", ".", "--format", "json", "--offline")
    assert run.code in (0, 1), run.stderr
    fired = run.named(rule.name)
    if kind == "Fails":
        assert fired, f"{rule.id} did not fire on its failing example; got {run.findings}"
        got = sorted((f["file"], f["line"], f["column"], f["message"]) for f in fired)
        assert [place[:3] for place in got] == sorted(e[:3] for e in expected), got
        for (*_, message), (*_, words) in zip(got, sorted(expected), strict=True):
            assert words in message, (words, message)
    else:
        assert not fired, f"{rule.id} fired on its passing example: {fired}"
