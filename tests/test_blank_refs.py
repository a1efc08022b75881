"""A blank platform or parent ref is a finding at the value, never a silent skip (issue 16)."""

from __future__ import annotations

import pytest

from tests.conftest import ENTERPRISE

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"


def places(run, name: str) -> list[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    return [(f["file"], f["line"], f["column"], f["message"]) for f in run.named(name)]


@pytest.mark.parametrize("blank", ['""', '"   "', "' \t'"])
def test_a_blank_platform_ref_is_unresolved_at_the_value(lint, blank: str) -> None:
    run = lint(
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": f"name: orders\nplatform: {{ref: {blank}}}\n"
            "transforms: [{path: models/x/, compute: snowflake}]\n",
        }
    )
    assert places(run, "unresolved-ref") == [
        (
            "floe.yaml",
            2,
            17,
            "platform.ref is blank, so it names no manifest and nothing about this product is "
            "checked against a platform; write a path or an oci:// ref",
        )
    ]
    assert run.code == 1


@pytest.mark.parametrize("blank", ['""', '"  "'])
def test_a_blank_upstream_platform_manifest_is_unresolved_at_the_value(lint, blank: str) -> None:
    run = lint(
        {
            "manifest.yaml": "apiVersion: floe.dev/v1\nkind: Manifest\n"
            "metadata: {name: p, version: 1.0.0, owner: a@b.example}\n"
            "plugins: {compute: {type: duckdb}}\n",
            "orders/floe.yaml": "apiVersion: floe.dev/v1\nkind: FloeSpec\n"
            "metadata: {name: orders, version: 1.0.0}\n"
            f"platform: {{manifest: {blank}}}\n"
            "transforms: [{name: x, compute: snowflake}]\n",
        }
    )
    found = places(run, "unresolved-ref")
    assert [f[:3] for f in found] == [("orders/floe.yaml", 4, 22)]
    assert found[0][3].startswith("platform.manifest is blank, so it names no manifest")
    assert not run.named("schema-invalid")  # the semantic finding explains the same node


def test_a_blank_parent_of_a_domain_is_a_scope_mismatch_at_the_value(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "domain.yaml": "scope: domain\nparent_manifest: '  '\n"
            "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
        }
    )
    assert places(run, "scope-mismatch") == [
        (
            "domain.yaml",
            2,
            18,
            "parent_manifest is blank, so this domain has no parent and none of its policy is "
            "inherited or checked; name its parent (a path or an oci:// ref)",
        )
    ]
    assert not run.named("unresolved-ref")


def test_a_blank_parent_of_an_enterprise_is_a_scope_mismatch_at_the_value(lint) -> None:
    run = lint({"manifest.yaml": "scope: enterprise\nparent_manifest: ''\n" + MANIFEST})
    assert places(run, "scope-mismatch") == [
        (
            "manifest.yaml",
            2,
            18,
            "parent_manifest is blank; remove it (only a domain has a parent, and upstream Floe "
            "refuses any parent_manifest here, even a blank one)",
        )
    ]
