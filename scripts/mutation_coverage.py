"""scripts/mutation.py --coverage: run, for each mutant, only the tests that execute its line.

One traced pass of the relevant test files (scripts/mutation_trace.py, a pytest plugin)
records which lines of the scratch package each test runs. A mutant is then tested with the
tests of its usual test files that execute one of its lines, fastest first, so a kill costs
a few seconds instead of the whole set. Where no test of those files runs the line (code
run at import time, or only in a child process), the usual files run as without --coverage.
A test that runs floe-lint in a child process is not traced, so the survivors of a covered run
are tested again with their usual files (`--rerun` without `--coverage`) before they count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path


class CoverageMap:
    def __init__(
        self,
        tests: dict[str, dict[str, object]],
        moved: dict[str, tuple[str, str]] | None = None,
        measured: set[str] | None = None,
    ):
        #: the test files traced and unchanged since (any other runs whole)
        self.measured = measured if measured is not None else {n.split("::")[0] for n in tests}
        #: modules changed since they were measured: each line now -> its line then (or None)
        self.old_line = {path: _line_map(*texts) for path, texts in (moved or {}).items()}
        self.seconds: dict[str, float] = {}
        self.by_line: dict[tuple[str, int], set[str]] = defaultdict(set)
        for nodeid, facts in tests.items():
            self.seconds[nodeid] = float(facts["seconds"])  # type: ignore[arg-type]
            lines: dict[str, list[int]] = facts["lines"]  # type: ignore[assignment]
            for path, numbers in lines.items():
                for number in numbers:
                    self.by_line[(path, number)].add(nodeid)

    def covering(self, path: str, first: int, last: int, files: list[str]) -> list[str]:
        """The node ids of the tests in `files` (file names, then pytest options such as
        `-k EXPR` for a rule's own examples) that run a line from first to last, fastest
        first, then the files of `files` written since the map was measured."""
        names, rule = _files_and_rule(files)
        found: set[str] = set()
        for line in range(first, last + 1):
            old = self.old_line[path].get(line) if path in self.old_line else line
            if old is None:
                return []  # a line changed since: the usual files decide
            found |= self.by_line.get((path, old), set())
        chosen = [
            n
            for n in found
            if n.split("::")[0] in names
            and not (
                rule
                and n.startswith("tests/test_rule_examples.py::test_docstring_example")
                and f"[{rule}-" not in n
            )
        ]
        chosen = sorted(chosen, key=lambda n: (self.seconds.get(n, 0.0), n))
        return chosen + sorted(names - self.measured) if chosen else chosen


def _line_map(then: str, now: str) -> dict[int, int]:
    """Each line of `now` that is unchanged from `then` -> its line number in `then`."""
    import difflib

    matcher = difflib.SequenceMatcher(None, then.splitlines(), now.splitlines(), autojunk=False)
    found = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            found[block.b + offset + 1] = block.a + offset + 1
    return found


def _files_and_rule(files: list[str]) -> tuple[set[str], str]:
    names = {f for f in files if f.startswith("tests/")}
    rule = ""
    if "-k" in files:  # "FL201 or not test_docstring_example"
        rule = files[files.index("-k") + 1].split()[0]
    return names, rule


def measure(root: Path, files: list[str], out: Path, timeout: float) -> CoverageMap:
    """Run `files` once in the scratch copy `root`, traced; the map of who runs what."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), str(root / "scripts")]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "FLOE_LINT_OFFLINE": "1",
        "MUTATION_TRACE_ROOT": str(root) + os.sep,
        "MUTATION_TRACE_OUT": str(out),
    }
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "no:randomly", "-p", "mutation_settings", "-p", "mutation_trace", *files]
    subprocess.run(command, cwd=root, env=env, capture_output=True, timeout=timeout, check=False)
    data = json.loads(out.read_text("utf-8"))
    return CoverageMap(data["tests"])
