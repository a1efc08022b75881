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

# one xdist worker runs this module: its pre-commit home (hook_home) is built once
pytestmark = pytest.mark.xdist_group("test_precommit_hooks")

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
    assert BY_ID["floe-lint"]["entry"] == "floe-lint check --hook"
    assert BY_ID["floe-lint"]["types_or"] == ["yaml", "json"]
    assert BY_ID["floe-lint"]["always_run"] is True  # a commit of deletions only runs it too
    assert "files" not in BY_ID["floe-lint"]  # every file `check` would lint reaches it
    assert BY_ID["floe-lint-compile-check"]["entry"] == "floe-lint compile --check"
    assert BY_ID["floe-lint-compile-check"]["pass_filenames"] is False


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
    assert "it is also its default" in out  # one finding for the default it lost, not two
    assert (
        out.count("note: a dependent of the changed manifest platform/enterprise/manifest.yaml")
        == 2
    )
    assert "products/customers" not in out  # a dependent without findings is not mentioned
    assert "2 errors (4 files checked, 3 of them dependents of the changed manifests)" in out


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit home for the hook tests below: the hook's environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _committed_tree(target: Path, files: dict[str, str]) -> None:
    write_files(target, files)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-qm", "init")


def _refused(run: subprocess.CompletedProcess[str]) -> str:
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert re.search(r"^floe-lint\.+Failed$", out, re.M), out
    return out


def test_deleting_a_domain_manifest_is_refused_naming_its_former_dependents(
    tmp_path: Path, hook_home: Path
) -> None:
    """pre-commit hands the hook no file at all for this commit: the hook asks git."""
    from tests.test_dependents import TREE

    target = tmp_path / "target"
    _committed_tree(target, TREE)
    _git(target, "rm", "-q", "platform/sales/manifest.yaml")
    out = _refused(_try_repo(target, hook_home, "floe-lint"))
    assert (
        "floe-lint: platform/sales/manifest.yaml is deleted in this commit; checking the files "
        "that named it: products/customers/floe.yaml, products/orders/floe.yaml"
    ) in out
    assert "products/customers/floe.yaml:2:17: ERROR FL301 [unresolved-ref]" in out
    assert "products/orders/floe.yaml:2:17: ERROR FL301 [unresolved-ref]" in out


def test_renaming_a_domain_manifest_is_refused_naming_its_former_dependents(
    tmp_path: Path, hook_home: Path
) -> None:
    from tests.test_dependents import TREE

    target = tmp_path / "target"
    _committed_tree(target, TREE)
    _git(target, "mv", "platform/sales/manifest.yaml", "platform/sales/sales.manifest.yaml")
    out = _refused(_try_repo(target, hook_home, "floe-lint"))
    assert (
        "floe-lint: platform/sales/manifest.yaml is renamed to "
        "platform/sales/sales.manifest.yaml in this commit; checking the files that named it: "
        "products/customers/floe.yaml, products/orders/floe.yaml"
    ) in out
    assert "products/orders/floe.yaml:2:17: ERROR FL301 [unresolved-ref]" in out
    # the staged change to what still refers to it is the fix: the commit then passes
    for name in ("orders", "customers"):
        product = target / f"products/{name}/floe.yaml"
        product.write_text(product.read_text().replace("/manifest.yaml", "/sales.manifest.yaml"))
    _git(target, "add", "-A")
    fixed = _try_repo(target, hook_home, "floe-lint")
    assert re.search(r"^floe-lint\.+Passed$", fixed.stdout, re.M), fixed.stdout


def test_a_json_manifest_and_a_manifest_of_any_name_reach_the_hook(
    tmp_path: Path, hook_home: Path
) -> None:
    target = tmp_path / "target"
    enterprise = (
        '{"apiVersion": "floe.dev/v1", "kind": "Manifest",\n'
        ' "metadata": {"name": "acme", "version": "1.0.0", "owner": "p@acme.example"},\n'
        ' "scope": "enterprise",\n'
        ' "approved_plugins": {"compute": ["duckdb", "spark"]},\n'
        ' "plugins": {"compute": {"type": "duckdb"}, "orchestrator": {"type": "dagster"}}}\n'
    )
    domain = (
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: sales, version: 1.0.0, owner: s@acme.example}\n"
        "scope: domain\nparent_manifest: ../enterprise.json\n"
        "plugins: {compute: {type: spark}, orchestrator: {type: dagster}}\n"
    )
    _committed_tree(
        target, {"platform/enterprise.json": enterprise, "platform/sales/domain.yaml": domain}
    )
    clean = _try_repo(target, hook_home, "floe-lint", "--all-files")
    assert re.search(r"^floe-lint\.+Passed$", clean.stdout, re.M), clean.stdout + clean.stderr
    # the JSON enterprise drops spark: the domain below it (not staged) breaks
    write_files(target, {"platform/enterprise.json": enterprise.replace(', "spark"', "")})
    _git(target, "add", "-A")
    out = _refused(_try_repo(target, hook_home, "floe-lint"))
    assert "platform/sales/domain.yaml:6:27: ERROR FL202 [approved-not-subset]" in out
    # a domain manifest whose name matched no pattern of the old hook is linted when staged
    write_files(target, {"platform/enterprise.json": enterprise})
    write_files(
        target, {"platform/sales/domain.yaml": domain.replace("type: spark", "type: snowflake")}
    )
    _git(target, "add", "-A")
    out = _refused(_try_repo(target, hook_home, "floe-lint"))
    assert "platform/sales/domain.yaml:6:27: ERROR FL202 [approved-not-subset]" in out


def test_files_that_are_not_floes_never_fail_the_hook(tmp_path: Path, hook_home: Path) -> None:
    target = tmp_path / "target"
    _committed_tree(
        target,
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": GOOD,
            "package.json": '{"name": "web", "version": "1.0.0", "dependencies": {}}\n',
            "tsconfig.json": "{\n  // comments: not JSON\n}\n",
            ".github/workflows/ci.yaml": "on: [push]\njobs: {}\n",
            "charts/values.yaml": "platform: {replicas: 2}\n",
            "deploy/manifest.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
            "broken.yaml": "not: [yaml\n",
        },
    )
    run = _try_repo(target, hook_home, "floe-lint", "--all-files")
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"^floe-lint\.+Passed$", run.stdout, re.M), run.stdout
    for name in (
        "package.json",
        "tsconfig.json",
        "ci.yaml",
        "values.yaml",
        "broken.yaml",
        "deploy",
    ):
        assert name not in run.stdout


def test_the_compile_check_hook_runs_for_a_product_named_in_another_case(
    tmp_path: Path, hook_home: Path
) -> None:
    """Real pre-commit hands floe.YAML to the compile check (its `files:` pattern was
    case-sensitive, so the staleness check was skipped while floe-lint reads the product)."""
    target = tmp_path / "target"
    _committed_tree(target, {"manifest.yaml": MANIFEST, "floe.YAML": GOOD})
    run = _try_repo(target, hook_home, "floe-lint-compile-check", "--files", "floe.YAML")
    out = run.stdout + run.stderr
    assert not re.search(r"^floe-lint compile --check\.+\(no files to check\)Skipped$", out, re.M)
    assert re.search(r"^floe-lint compile --check\.+(Passed|Failed)$", out, re.M), out
