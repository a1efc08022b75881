"""The pre-commit hooks, checked by their definition and by the real `pre-commit try-repo`.

try-repo installs this repository (with any uncommitted changes) into a fresh environment,
the way a user's `pre-commit install` would, and runs the hooks in a temporary git repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, write_files

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
BY_ID = {hook["id"]: hook for hook in HOOKS}

MANIFEST = """
plugins:
  compute:
    approved: [duckdb]
    default: duckdb
"""
GOOD = """
name: good
platform: {ref: manifest.yaml}
transforms:
  - {type: dbt, path: models/x/, compute: duckdb}
"""
BAD = """
name: bad
platform: {ref: ../../manifest.yaml}
transforms:
  - {type: dbt, path: models/x/, compute: snowflake}
"""
GIT_ENV = {
    "GIT_AUTHOR_NAME": "floe-lint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "floe-lint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def test_hooks_are_defined_for_check_and_compile_check() -> None:
    assert set(BY_ID) == {"floe-lint", "floe-lint-compile-check"}
    for hook in HOOKS:
        assert hook["language"] == "python"
        assert hook["require_serial"] is True
    assert BY_ID["floe-lint"]["entry"] == "floe-lint check"
    assert BY_ID["floe-lint"]["types"] == ["yaml"]
    assert BY_ID["floe-lint-compile-check"]["entry"] == "floe-lint compile --check"
    assert BY_ID["floe-lint-compile-check"]["pass_filenames"] is False


@pytest.mark.parametrize(
    ("path", "matched"),
    [
        ("floe.yaml", True),
        ("products/orders/floe.yaml", True),
        ("products/orders/floe.prod.yaml", True),
        ("platform/manifest.yml", True),
        ("platform/manifest.staging.yaml", True),
        ("platform/sales-manifest.yaml", True),
        (".github/workflows/ci.yaml", False),
        ("docker-compose.yaml", False),
        ("notfloe.yaml", False),
        ("floe.yaml.bak", False),
    ],
)
def test_files_pattern_matches_products_manifests_and_their_variants(
    path: str, matched: bool
) -> None:
    assert bool(re.search(BY_ID["floe-lint"]["files"], path)) is matched


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def _try_repo(target: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"
    return subprocess.run(
        [pre_commit, "try-repo", str(REPO), *args, "--color", "never", "--verbose"],
        cwd=target,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


def test_try_repo_fails_on_a_broken_product_and_passes_once_fixed(tmp_path: Path) -> None:
    target, home = tmp_path / "target", tmp_path / "pre-commit-home"
    write_files(
        target,
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": GOOD,
            "products/bad/floe.yaml": BAD,
            "notes.yaml": "not: [floe\n",  # outside the files pattern: never linted
        },
    )
    _git(target, "init", "-q")
    compiled = subprocess.run(
        [sys.executable, "-m", "floe_lint", "compile", "floe.yaml"],
        cwd=target,
        capture_output=True,
        text=True,
        check=False,
    )
    assert compiled.returncode == 0, compiled.stderr
    _git(target, "add", "-A")
    _git(target, "commit", "-qm", "init")

    # Only the product files are passed (as on a commit touching them): the parent manifest is
    # loaded through platform.ref all the same.
    broken = _try_repo(target, home, "--files", "products/bad/floe.yaml", "floe.yaml")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    out = broken.stdout
    assert re.search(r"^floe-lint\.+Failed$", out, re.M), out
    assert "products/bad/floe.yaml:4:43: ERROR FL201 [compute-not-approved]" in out
    assert "approved: duckdb" in out
    assert "notes.yaml" not in out
    assert re.search(r"^floe-lint compile --check\.+Passed$", out, re.M), out

    # Fix the broken product; change the compiled one without recompiling.
    (target / "products/bad/floe.yaml").write_text(BAD.replace("snowflake", "duckdb"), "utf-8")
    (target / "floe.yaml").write_text(GOOD.replace("models/x/", "models/y/"), "utf-8")
    _git(target, "add", "-A")
    fixed = _try_repo(target, home, "--all-files")
    out = fixed.stdout
    assert re.search(r"^floe-lint\.+Passed$", out, re.M), out
    assert re.search(r"^floe-lint compile --check\.+Failed$", out, re.M), out
    assert "target/floe/compiled_artifacts.json is stale" in out
    assert fixed.returncode == 1


def test_staging_only_a_manifest_that_breaks_its_dependents_is_refused(tmp_path: Path) -> None:
    """The issue's scenario: the enterprise drops snowflake; only its manifest is staged.

    The hook re-checks the domain and the products below it and names the one that breaks.
    """
    from tests.test_dependents import TREE, WITHOUT_SNOWFLAKE

    target, home = tmp_path / "target", tmp_path / "pre-commit-home"
    write_files(target, TREE)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-qm", "init")
    clean = _try_repo(target, home, "--files", "platform/enterprise/manifest.yaml")
    assert re.search(r"^floe-lint\.+Passed$", clean.stdout, re.M), clean.stdout + clean.stderr

    write_files(target, {"platform/enterprise/manifest.yaml": WITHOUT_SNOWFLAKE})
    _git(target, "add", "platform/enterprise/manifest.yaml")
    staged = _try_repo(target, home)  # no --files: what `git commit` would run on
    out = staged.stdout
    assert staged.returncode == 1, out + staged.stderr
    assert re.search(r"^floe-lint\.+Failed$", out, re.M), out
    assert "products/orders/floe.yaml:5:47: ERROR FL201 [compute-not-approved]" in out
    assert "platform/sales/manifest.yaml:6:24: ERROR FL202 [approved-not-subset]" in out
    assert "platform/sales/manifest.yaml:7:14: ERROR FL203 [default-not-approved]" in out
    assert (
        out.count("note: a dependent of the changed manifest platform/enterprise/manifest.yaml")
        == 3
    )
    assert "products/customers" not in out  # a dependent without findings is not mentioned
    assert "3 errors (4 files checked, 3 of them dependents of the changed manifests)" in out
