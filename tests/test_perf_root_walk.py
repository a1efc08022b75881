"""A check's set-up walks the folders above the paths given once (issue 17's pre-commit budget).

Choosing the config (`floe_lint.load.root.project_config`) and the workspace
(`choose_workspace`) both ask each path's folders, up to `/` outside any repository, whether
they hold `.git` or a config file; within one command each folder is asked once
(`floe_lint.config_files.Remembered`), and nothing is remembered past it.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from floe_lint.cli import main
from floe_lint.config_files import CONFIG_NAMES, Remembered
from floe_lint.load.root import git_root, project_config

PROBED = {".git", *CONFIG_NAMES}


def test_a_check_outside_any_repository_asks_each_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pre-commit case as benchmarks/run.py times it: a product and its two manifests,
    in a tree that is no repository (each file's folders walked up to `/`)."""
    corpus = generate(tmp_path / "repo", products=20, seed=1)
    product = next(p for p in corpus.products if p not in corpus.violations)
    trio = [str(p.relative_to(corpus.root)) for p in (product, *corpus.parents(product))]
    assert git_root(corpus.root) is None  # (else the walks stop at the repository)
    monkeypatch.chdir(corpus.root)
    monkeypatch.setenv("FLOE_LINT_NO_CACHE", "1")
    asked: Counter[str] = Counter()
    stat = os.stat

    def counted(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if os.path.basename(os.fspath(path)) in PROBED:  # type: ignore[call-overload]
            asked[os.fspath(path)] += 1  # type: ignore[call-overload]
        return stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", counted)
    out, err = io.StringIO(), io.StringIO()
    status = main(["check", "--no-dependents", *trio], stdout=out, stderr=err)
    assert status == 0, out.getvalue() + err.getvalue()
    assert "no problems (3 files checked)" in err.getvalue() + out.getvalue()
    root = str(corpus.root)
    assert f"{root}/.git" in asked and f"{root}/.floe-lint.yaml" in asked
    twice = {path: n for path, n in asked.items() if n > 1}
    assert not twice, twice  # (each was asked up to 17 times)


def test_nothing_is_remembered_past_the_command(tmp_path: Path) -> None:
    """Within `Remembered` a folder's answer stays what it was; after it, a `.git` or config
    made meanwhile is found (a language server's later runs see them)."""
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    assert git_root(folder) is None
    with Remembered():
        assert git_root(folder) is None
        assert project_config(folder) is None
        (tmp_path / "a" / ".git").mkdir()
        (tmp_path / "a" / ".floe-lint.yaml").write_text("select: [FL001]\n")
        assert git_root(folder) is None
        assert project_config(folder) is None
    assert git_root(folder) == (tmp_path / "a").resolve()
    assert project_config(folder) == tmp_path / "a" / ".floe-lint.yaml"
