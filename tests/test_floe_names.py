"""Which files a walk takes for manifests and products: a document's kind comes from `kind:`,
else its keys, else its file name only when that name is a Floe name (`floe.yaml`,
`manifest.yaml`, `sales-manifest.yaml`, their environment variants). A CI workflow called
`floe-lint.yaml` or a chart's `floe-values.yaml` is someone else's file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.load.kinds import classify, kind_by_name
from tests.conftest import run_cli, write_files

WORKFLOW = """
name: floe-lint
on: [push]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps: [{uses: actions/checkout@v4}]
"""
TREE = {
    "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
    "products/orders/floe.yaml": (
        "name: orders\nplatform: {ref: ../../platform/manifest.yaml}\n"
        "transforms: [{type: dbt, path: models/x/}]\n"
    ),
    ".github/workflows/floe-lint.yaml": WORKFLOW,
    "ci/floe-lint.yaml": WORKFLOW,
    "ci/floe-ci.yml": WORKFLOW,
    "floe-lint.yaml": "select: [ALL]\nignore: [unpinned-ref]\n",
    ".floe-lint.yaml": "select: [ALL]\n",
    "charts/floe-values.yaml": "image: {tag: '1.0'}\nreplicas: 2\n",
    "deploy/manifests.yaml": "image: web\n",
}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, TREE)
    return tmp_path


def test_a_walk_does_not_lint_yaml_named_floe_something_as_a_product(tree: Path) -> None:
    run = run_cli("check", ".", "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    assert run.findings == []
    assert run.report["summary"]["files"] == 2  # the manifest and the product


def test_the_hook_skips_them_too(tree: Path) -> None:
    names = [name for name in TREE if not name.startswith("platform/")]
    run = run_cli("check", "--hook", *names, "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    assert run.findings == []


def test_a_file_with_a_floe_name_but_a_product_shape_is_a_product(tree: Path) -> None:
    """`floe-orders.yaml` is a product by its keys: it is linted, at the right place."""
    write_files(
        tree,
        {
            "products/floe-orders.yaml": (
                "name: orders\nplatform: {ref: ../platform/manifest.yaml}\n"
                "transforms: [{type: dbt, path: models/x/, compute: spark}]\n"
            )
        },
    )
    run = run_cli("check", ".", "--format", "concise")
    assert run.code == 1
    assert run.stdout.startswith(
        "products/floe-orders.yaml:3:52: ERROR FL201 [compute-not-approved] transform "
        "'models/x/' selects compute 'spark', which platform manifest manifest.yaml does not approve"
    ), run.stdout


def test_named_explicitly_such_a_file_is_a_finding_naming_it(tree: Path) -> None:
    run = run_cli("check", "ci/floe-lint.yaml", "--format", "concise")
    assert run.code == 1
    assert run.stdout == (
        "ci/floe-lint.yaml:1:1: ERROR FL003 [no-floe-document] floe-lint.yaml holds a mapping "
        "with no manifest or product keys (add kind: Manifest or FloeSpec): expected a "
        "manifest (plugins:, scope:) or a product (name:, platform:, transforms:)\n"
    )


def test_a_floe_name_still_decides_a_document_whose_keys_do_not() -> None:
    assert classify({"name": "x"}, Path("floe.prod.yaml")) == "floe"
    assert classify({"name": "x"}, Path("floe.yml")) == "floe"
    assert classify({"name": "x"}, Path("sales.manifest.yaml")) == "manifest"
    assert classify({"name": "x"}, Path("sales-manifest.dev.yaml")) == "manifest"
    assert classify({"name": "x"}, Path("v1.0_manifest.json")) == "manifest"
    for other in ("floe-lint.yaml", "floe_values.yaml", "floe-ci.yml", "manifests.yaml"):
        assert classify({"name": "x"}, Path(other)) is None, other
    assert classify({"name": "x"}, Path("floe.yaml.bak")) is None


@given(st.text(alphabet="abcfloemanifst-_.yamlFLOEMANIYAML", max_size=30))
def test_kind_by_name_agrees_with_the_compile_check_hooks_files_pattern(name: str) -> None:
    """One list of Floe names: what the hook's `files:` pattern watches (its YAML part), in
    any case as written (the pattern was case-sensitive: floe.YAML did not trigger the hook)."""
    import re

    import yaml

    from tests.conftest import REPO

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    [pattern] = [h["files"] for h in hooks if h["id"] == "floe-lint-compile-check"]
    if (
        "/" in name
        or not name.lower().endswith((".yaml", ".yml"))
        or name.lower() == "profiles.yml"
    ):
        return
    watched = re.search(pattern, name) is not None
    assert (kind_by_name(name) is not None) == watched, name


def test_the_compile_check_hook_watches_floe_names_in_any_case() -> None:
    import re

    import yaml

    from tests.conftest import REPO

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    [pattern] = [h["files"] for h in hooks if h["id"] == "floe-lint-compile-check"]
    for name in ("p/floe.YAML", "p/Floe.Prod.yml", "MANIFEST.yaml", "t/Compiled_Artifacts.JSON"):
        assert re.search(pattern, name), name
