"""A file edited while a run checks it: the result cache must not store the findings of the text
the run parsed under the hash of the text it finds on disk later, or the next run replays them
for content they were never computed from (an error a cold run reports would be hidden)."""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_lint.lint import cache
from tests.conftest import check, write_files
from tests.test_cache import tree

#: a rule-folder rule that, the first time it checks product p0, saves a new version of its
#: floe.yaml (as an editor would while the run goes on): a compute sales does not approve
EDITOR_RULE = '''
"""Saves a new version of products/p0/floe.yaml while the run checks it.

Why: a test of the result cache.
"""
from pathlib import Path

ID, NAME, SEVERITY, SUBJECT = "EDIT1", "edits-while-checked", "warning", "product"


def check(product, ctx):
    path = Path(product.doc.path)
    if path.parent.name == "p0":
        text = path.read_text("utf-8")
        if "snowflake" not in text:
            text = text.replace("models/b/, compute: spark", "models/b/, compute: snowflake")
            path.write_text(text, "utf-8")
    return iter(())
'''


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_saved_during_a_run_is_not_replayed_with_the_findings_of_its_old_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    workspace = tmp_path / "ws"
    workspace.mkdir()
    monkeypatch.chdir(workspace)
    write_files(workspace, tree())
    write_files(workspace, {"ci/rules/editor.py": EDITOR_RULE})
    (workspace / ".floe-lint.yaml").write_text("rule-folders: [ci/rules]\n", "utf-8")
    first = check("--jobs", jobs, ".")
    assert first[0] == 0, first  # what it parsed (spark) passes
    assert "snowflake" in (workspace / "products/p0/floe.yaml").read_text("utf-8")
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    cold = check("--jobs", jobs, ".")
    monkeypatch.delenv(cache.DISABLE_ENV)
    warm = check("--jobs", jobs, ".")
    assert cold[0] == 1
    assert cold[1].splitlines()[0] == (
        "products/p0/floe.yaml:5:43: ERROR FL201 [compute-not-approved] transform 'models/b/' "
        "selects compute 'snowflake', which domain 'sales' does not approve (enterprise 'acme' "
        "approves it, but domain 'sales' removed it); approved: duckdb, spark"
    )
    assert warm == cold
