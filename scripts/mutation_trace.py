"""A pytest plugin for scripts/mutation.py --coverage: which test runs which lines.

Loaded with `-p mutation_trace` in the scratch copy, it measures with coverage.py (`pip
install coverage`), one dynamic context per test, the lines of the package under
MUTATION_TRACE_ROOT that each test executes (in this process and its threads; a child
process is not measured) and how long it took, and writes, for the tests that passed,
{"tests": {nodeid: {"seconds": s, "lines": {path: [line, ...]}}}} to MUTATION_TRACE_OUT.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import coverage
import pytest

_ROOT = os.environ.get("MUTATION_TRACE_ROOT", "")
_OUT = os.environ.get("MUTATION_TRACE_OUT", "")
_SECONDS: dict[str, float] = {}
_FAILED: set[str] = set()
_COVERAGE: Any = None


def pytest_configure(config: pytest.Config) -> None:
    global _COVERAGE
    _COVERAGE = coverage.Coverage(
        data_file=None, include=[f"{_ROOT}floe_lint/*"], config_file=False
    )
    _COVERAGE.start()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: object) -> Generator[None, None, None]:
    _COVERAGE.switch_context(item.nodeid)
    started = time.perf_counter()
    yield
    _SECONDS[item.nodeid] = round(time.perf_counter() - started, 3)
    _COVERAGE.switch_context("")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed:
        _FAILED.add(report.nodeid)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Only tests that passed: one that fails unmutated would "kill" every mutant."""
    _COVERAGE.stop()
    if not _OUT:
        return
    data = _COVERAGE.get_data()
    tests: dict[str, dict[str, Any]] = {
        n: {"seconds": s, "lines": {}} for n, s in _SECONDS.items() if n not in _FAILED
    }
    for filename in data.measured_files():
        path = Path(filename).relative_to(_ROOT).as_posix()
        for line, contexts in data.contexts_by_lineno(filename).items():
            for nodeid in contexts:
                if nodeid in tests:
                    tests[nodeid]["lines"].setdefault(path, []).append(line)
    Path(_OUT).write_text(json.dumps({"tests": tests}), "utf-8")
