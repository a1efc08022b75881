"""The direct rule loop (floe_lint.lint.stamp.first, Stream.check) ends a rule's findings
where the rule ends them, not at a None it yields.

Found by the red-team pass: a rule-folder rule that yields None before its finding (a helper
that returns None when it has nothing to say) passed a run without the result cache (exit 0,
its error dropped), where the same run through `stamp.checked` (the cache, or DIRECT off)
stops with an internal error (exit 2). Both loops now give the same answer, for the engine's
loop (`check .`, a manifest among the files) and the stream's (`check p0`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_lint.lint import stamp
from tests.conftest import run_cli, write_files

YIELDS_NONE = '''
"""A product's owner is checked by a helper that returns None when there is nothing to say.

Why: shows what a rule that yields None does to the run.
"""

ID, NAME, SEVERITY, SUBJECT = "ACME8", "acme-owner", "error", "product"


def _owner_problem(doc, ctx):
    return None


def check(doc, ctx):
    yield _owner_problem(doc, ctx)
    yield ctx.finding(doc, "/name", "product name is not in the house registry")
'''

ENDS = '''
"""A product's name is looked up in a house registry that is not there.

Why: the same rule without the None: its finding is reported where it points.
"""

ID, NAME, SEVERITY, SUBJECT = "ACME8", "acme-owner", "error", "product"


def check(doc, ctx):
    yield ctx.finding(doc, "/name", "product name is not in the house registry")
'''

INTERNAL = (
    "floe-lint: internal error: AttributeError: 'NoneType' object has no attribute 'replace' "
    "(rerun with --debug)\n"
)


@pytest.mark.parametrize("target", [".", "p0"])
@pytest.mark.parametrize("direct", [True, False])
def test_a_rule_that_yields_none_never_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, direct: bool
) -> None:
    write_files(
        tmp_path,
        {
            "rules/owner.py": YIELDS_NONE,
            ".floe-lint.yaml": "rule-folders: [rules]\n",
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "p0/floe.yaml": "name: p0\nplatform: {ref: ../manifest.yaml}\n"
            "transforms:\n  - {type: dbt, path: models/a/, compute: duckdb}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(stamp, "DIRECT", direct)
    run = run_cli("check", target)
    assert (run.code, run.stdout, run.stderr) == (2, "", INTERNAL)
    (tmp_path / "rules" / "owner.py").write_text(ENDS)
    run = run_cli("check", target)
    assert run.code == 1
    assert run.stdout == (
        "p0/floe.yaml:1:7: ERROR ACME8 [acme-owner] product name is not in the house registry\n"
    )
