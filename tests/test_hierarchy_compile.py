"""Which levels products may be compiled on (`Hierarchy.may_be_compiled_on`), so that a key a
compute plugin requires must be complete there: a level a product names, whatever its scope,
and a domain no level takes as its parent; not an enterprise or a domain that only hands its
config down (issue 20: a mutation run found the first case unguarded)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from floe_lint.compute.plugin import registry
from tests.conftest import run_cli, write_files

PRODUCT = "name: p\nplatform: {ref: %s}\ntransforms: [{type: dbt, path: models/a/}]\n"
ENTERPRISE = "scope: enterprise\nplugins: {compute: {approved: [postgres], default: postgres}}\n"
DOMAIN = (
    "scope: domain\nparent_manifest: enterprise.yaml\n"
    "plugins:\n  compute:\n    approved: [{name: postgres, config: {dbname: sales}}]\n"
)


@pytest.fixture
def strict_postgres(monkeypatch: pytest.MonkeyPatch) -> None:
    """A third-party style plugin that declares a required key, which compile refuses."""
    strict = copy.copy(registry().plugins["postgres"])
    strict.config_schema = {**strict.config_schema, "required": ["dbname"]}
    monkeypatch.setitem(registry().plugins, "postgres", strict)


@pytest.mark.usefixtures("strict_postgres")
def test_an_enterprise_a_product_names_must_be_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "enterprise.yaml": ENTERPRISE,
            "domain.yaml": DOMAIN,
            "a/floe.yaml": PRODUCT % "../domain.yaml",
        },
    )
    assert run_cli("check", ".").code == 0  # the enterprise only hands postgres down
    write_files(tmp_path, {"b/floe.yaml": PRODUCT % "../enterprise.yaml"})
    run = run_cli("check", ".")
    assert (run.code, run.stdout.splitlines()) == (
        1,
        [
            "enterprise.yaml:2:32: ERROR FL208 [compute-config] compute 'postgres' lacks "
            "required config 'dbname', even merged with its parents'; 'floe-lint compile' "
            "refuses products on enterprise manifest enterprise.yaml without it (see "
            "'floe-lint plugins --schema postgres')"
        ],
    )


@pytest.mark.usefixtures("strict_postgres")
@pytest.mark.parametrize(
    ("entry", "place"),
    [
        ("postgres", "5:16"),  # a bare name: at the name
        ("{name: postgres}", "5:23"),  # no config: at the name, not the item
        ("{name: postgres, config: {host: db}}", "5:33"),  # at the config key
    ],
)
def test_an_incomplete_config_is_reported_at_its_key_or_else_at_the_name(
    entry: str, place: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    domain = DOMAIN.replace("{name: postgres, config: {dbname: sales}}", entry)
    write_files(
        tmp_path,
        {
            "enterprise.yaml": ENTERPRISE,
            "domain.yaml": domain,
            "floe.yaml": PRODUCT % "domain.yaml",
        },
    )
    run = run_cli("check", ".")
    assert run.stdout.splitlines() == [
        f"domain.yaml:{place}: ERROR FL208 [compute-config] compute 'postgres' lacks required "
        "config 'dbname', even merged with its parents'; 'floe-lint compile' refuses products "
        "on domain manifest domain.yaml without it (see 'floe-lint plugins --schema postgres')"
    ]
