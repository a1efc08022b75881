"""A check whose findings carry fixes (the summary "N fixable with --fix") imports no `typing`
(2 ms): floe_lint.commands.fixing, floe_lint.fix.runner and floe_lint.fix.edits name it for the
type checker only; nor the fixer (floe_lint.fix.runner) when it fixes nothing. Measured on the edited-domain case of issue 17, where such a run re-checks a
domain's products with the result cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from tests.conftest import REPO
from tests.test_perf_imports import LAUNCH_PROBE

pytestmark = pytest.mark.xdist_group("test_perf_imports")


@pytest.mark.parametrize("cached", [False, True])
def test_a_check_with_fixable_findings_does_not_import_typing(tmp_path: Path, cached: bool) -> None:
    corpus = generate(tmp_path / "repo", products=20, seed=1)
    assert any(v == "unapproved-compute" for v in corpus.violations.values())
    cache = (
        {"FLOE_LINT_CACHE_DIR": str(tmp_path / "cache")} if cached else {"FLOE_LINT_NO_CACHE": "1"}
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_LINT_")}
    domain = corpus.domains[sorted(corpus.domains)[0]]
    original = domain.read_text()
    for edit in range(3 if cached else 1):  # cached: fill, then the domain edited twice
        domain.write_text(f"{original}# edited {edit}\n")
        result = subprocess.run(
            [sys.executable, "-c", LAUNCH_PROBE, "check", "."],
            cwd=corpus.root,
            capture_output=True,
            text=True,
            env={**env, **cache, "PYTHONPATH": str(REPO)},
        )
        assert "fixable with --fix" in result.stderr, result.stderr
        status, loaded = json.loads(result.stdout.splitlines()[-1])
        assert status == 1 and "floe_lint.commands.fixing" in loaded, loaded
        assert cached or "floe_lint.fix.edits" in loaded  # a rule made a fix in this run
        assert "typing" not in loaded
        # the summary asks the policy (floe_lint.fix.policy); nothing is fixed: no fixer
        assert "floe_lint.fix.policy" in loaded and "floe_lint.fix.runner" not in loaded
        assert "encodings.utf_8_sig" not in loaded  # (floe_lint.load.reading.utf8_text)
