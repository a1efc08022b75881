"""A domain that names no parent_manifest has lost its parent: scope-mismatch reports it once,
at the domain, and every product below it is marked not checked (platform-not-checked), as for a
parent that cannot be loaded, instead of passing silently or being blamed for a missing default
that the lost parent might supply."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

DOMAIN = "scope: domain\nplugins:\n  compute:\n    approved: [duckdb]\n"
SUB = "scope: domain\nparent_manifest: ../domain.yaml\nplugins: {compute: {approved: [duckdb]}}\n"
PRODUCT = "name: p\nplatform: {{ref: {ref}}}\ntransforms:\n  - {{type: dbt, path: models/a/{c}}}\n"
CAUSE = (
    "domain.yaml:1:8: ERROR FL303 [scope-mismatch] a domain manifest must name its parent in "
    "parent_manifest; smallest valid: parent_manifest: ../enterprise/manifest.yaml"
)


def _lines(*args: str) -> list[str]:
    run = run_cli("check", *args, "--format", "concise")
    assert run.code == 1, run.stderr
    return run.stdout.splitlines()


@pytest.mark.parametrize("compute", ["", ", compute: duckdb", ", compute: spark"])
def test_a_product_below_a_domain_without_a_parent_is_not_checked(
    compute: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path, {"domain.yaml": DOMAIN, "floe.yaml": PRODUCT.format(ref="domain.yaml", c=compute)}
    )
    assert _lines(".") == [
        CAUSE,
        "floe.yaml:2:17: WARNING FL307 [platform-not-checked] this product's compute selections "
        "were not checked: domain manifest domain.yaml (line 1) is a domain that names no "
        "parent_manifest, as reported there",
    ]


def test_below_a_sub_domain_the_domain_without_a_parent_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "domain.yaml": DOMAIN,
            "emea/manifest.yaml": SUB,
            "emea/orders/floe.yaml": PRODUCT.format(ref="../manifest.yaml", c=""),
        },
    )
    assert _lines(".") == [
        CAUSE,
        "emea/orders/floe.yaml:2:17: WARNING FL307 [platform-not-checked] this product's compute "
        "selections were not checked: domain manifest domain.yaml (line 1) is a domain that "
        "names no parent_manifest, as reported there",
    ]


def test_a_central_manifest_without_scope_needs_no_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    central = "plugins:\n  compute:\n    approved: [duckdb]\n"
    write_files(
        tmp_path,
        {"manifest.yaml": central, "floe.yaml": PRODUCT.format(ref="manifest.yaml", c="")},
    )
    assert _lines(".") == [
        "floe.yaml:4:5: ERROR FL204 [missing-default] transform 'models/a/' names no compute and "
        "no level of the hierarchy of platform manifest manifest.yaml sets a default; add "
        "'compute: duckdb' (approved: duckdb) or set plugins.compute.default"
    ]
