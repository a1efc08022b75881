"""What a whole pre-commit run does, with the real `pre-commit try-repo`: the compile-check hook
(which pre-commit gives no file names) finds the committed artifacts itself, and a commit's
deleted manifest is reported once however many batches pre-commit splits the files into."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_files
from tests.test_precommit_hooks import MANIFEST, _committed_tree, _git, _try_repo

# one xdist worker runs this module: its pre-commit home is built once
pytestmark = pytest.mark.xdist_group("test_precommit_runs")

PRODUCT = "name: {name}\nplatform: {{ref: ../../manifest.yaml}}\ntransforms:\n  - {{type: dbt, path: models/x/}}\n"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _compile(target: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "floe_lint", "compile", *args],
        cwd=target,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_compile_check_hook_without_args_checks_every_committed_product(
    tmp_path: Path, home: Path
) -> None:
    target = tmp_path / "target"
    write_files(
        target,
        {
            "manifest.yaml": MANIFEST,
            "products/orders/floe.yaml": PRODUCT.format(name="orders"),
            "products/returns/floe.yaml": PRODUCT.format(name="returns"),
        },
    )
    _compile(target, "products/orders/floe.yaml", "--out", "products/orders/target/floe")
    _compile(target / "products/returns")  # ./floe.yaml -> ./target/floe, in its folder
    _committed_tree(target, {})  # the artifacts are committed with their products
    clean = _try_repo(target, home, "floe-lint-compile-check", "--all-files")
    assert re.search(r"^floe-lint compile --check\.+Passed$", clean.stdout, re.M), clean.stdout
    assert "floe-lint: products/orders/target/floe is up to date" in clean.stdout
    assert "floe-lint: products/returns/target/floe is up to date" in clean.stdout

    product = target / "products/returns/floe.yaml"
    product.write_text(product.read_text().replace("models/x/", "models/y/"))
    _git(target, "add", "-A")
    stale = _try_repo(target, home, "floe-lint-compile-check")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert re.search(r"^floe-lint compile --check\.+Failed$", stale.stdout, re.M), stale.stdout
    assert (
        "floe-lint: products/returns/target/floe/compiled_artifacts.json is stale; run this and "
        "commit the result: floe-lint compile products/returns/floe.yaml --out "
        "products/returns/target/floe"
    ) in stale.stdout
    assert "floe-lint: products/orders/target/floe is up to date" in stale.stdout


def test_the_compile_check_hook_says_how_to_configure_it_when_nothing_is_committed(
    tmp_path: Path, home: Path
) -> None:
    target = tmp_path / "target"
    _committed_tree(
        target,
        {"manifest.yaml": MANIFEST, "products/orders/floe.yaml": PRODUCT.format(name="orders")},
    )
    run = _try_repo(target, home, "floe-lint-compile-check", "--all-files")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "no such file: floe.yaml" not in run.stdout
    assert (
        "floe-lint: error: no floe.yaml here, and git tracks no compiled_artifacts.json below it "
        "with a floe.yaml above: name the product and its output folder, e.g. 'floe-lint "
        "compile --check products/orders/floe.yaml --out products/orders/target/floe'"
    ) in run.stdout


# About 150 KiB of file names: more than one command line of pre-commit (at most 128 KiB)
FOLDER = "charts/values-of-every-environment-and-region-that-the-platform-team-deploys-to"
NOT_FLOE = {f"{FOLDER}/values-{i:04}.yaml": f"replicas: {i}\n" for i in range(1500)}


def test_a_deleted_manifest_is_reported_once_across_batches(tmp_path: Path, home: Path) -> None:
    from tests.test_dependents import TREE

    target = tmp_path / "target"
    _committed_tree(target, {**TREE, **NOT_FLOE})
    _git(target, "rm", "-q", "platform/sales/manifest.yaml")
    write_files(target, {name: text + "# changed\n" for name, text in NOT_FLOE.items()})
    _git(target, "add", "-A")
    run = _try_repo(target, home, "floe-lint")
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    batches = re.findall(r"^floe-lint: .*files? checked", out, re.M)
    assert len(batches) >= 2, out[-3000:]  # pre-commit did split the files
    deleted = (
        "floe-lint: platform/sales/manifest.yaml is deleted in this commit; checking the files "
        "that named it: products/customers/floe.yaml, products/orders/floe.yaml"
    )
    assert out.count(deleted) == 1, out[-3000:]
    for product in ("customers", "orders"):
        found = f"products/{product}/floe.yaml:2:17: ERROR FL301 [unresolved-ref]"
        assert out.count(found) == 1, out[-3000:]


def test_only_a_later_process_of_the_same_pre_commit_run_leaves_the_removals_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from floe_lint.lint.hook_run import first_of_run

    # outside the repositories (one inside is never read: tests/test_cache_trust.py)
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path.with_name(f"{tmp_path.name}-cache")))
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    # typed in a shell, not under pre-commit: every run reports
    assert first_of_run(tmp_path, "a.yaml") and first_of_run(tmp_path, "a.yaml")
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert first_of_run(tmp_path, "a.yaml")  # the first batch of this run
    assert not first_of_run(tmp_path, "a.yaml")  # a later batch of the same run
    assert first_of_run(tmp_path, "b.yaml")  # other removals: another commit attempt
    assert first_of_run(tmp_path / "other", "b.yaml")  # another repository
