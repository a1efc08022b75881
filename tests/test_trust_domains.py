"""The root of trust judges a domain on its own, not only through its products: a run over
platform manifests alone (no product) still reports a domain whose parent is not a trusted
root (issue 20: a mutation run found that line unguarded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

ENTERPRISE = "scope: enterprise\nplugins: {compute: {approved: [duckdb], default: duckdb}}\n"
FINDING = (
    "domain.yaml:2:18: ERROR FL310 [untrusted-root] parent_manifest 'own.yaml' leaves the "
    "trusted tree: this hierarchy ends at enterprise manifest own.yaml (own.yaml), which is "
    "not a trusted root (trusted: enterprise.yaml)"
)


@pytest.mark.parametrize("given", [".", "domain.yaml"])
def test_a_domain_without_products_whose_parent_is_untrusted_is_reported_at_its_parent_ref(
    given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": "trusted-roots: [enterprise.yaml]\n",
            "enterprise.yaml": ENTERPRISE,
            "own.yaml": ENTERPRISE,
            "domain.yaml": "scope: domain\nparent_manifest: own.yaml\n"
            "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
        },
    )
    run = run_cli("check", "--no-cache", given)
    assert (run.code, run.stdout.splitlines()) == (1, [FINDING])
    (tmp_path / "domain.yaml").write_text(
        "scope: domain\nparent_manifest: enterprise.yaml\n"
        "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
        "utf-8",
    )
    assert run_cli("check", "--no-cache", given).stdout == ""
