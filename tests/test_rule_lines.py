"""Rule lines that a mutation run (scripts/mutation.py, issue 20) found unguarded: each test
fails when the line it names is flipped, dropped or forced, and asserts place and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

UPSTREAM_MANIFEST = (
    "apiVersion: floe.dev/v1\nkind: Manifest\n"
    "metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}\n"
    "plugins: {compute: {type: %s, config: {path: %s}}, orchestrator: {type: dagster}}\n"
)


def lint(tmp_path: Path, files: dict[str, str], *args: str) -> list[str]:
    write_files(tmp_path, files)
    return run_cli("check", "--no-cache", *args).stdout.splitlines()


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("compute", "path", "problem"),
    [
        ("duckdb", "':memory:'", None),  # an in-memory database names no file, on purpose
        ("duckdb", "/data/acme.duckdb", None),
        ("duckdb", "'/./'", "it names no file"),
        ("duckdb", "'-_:'", "it names no file"),
        ("duckdb", "../acme.duckdb", "it must not contain '..' (path traversal)"),
        ("snowflake", "../acme.duckdb", None),  # not a DuckDB path: not this rule's
    ],
)
def test_upstream_duckdb_path_judges_only_a_duckdb_path(
    compute: str, path: str, problem: str | None, tmp_path: Path
) -> None:
    found = lint(
        tmp_path, {"manifest.yaml": UPSTREAM_MANIFEST % (compute, path)}, "--select", "FL707"
    )
    column = 1 + len(f"plugins: {{compute: {{type: {compute}, config: {{path: ")
    assert found == (
        [
            f"manifest.yaml:4:{column}: ERROR FL707 [upstream-duckdb-path] floe-compute-duckdb "
            f"refuses this database path: {problem}; every product on platform 'acme-platform' "
            "fails to compile"
        ]
        if problem
        else []
    )


def test_an_unused_file_suppression_says_this_file(tmp_path: Path) -> None:
    manifest = (
        "# floe-lint: disable-file=FL201 -- legacy\n"
        "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
    )
    assert lint(tmp_path, {"manifest.yaml": manifest}) == [
        "manifest.yaml:1:27: WARNING FL901 [unused-suppression] suppression of 'FL201' is "
        "unused: no such finding on this file; remove it"
    ]


UPSTREAM_PRODUCT = (
    "apiVersion: floe.dev/v1\nkind: FloeSpec\nmetadata: {name: customers, version: 1.0.0}\n"
    "transforms: [{name: dim_customers}]\n"
)


def test_only_an_output_port_holding_schema_is_refused(tmp_path: Path) -> None:
    product = UPSTREAM_PRODUCT + (
        "outputPorts:\n  - name: plain\n  - name: customers\n"
        "    schema: [{name: customer_id, type: string}]\n"
    )
    manifest = UPSTREAM_MANIFEST.replace(", config: {path: %s}", "") % "duckdb"
    found = lint(tmp_path, {"floe.yaml": product, "manifest.yaml": manifest}, "--select", "FL701")
    assert found == [
        "floe.yaml:8:5: WARNING FL701 [upstream-refuses] floe-core 0.1.0a1 refuses this file: "
        "its FloeSpec rejects the key 'schema' anywhere in a product as an environment-specific "
        "setting (FR-014), although an output port requires it; `floe platform compile` fails "
        "here"
    ]


def test_a_product_below_a_parent_that_cannot_be_loaded_is_not_judged_on_approved_products(
    tmp_path: Path,
) -> None:
    """The domain's list may be fine and its parent's missing: platform-not-checked reports
    the product as not checked, product-not-approved says nothing."""
    domain = (
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}\n"
        "scope: domain\nparent_manifest: enterprise.yaml\n"
        "plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}\n"
        "approved_products: [invoices]\n"
    )
    product = (
        "apiVersion: floe.dev/v1\nkind: FloeSpec\nmetadata: {name: orders, version: 1.0.0}\n"
        "platform: {manifest: manifest.yaml}\ntransforms: [{name: stg_orders}]\n"
    )
    found = lint(tmp_path, {"manifest.yaml": domain, "floe.yaml": product})
    assert not any("FL308" in line for line in found), found
    (tmp_path / "enterprise.yaml").write_text(
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\n"
        "scope: enterprise\nplugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}\n",
        "utf-8",
    )
    assert run_cli("check", "--no-cache", "--select", "FL308").stdout.splitlines() == [
        "floe.yaml:3:18: ERROR FL308 [product-not-approved] product 'orders' is not in the "
        "approved_products of domain 'sales' (invoices); ask its owners to add it, or point "
        "platform.manifest at the domain that hosts it"
    ]


ENTERPRISE = "scope: enterprise\nplugins: {compute: {approved: [duckdb], default: duckdb}}\n"
DOMAIN = "scope: domain\nparent_manifest: enterprise.yaml\nplugins:\n  compute:\n    approved: %s\n"


def test_approved_not_subset_offers_no_fix_that_would_empty_the_list(tmp_path: Path) -> None:
    """FL202's unsafe fix removes an unapproved compute, unless nothing would be left."""
    write_files(
        tmp_path, {"enterprise.yaml": ENTERPRISE, "domain.yaml": DOMAIN % "[spark, databricks]"}
    )
    run = run_cli("check", "--no-cache", ".", "--diff", "--unsafe-fixes")
    assert (run.stdout, run.stderr) == ("", "floe-lint: nothing to fix\n")
    (tmp_path / "domain.yaml").write_text(DOMAIN % "[duckdb, spark]", "utf-8")
    run = run_cli("check", "--no-cache", ".", "--diff", "--unsafe-fixes")
    assert run.stdout.splitlines()[-2:] == [
        "-    approved: [duckdb, spark]",
        "+    approved: [duckdb]",
    ]


@pytest.mark.parametrize(
    ("overlay", "expected"),
    [
        ("parent_manifest:\n", []),  # left empty: sets nothing, as the base
        (
            "parent_manifest: other.yaml\n",
            [
                "manifest.dev.yaml:1:18: ERROR FL401 [environment-override] a per-environment "
                "file sets parent_manifest, which the base manifest.yaml does not set; a domain's "
                "parent, and so the policy it inherits, must be the same in every environment"
            ],
        ),
        ("plugins: {compute: {aproved: [spark]}}\n", []),  # only `approved` lists computes
    ],
)
def test_an_overlay_is_judged_on_what_it_really_changes(
    overlay: str, expected: list[str], tmp_path: Path
) -> None:
    files = {"manifest.yaml": ENTERPRISE, "manifest.dev.yaml": overlay}
    assert lint(tmp_path, files, "--select", "FL401") == expected


def test_a_stream_of_documents_that_are_not_floe_s_is_not_reported(tmp_path: Path) -> None:
    """A Kubernetes stream that happens to be named manifest.yaml: not Floe's, so not one
    document too many (multiple-documents judges Floe files only)."""
    stream = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata: {name: b}\n"
    )
    write_files(tmp_path, {"manifest.yaml": stream})
    run = run_cli("check", "--no-cache", ".")
    assert (run.code, run.stdout) == (0, "")
    floe = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
    (tmp_path / "manifest.yaml").write_text(floe + "---\n" + stream, "utf-8")
    assert run_cli("check", "--no-cache", ".", "--select", "FL004").stdout.splitlines() == [
        "manifest.yaml:3:1: ERROR FL004 [multiple-documents] this file holds 3 YAML documents "
        "(the second starts here); upstream Floe reads a manifest or floe.yaml with "
        "yaml.safe_load, which refuses more than one, so it would not run what floe-lint "
        "checked: keep one document per file"
    ]


def test_no_floe_document_says_how_a_file_is_empty(tmp_path: Path) -> None:
    files = {"a.yaml": "", "b.yaml": "# hi\n---\n", "c.yaml": "null\n", "d.yaml": "\n\n"}
    found = lint(tmp_path, files, *files, "--select", "FL003")
    expected = "expected a manifest (plugins:, scope:) or a product (name:, platform:, transforms:)"
    assert found == [
        f"a.yaml:1:1: ERROR FL003 [no-floe-document] a.yaml is empty: {expected}",
        f"b.yaml:1:1: ERROR FL003 [no-floe-document] b.yaml holds only comments: {expected}",
        f"c.yaml:1:1: ERROR FL003 [no-floe-document] c.yaml holds only a null value: {expected}",
        f"d.yaml:1:1: ERROR FL003 [no-floe-document] d.yaml is empty: {expected}",
    ]


def test_a_product_below_a_parent_that_cannot_be_loaded_is_not_judged_on_its_computes(
    tmp_path: Path,
) -> None:
    """The parent may approve the compute: platform-not-checked says the product was not
    checked; compute-not-approved says nothing until the parent loads."""
    domain = (
        "scope: domain\nparent_manifest: enterprise.yaml\n"
        "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
    )
    product = (
        "name: p\nplatform: {ref: manifest.yaml}\n"
        "transforms: [{type: dbt, path: models/a/, compute: spark}]\n"
    )
    found = lint(tmp_path, {"manifest.yaml": domain, "floe.yaml": product}, "--select", "FL201")
    assert found == []
    (tmp_path / "enterprise.yaml").write_text(
        "scope: enterprise\nplugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
        "utf-8",
    )
    assert run_cli("check", "--no-cache", "--select", "FL201").stdout.splitlines() == [
        "floe.yaml:3:52: ERROR FL201 [compute-not-approved] transform 'models/a/' selects "
        "compute 'spark', which domain manifest manifest.yaml does not approve (enterprise "
        "manifest enterprise.yaml approves it, but domain manifest manifest.yaml removed it); "
        "approved: duckdb"
    ]


def test_output_port_schemas_are_judged_only_in_upstream_products(tmp_path: Path) -> None:
    product = (
        "name: customers\nplatform: {ref: manifest.yaml}\n"
        "transforms: [{type: dbt, path: models/a/}]\n"
        "outputPorts:\n  - name: customers\n    schema: [{name: customer_id, type: string}]\n"
    )
    manifest = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
    found = lint(tmp_path, {"floe.yaml": product, "manifest.yaml": manifest}, "--select", "FL701")
    assert found == []


UPSTREAM_DOMAIN = (
    "apiVersion: floe.dev/v1\nkind: Manifest\n"
    "metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}\n"
    "scope: domain\nparent_manifest: enterprise.yaml\nplugins:\n  compute: {type: duckdb}\n"
)
UPSTREAM_ORDERS = (
    "apiVersion: floe.dev/v1\nkind: FloeSpec\nmetadata: {name: orders, version: 1.0.0}\n"
    "transforms: [{name: stg_orders}]\n"
)


def test_required_plugin_missing_waits_for_a_parent_that_cannot_be_loaded(tmp_path: Path) -> None:
    """The missing enterprise may select the orchestrator: FL221 judges a level only when its
    whole hierarchy loaded."""
    files = {"manifest.yaml": UPSTREAM_DOMAIN, "floe.yaml": UPSTREAM_ORDERS}
    assert lint(tmp_path, files, "--select", "required-plugin-missing") == []
    (tmp_path / "enterprise.yaml").write_text(
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\n"
        "scope: enterprise\nplugins: {compute: {type: duckdb}}\n",
        "utf-8",
    )
    found = run_cli("check", "--no-cache", "--select", "required-plugin-missing").stdout
    assert found.splitlines()[0].startswith(
        "manifest.yaml:6:1: ERROR FL221 [required-plugin-missing] no level of domain 'sales' "
        "selects plugins.orchestrator;"
    ), found


def test_a_destination_that_is_not_a_mapping_is_no_sink(tmp_path: Path) -> None:
    manifest = UPSTREAM_MANIFEST.replace(", config: {path: %s}", "") % "duckdb"
    product = UPSTREAM_ORDERS + "destinations: [warehouse, {name: lake, sink_type: iceberg}]\n"
    run_files = {"manifest.yaml": manifest, "floe.yaml": product}
    found = lint(tmp_path, run_files, "--select", "sink-not-approved")
    assert all("'warehouse'" not in line for line in found), found
    assert run_cli("check", "--no-cache", ".").code in (0, 1)
