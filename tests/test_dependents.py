"""`check` of a manifest also lints what depends on it: every domain and product below it.

The hierarchies are real files; dependents are found through local paths, `--ref` overrides,
the config's `refs` and floe.lock digests, and their findings name the changed manifest.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from floe_lint.cli import main
from floe_lint.load.root import git_root, workspace_root
from tests.conftest import Run, run_cli, write_files

SNOWFLAKE = "{name: snowflake, config: {account: acme, warehouse: WH, database: DB}}"
ENTERPRISE = f"""
scope: enterprise
metadata: {{name: acme}}
plugins:
  compute:
    approved: [duckdb, spark, {SNOWFLAKE}]
    default: duckdb
"""
SALES = """
scope: domain
metadata: {name: sales}
parent_manifest: ../enterprise/manifest.yaml
plugins:
  compute:
    approved: [duckdb, snowflake]
    default: snowflake
"""
ORDERS = """
name: orders
platform: {ref: ../../platform/sales/manifest.yaml}
transforms:
  - {type: dbt, path: models/staging/, compute: duckdb}
  - {type: dbt, path: models/marts/, compute: snowflake}
"""
CUSTOMERS = """
name: customers
platform: {ref: ../../platform/sales/manifest.yaml}
transforms:
  - {type: dbt, path: models/x/, compute: duckdb}
"""
TREE = {
    "platform/enterprise/manifest.yaml": ENTERPRISE,
    "platform/sales/manifest.yaml": SALES,
    "products/orders/floe.yaml": ORDERS,
    "products/customers/floe.yaml": CUSTOMERS,
}
WITHOUT_SNOWFLAKE = ENTERPRISE.replace(f"[duckdb, spark, {SNOWFLAKE}]", "[duckdb, spark]")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {**TREE, "platform/enterprise/manifest.yaml": WITHOUT_SNOWFLAKE})
    return tmp_path


def _where(run: Run) -> list[tuple[str, int, str]]:
    return [(f["file"], f["line"], f["name"]) for f in run.findings]


def test_a_changed_enterprise_manifest_brings_in_every_domain_and_product_below_it(
    tree: Path,
) -> None:
    run = run_cli("check", "platform/enterprise/manifest.yaml", "--format", "json")
    assert run.code == 1, run.stderr
    assert _where(run) == [
        # one cause, one finding: the default snowflake is not reported again
        ("platform/sales/manifest.yaml", 6, "approved-not-subset"),
        ("products/orders/floe.yaml", 5, "compute-not-approved"),
    ]
    for finding in run.findings:
        cause = finding["related"][-1]
        assert cause["file"] == "platform/enterprise/manifest.yaml"
        assert cause["message"] == (
            "checked because its hierarchy passes through the changed manifest "
            "platform/enterprise/manifest.yaml"
        )
    assert run.report["summary"]["files"] == 4
    assert "4 files checked, 3 of them dependents of the changed manifests" in run.stderr


def test_a_fifo_in_the_workspace_does_not_block_the_scan(tree: Path) -> None:
    import os

    (tree / "products/pipe").mkdir()
    os.mkfifo(tree / "products/pipe/floe.yaml")
    run = run_cli("check", "platform/enterprise/manifest.yaml", "--format", "json")
    assert run.code == 1
    assert "pipe" not in run.stdout


def test_no_dependents_lints_only_the_given_file(tree: Path) -> None:
    run = run_cli("check", "platform/enterprise/manifest.yaml", "--no-dependents")
    assert run.code == 0, run.stdout
    assert "no problems (1 file checked)" in run.stderr


def test_a_product_alone_has_no_dependents_and_its_findings_no_cause(tree: Path) -> None:
    run = run_cli("check", "products/orders/floe.yaml", "--format", "json")
    assert [f["file"] for f in run.findings] == [
        "platform/sales/manifest.yaml",
        "products/orders/floe.yaml",
    ]
    assert all("changed manifest" not in r["message"] for f in run.findings for r in f["related"])
    assert "dependents" not in run.stderr


def test_text_and_github_formats_name_the_changed_manifest(tree: Path) -> None:
    text = run_cli("check", "platform/enterprise/manifest.yaml", "--color", "never")
    lines = text.stdout.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("products/orders/floe.yaml:5")))
    assert lines[at + 1] == (
        "      note: a dependent of the changed manifest platform/enterprise/manifest.yaml"
    )
    github = run_cli("check", "platform/enterprise/manifest.yaml", "--format", "github")
    orders = [line for line in github.stdout.splitlines() if "products/orders" in line]
    assert len(orders) == 1
    assert orders[0].startswith("::error file=products/orders/floe.yaml,line=5,")
    assert orders[0].endswith(
        "(a dependent of the changed manifest platform/enterprise/manifest.yaml)"
    )


def test_sarif_related_locations_name_the_changed_manifest(tree: Path) -> None:
    from tests.test_sarif_report import validate

    run = run_cli("check", "platform/enterprise/manifest.yaml", "--format", "sarif")
    results = validate(json.loads(run.stdout))["runs"][0]["results"]
    assert len(results) == 2
    for result in results:
        cause = result["relatedLocations"][-1]
        uri = cause["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "platform/enterprise/manifest.yaml"
        assert "changed manifest platform/enterprise/manifest.yaml" in cause["message"]["text"]


def test_a_domain_change_reaches_products_through_folder_and_dot_refs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ref naming the folder, and a `../manifest.yaml` ref (upstream's demo layout)."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "platform/enterprise/manifest.yaml": ENTERPRISE,
            "platform/sales/manifest.yaml": SALES.replace("snowflake]", "spark]").replace(
                "default: snowflake", "default: duckdb"
            ),
            "products/orders/floe.yaml": ORDERS.replace(
                "../../platform/sales/manifest.yaml", "../../platform/sales"
            ),
            "platform/sales/demo/floe.yaml": CUSTOMERS.replace(
                "../../platform/sales/manifest.yaml", "../manifest.yaml"
            ).replace("duckdb", "snowflake"),
            # Broken, but not below the changed manifest: never reported.
            "products/other/floe.yaml": ORDERS.replace("sales", "enterprise"),
        },
    )
    run = run_cli("check", "platform/sales/manifest.yaml", "--format", "json")
    assert _where(run) == [
        ("platform/sales/demo/floe.yaml", 4, "compute-not-approved"),
        ("products/orders/floe.yaml", 5, "compute-not-approved"),
    ]
    assert "other" not in run.stdout


REF = "oci://registry.example.com/acme/sales:1.0"
DIGEST = "sha256:" + "ab" * 32


def _oci_tree(root: Path, product_ref: str, extra: dict[str, str] | None = None) -> None:
    write_files(
        root,
        {
            "platform/enterprise/manifest.yaml": WITHOUT_SNOWFLAKE,
            "platform/sales/manifest.yaml": SALES,
            "products/orders/floe.yaml": ORDERS.replace(
                "../../platform/sales/manifest.yaml", product_ref
            ),
            **(extra or {}),
        },
    )


def test_dependents_through_a_ref_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _oci_tree(tmp_path, REF)
    args = ("check", "platform/enterprise/manifest.yaml", "--format", "json")
    run = run_cli(*args, "--ref", f"{REF}=platform/sales/manifest.yaml", "--offline")
    assert ("products/orders/floe.yaml", 5, "compute-not-approved") in _where(run)
    # Without the override the product cannot be tied to the local file: it is not a dependent.
    alone = run_cli(*args, "--offline")
    assert [f["file"] for f in alone.findings] == ["platform/sales/manifest.yaml"]


def test_dependents_through_the_config_refs_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _oci_tree(
        tmp_path,
        REF,
        {".floe-lint.yaml": f"refs:\n  {REF}: platform/sales/manifest.yaml\n"},
    )
    run = run_cli("check", "platform/sales/manifest.yaml", "--format", "json", "--offline")
    assert ("products/orders/floe.yaml", 5, "compute-not-approved") in _where(run)
    orders = next(f for f in run.findings if f["file"] == "products/orders/floe.yaml")
    assert orders["related"][-1]["file"] == "platform/sales/manifest.yaml"


@pytest.mark.parametrize("folder", ["platform/sales", "platform/sales/"])
@pytest.mark.parametrize("where", ["config", "command line"])
def test_dependents_through_a_ref_mapped_to_the_manifests_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str, where: str
) -> None:
    """`refs` / `--ref` may map a ref to a folder, which `check` resolves to its manifest.yaml:
    a change of that manifest re-checks the products on the ref (the pre-commit hook passed
    one it broke, while `check .` refused it)."""
    monkeypatch.chdir(tmp_path)
    config = {".floe-lint.yaml": f"refs:\n  {REF}: {folder}\n"} if where == "config" else {}
    _oci_tree(tmp_path, REF, config)
    options = ["--ref", f"{REF}={folder}"] if where == "command line" else []
    whole = run_cli("check", ".", "--format", "json", "--offline", *options)
    assert ("products/orders/floe.yaml", 5, "compute-not-approved") in _where(whole)
    run = run_cli(
        "check", "platform/sales/manifest.yaml", "--format", "json", "--offline", *options
    )
    assert ("products/orders/floe.yaml", 5, "compute-not-approved") in _where(run)
    orders = next(f for f in run.findings if f["file"] == "products/orders/floe.yaml")
    assert orders["related"][-1]["file"] == "platform/sales/manifest.yaml"


def test_dependents_through_a_lock_file_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The product pins a digest; a floe.lock says the configured tag is that digest."""
    monkeypatch.chdir(tmp_path)
    pinned = f"oci://registry.example.com/acme/sales@{DIGEST}"
    lock = json.dumps({"version": 1, "refs": {REF: {"digest": DIGEST}}})
    _oci_tree(
        tmp_path,
        pinned,
        {
            ".floe-lint.yaml": f"refs:\n  {REF}: platform/sales/manifest.yaml\n",
            "products/legacy/floe.lock": lock,
            "products/legacy/floe.yaml": CUSTOMERS,
        },
    )
    run = run_cli("check", "platform/sales/manifest.yaml", "--format", "json", "--offline")
    orders = [f for f in run.findings if f["file"] == "products/orders/floe.yaml"]
    assert [f["name"] for f in orders] == ["compute-not-approved"], run.findings
    assert orders[0]["related"][-1]["file"] == "platform/sales/manifest.yaml"


def test_a_manifest_referenced_by_500_products(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    duckdb_only = SALES.replace("[duckdb, snowflake]", "[duckdb]").replace(
        "default: snowflake", "default: duckdb"
    )
    files = {
        "platform/enterprise/manifest.yaml": ENTERPRISE,
        "platform/sales/manifest.yaml": duckdb_only,
    }
    for n in range(500):
        compute = "spark" if n % 50 == 7 else "duckdb"  # spark: not approved by sales
        files[f"products/p{n:03}/floe.yaml"] = CUSTOMERS.replace("customers", f"p{n:03}").replace(
            "compute: duckdb", f"compute: {compute}"
        )
    files["unrelated/floe.yaml"] = "name: u\nplatform: {ref: nowhere.yaml}\n"
    write_files(tmp_path, files)
    run = run_cli("check", "platform/sales/manifest.yaml", "--format", "json")
    assert run.code == 1
    assert [f["file"] for f in run.findings] == [
        f"products/p{n:03}/floe.yaml" for n in range(500) if n % 50 == 7
    ]
    # 500 products + the domain + the enterprise it reaches; not the unrelated file
    assert run.report["summary"]["files"] == 502
    assert "500 of them dependents" in run.stderr


def test_dependents_are_followed_level_by_level_and_cycles_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "a/manifest.yaml": "scope: domain\nparent_manifest: ../b/manifest.yaml\n"
            "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "b/manifest.yaml": "scope: domain\nparent_manifest: ../a/manifest.yaml\n"
            "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "p/floe.yaml": "name: p\nplatform: {ref: ../a/manifest.yaml}\n"
            "transforms: [{type: dbt, path: m/, compute: duckdb}]\n",
        },
    )
    run = run_cli("check", "b/manifest.yaml", "--format", "json")
    assert "3 files checked, 2 of them dependents" in run.stderr
    assert {f["name"] for f in run.findings} == {"parent-cycle", "platform-not-checked"}


def test_workspace_limits_where_dependents_are_searched(tree: Path) -> None:
    (tree / "platform/sales").rename(tree / "sales")
    (tree / "platform/sales").mkdir()
    (tree / "sales").rename(tree / "platform/sales/x")
    # the domain moved; point the products at its new place and keep the enterprise reachable
    for name in ("orders", "customers"):
        product = tree / f"products/{name}/floe.yaml"
        product.write_text(product.read_text().replace("sales/manifest", "sales/x/manifest"))
    domain = tree / "platform/sales/x/manifest.yaml"
    domain.write_text(domain.read_text().replace("../enterprise", "../../enterprise"))
    args = ("check", "platform/enterprise/manifest.yaml", "--format", "json")
    everywhere = run_cli(*args)
    assert "products/orders/floe.yaml" in {f["file"] for f in everywhere.findings}
    inside = run_cli(*args, "--workspace", "platform")
    assert {f["file"] for f in inside.findings} == {"platform/sales/x/manifest.yaml"}


def test_workspace_that_is_not_a_folder_is_a_usage_error(tree: Path) -> None:
    run = run_cli("check", "platform", "--workspace", "nowhere")
    assert run.code == 2
    assert run.stderr == "floe-lint: error: --workspace nowhere: not a folder\n"


def test_workspace_root_is_git_then_config_folder_then_cwd(tmp_path: Path) -> None:
    nested = tmp_path / "repo" / "a" / "b"
    nested.mkdir(parents=True)
    config = tmp_path / "repo" / "a" / ".floe-lint.yaml"
    assert workspace_root(None, None, nested) == nested.resolve()
    assert workspace_root(None, config, nested) == config.parent.resolve()
    (tmp_path / "repo" / ".git").mkdir()
    assert git_root(nested) == (tmp_path / "repo").resolve()
    assert workspace_root(None, config, nested) == (tmp_path / "repo").resolve()
    assert workspace_root(tmp_path, config, nested) == tmp_path.resolve()


def test_the_default_workspace_is_the_git_root_above_the_working_directory(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / ".git").mkdir()
    monkeypatch.chdir(tree / "platform")
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "enterprise/manifest.yaml", "--format", "json"], out, err)
    assert code == 1
    files = {f["file"] for f in json.loads(out.getvalue())["findings"]}
    assert files == {"sales/manifest.yaml", "../products/orders/floe.yaml"}


def test_the_scan_parses_only_files_that_can_name_the_changed_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staging a manifest that nothing depends on reads the tree but parses almost nothing."""
    from floe_lint.load.workspace import Workspace

    monkeypatch.chdir(tmp_path)
    files = {"platform/enterprise/manifest.yaml": ENTERPRISE, "platform/sales/manifest.yaml": SALES}
    files["platform/lone/manifest.yaml"] = SALES.replace("sales", "lone")
    for n in range(300):
        files[f"products/p{n:03}/floe.yaml"] = CUSTOMERS.replace("customers", f"p{n:03}")
    write_files(tmp_path, files)
    parsed: list[str] = []
    load = Workspace._load  # what every load of the run goes through

    def counting(self: Workspace, path: Path, key: Path):  # type: ignore[no-untyped-def]
        if key not in self._files:
            parsed.append(path.resolve().relative_to(tmp_path.resolve()).as_posix())
        return load(self, path, key)

    monkeypatch.setattr(Workspace, "_load", counting)
    run = run_cli("check", "platform/lone/manifest.yaml", "--format", "json")
    assert run.code == 0, run.stdout
    assert sorted(parsed) == ["platform/enterprise/manifest.yaml", "platform/lone/manifest.yaml"]
    assert run.report["summary"]["files"] == 2


def test_an_upstream_product_without_a_platform_ref_depends_on_the_manifest_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Upstream Floe's code dialect: no `platform.manifest`, so the sibling manifest.yaml."""
    from tests.test_explain import UPSTREAM

    monkeypatch.chdir(tmp_path)
    sibling = """
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: payments, version: 1.0.0, owner: billing@nw.example}
    transforms:
      - name: stg_payments
        compute: duckdb
    """
    write_files(tmp_path, {**UPSTREAM, "sales/floe.yaml": sibling})
    run = run_cli("check", "sales/manifest.yaml", "--format", "json")
    assert "4 files checked, 2 of them dependents" in run.stderr, run.stderr
    payments = [f for f in run.findings if f["file"] == "sales/floe.yaml"]
    assert payments, run.findings
    assert all(f["related"][-1]["file"] == "sales/manifest.yaml" for f in payments)


def _counting_loads(monkeypatch: pytest.MonkeyPatch, root: Path) -> list[str]:
    """The files the run parses (relative to `root`), in order."""
    from floe_lint.load.workspace import Workspace

    parsed: list[str] = []
    load = Workspace._load  # what every load of the run goes through

    def counting(self: Workspace, path: Path, key: Path):  # type: ignore[no-untyped-def]
        if key not in self._files:
            parsed.append(path.resolve().relative_to(root.resolve()).as_posix())
        return load(self, path, key)

    monkeypatch.setattr(Workspace, "_load", counting)
    return parsed


@pytest.mark.parametrize("given", ["a/platform/enterprise/manifest.yaml", "a"])
def test_a_sibling_tree_of_the_same_shape_is_read_but_never_parsed(
    given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its refs hold the same text (`../enterprise/manifest.yaml`) but resolve into itself."""
    monkeypatch.chdir(tmp_path)
    tree = {**TREE, "platform/enterprise/manifest.yaml": WITHOUT_SNOWFLAKE}
    write_files(tmp_path, {f"a/{path}": text for path, text in tree.items()})
    alone = run_cli("check", given, "--format", "json")
    write_files(tmp_path, {f"b/{path}": text for path, text in tree.items()})
    parsed = _counting_loads(monkeypatch, tmp_path)
    run = run_cli("check", given, "--format", "json")
    assert (run.code, run.stdout, run.stderr) == (alone.code, alone.stdout, alone.stderr)
    assert [p for p in parsed if not p.startswith("a/")] == []
    assert ("a/products/orders/floe.yaml", 5, "compute-not-approved") in _where(run)


@pytest.mark.parametrize(
    "ref",
    [
        'platform: {ref: "../../platform/my sales/manifest.yaml"}',
        "platform:\n  ref: '../../platform/my sales'  # the domain",
        'platform: {"ref": "../../platform/my sales/manifest.yaml"}',
        "platform:\n  ref: ../../platform/./my sales/../my sales/",
    ],
)
def test_ref_text_is_matched_in_every_form_yaml_writes_it(
    ref: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    product = ORDERS.replace("platform: {ref: ../../platform/sales/manifest.yaml}", ref)
    write_files(
        tmp_path,
        {
            "platform/enterprise/manifest.yaml": WITHOUT_SNOWFLAKE,
            "platform/my sales/manifest.yaml": SALES,
            "products/orders/floe.yaml": product,
            "products/other/floe.yaml": ORDERS.replace("sales", "my sales/../sales"),
        },
    )
    parsed = _counting_loads(monkeypatch, tmp_path)
    run = run_cli("check", "platform/my sales/manifest.yaml", "--format", "json")
    assert "3 files checked, 1 of them dependent " in run.stderr, run.stderr
    assert "products/other/floe.yaml" not in parsed
    lines = product.lstrip("\n").splitlines()
    line = lines.index("  - {type: dbt, path: models/marts/, compute: snowflake}") + 1
    assert ("products/orders/floe.yaml", line, "compute-not-approved") in _where(run)
