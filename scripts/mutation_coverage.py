"""scripts/mutation.py --coverage: run, for each mutant, only the tests that execute its line.

One traced pass of the relevant test files (scripts/mutation_trace.py, a pytest plugin)
records which lines of the scratch package each test runs. A mutant is then tested with the
tests of its usual test files that execute one of its lines, fastest first, so a kill costs
a few seconds instead of the whole set. Where no test of those files runs the line (code
run at import time, or only in a child process), the usual files run as without --coverage.
A test that runs floe-lint in a child process is not traced, so a survivor of a covered run
is tested again with the usual files before it counts as a survivor.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path


class CoverageMap:
    def __init__(self, tests: dict[str, dict[str, object]]):
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
        `-k EXPR` for a rule's own examples) that run a line from first to last."""
        names, rule = _files_and_rule(files)
        found: set[str] = set()
        for line in range(first, last + 1):
            found |= self.by_line.get((path, line), set())
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
        return sorted(chosen, key=lambda n: (self.seconds.get(n, 0.0), n))


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
    command += ["-p", "no:randomly", "-p", "mutation_trace", *files]
    subprocess.run(command, cwd=root, env=env, capture_output=True, timeout=timeout, check=False)
    data = json.loads(out.read_text("utf-8"))
    return CoverageMap(data["tests"])
