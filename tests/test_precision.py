"""No false errors on files people write: one cause gives one finding, at the cause.

Each test is built from a situation reported against an earlier release (issue 20): the
whole text output is compared, so a second finding for the same cause fails it too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

ENTERPRISE_FLOE = """\
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
    scope: enterprise
    approved_plugins:
      compute: [duckdb, spark]
    plugins:
      compute: {type: duckdb}
"""


def _lines(*args: str) -> list[str]:
    return run_cli("check", *args).stdout.splitlines()


def test_a_domain_selecting_a_compute_outside_the_whitelist_is_one_error_at_its_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "enterprise.yaml": ENTERPRISE_FLOE,
            "domain.yaml": """\
                apiVersion: floe.dev/v1
                kind: Manifest
                metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
                scope: domain
                parent_manifest: enterprise.yaml
                plugins:
                  compute: {type: snowflake}
            """,
        },
    )
    assert _lines(".") == [
        "domain.yaml:7:19: ERROR FL202 [approved-not-subset] domain 'sales' approves "
        "'snowflake', which its parent enterprise 'acme' does not approve; parent approves: "
        "duckdb, spark"
    ]


def test_an_adr_domain_defaulting_to_a_compute_its_parent_lacks_is_one_error_at_the_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "enterprise.yaml": "scope: enterprise\n"
            "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
            "domain.yaml": "scope: domain\nparent_manifest: enterprise.yaml\n"
            "plugins:\n  compute:\n    approved: [snowflake]\n    default: snowflake\n",
        },
    )
    assert _lines(".") == [
        "domain.yaml:5:16: ERROR FL202 [approved-not-subset] domain manifest domain.yaml "
        "approves 'snowflake', which its parent enterprise manifest enterprise.yaml does not "
        "approve; parent approves: duckdb, spark; it is also its default"
    ]


def test_a_domain_default_outside_its_own_list_is_still_default_not_approved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one-cause rule drops FL203 only where FL202 names the cause."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "enterprise.yaml": "scope: enterprise\n"
            "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
            "domain.yaml": "scope: domain\nparent_manifest: enterprise.yaml\n"
            "plugins:\n  compute:\n    approved: [duckdb]\n    default: spark\n",
        },
    )
    assert _lines(".") == [
        "domain.yaml:6:14: ERROR FL203 [default-not-approved] default compute 'spark' is not "
        "in the effective approved list of domain manifest domain.yaml (duckdb)"
    ]


PRODUCT = "name: p\nplatform: {ref: domain.yaml}\ntransforms:\n  - {type: dbt, path: models/a/}\n"
NOT_CHECKED = (
    "floe.yaml:2:17: WARNING FL307 [platform-not-checked] this product's compute selections "
    "were not checked: the parent_manifest of domain manifest domain.yaml (line 2) could not "
    "be loaded, as reported there"
)


@pytest.mark.parametrize(
    ("parent", "files", "cause"),
    [
        (
            "missing.yaml",
            {},
            "cannot resolve parent_manifest 'missing.yaml': 'missing.yaml' points to a file "
            "that does not exist: missing.yaml",
        ),
        (
            "bad.yaml",
            {"bad.yaml": "scope: enterprise\nplugins: [\n"},
            "parent_manifest 'bad.yaml' resolves to bad.yaml, but it is not valid YAML",
        ),
    ],
)
def test_a_parent_that_cannot_be_loaded_is_one_error_and_its_products_are_not_checked(
    parent: str,
    files: dict[str, str],
    cause: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    domain = (
        f"scope: domain\nparent_manifest: {parent}\nplugins:\n  compute:\n    approved: [duckdb]\n"
    )
    write_files(tmp_path, {"domain.yaml": domain, "floe.yaml": PRODUCT, **files})
    lines = _lines("floe.yaml", "domain.yaml")
    assert lines[0].startswith(f"domain.yaml:2:18: ERROR FL301 [unresolved-ref] {cause}")
    assert lines[1:] == [NOT_CHECKED]  # no missing-default on the product


def test_an_unreachable_registry_parent_leaves_upstream_products_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": """\
                apiVersion: floe.dev/v1
                kind: Manifest
                metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
                scope: domain
                parent_manifest: oci://127.0.0.1:9/platform/enterprise:1.0
                plugins:
                  orchestrator: {type: dagster}
            """,
            "floe.yaml": """\
                apiVersion: floe.dev/v1
                kind: FloeSpec
                metadata: {name: orders, version: 1.0.0}
                transforms: [{name: stg_orders}, {name: mart, compute: spark}]
            """,
        },
    )
    lines = _lines(".", "--offline")
    assert lines[0] == (
        "floe.yaml:4:1: WARNING FL307 [platform-not-checked] this product's compute selections "
        "were not checked: the parent_manifest of domain 'sales' (line 5) could not be loaded, "
        "as reported there"
    )
    assert [line.split(" ")[:3] for line in lines[1:]] == [
        ["manifest.yaml:5:18:", "ERROR", "FL301"]
    ], lines


def test_a_domain_that_states_its_own_list_is_still_checked_below_a_lost_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the domain itself writes stays checkable: its own default outside its own list."""
    monkeypatch.chdir(tmp_path)
    domain = (
        "scope: domain\nparent_manifest: missing.yaml\n"
        "plugins:\n  compute:\n    approved: [duckdb]\n    default: spark\n"
    )
    write_files(tmp_path, {"domain.yaml": domain})
    assert _lines("domain.yaml")[1] == (
        "domain.yaml:6:14: ERROR FL203 [default-not-approved] default compute 'spark' is not in "
        "the effective approved list of domain manifest domain.yaml (duckdb)"
    )


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
                "floe.yaml": "name: p\nplatform: {ref: manifest.yaml}\ntransforms:\n"
                "  - type: dbt\n    path: models/a/\n    compute: {type: duckdb}\n",
            },
            "floe.yaml:6:14: ERROR FL102 [schema-type] 'transforms[0].compute' must be a "
            "string, not a mapping",
        ),
        (
            {
                "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: {type: duckdb}}}\n"
            },
            "manifest.yaml:1:50: ERROR FL102 [schema-type] 'plugins.compute.default' must be a "
            "string, not a mapping",
        ),
        (
            {
                "manifest.yaml": "apiVersion: floe.dev/v1\nkind: Manifest\n"
                "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\n"
                "plugins:\n  compute: {type: duckdb}\n  orchestrator: {type: dagster}\n",
                "floe.yaml": "apiVersion: floe.dev/v1\nkind: FloeSpec\n"
                "metadata: {name: orders, version: 1.0.0}\n"
                "transforms:\n  - name: a\n    compute: {type: duckdb}\n",
            },
            "floe.yaml:6:14: ERROR FL102 [schema-type] 'transforms[0].compute' must be a "
            "string or null, not a mapping",
        ),
    ],
)
def test_a_compute_written_as_a_plugin_mapping_is_a_type_error_not_an_environment_override(
    files: dict[str, str], expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    assert _lines(*sorted(files)) == [expected]
