"""What upstream Floe's compile refuses on a manifest that loads, `check` reports first.

The oracle is the published floe-core 0.1.0a1's own `compile_pipeline` (LOAD, VALIDATE,
RESOLVE, ENFORCE, dry run, no lineage), run on the same files: for every combination of the
structural facts it checks (a compute, an orchestrator, a quality provider), it compiles
exactly when `check` reports no error, and where it refuses, `check` names the line to fix.
"""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

HEAD = (
    "apiVersion: floe.dev/v1\nkind: Manifest\n"
    "metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}\n"
)
PRODUCT = (
    "apiVersion: floe.dev/v1\nkind: FloeSpec\nmetadata: {name: orders, version: 1.0.0}\n"
    "platform: {manifest: manifest.yaml}\ntransforms: [{name: stg_orders, compute: duckdb}]\n"
)


def upstream_compile(folder: Path) -> str | None:
    """None when floe-core compiles the product on its manifest; else its error."""
    import structlog
    from floe_core.compilation.stages import compile_pipeline

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    try:
        compile_pipeline(
            folder / "floe.yaml", folder / "manifest.yaml", dry_run=True, emit_lineage=False
        )
    except Exception as error:  # the oracle's verdict, whatever its exception type
        return str(error)
    return None


def manifest(compute: bool, orchestrator: bool, quality: str | None) -> str:
    lines = ["plugins:"]
    if compute:
        lines.append("  compute: {type: duckdb}")
    if orchestrator:
        lines.append("  orchestrator: {type: dagster}")
    if quality is not None:
        lines.append(f"  quality: {{provider: {quality}}}")
    if len(lines) == 1:
        lines.append("  catalog: {type: polaris}")
    return HEAD + "\n".join(lines) + "\n"


MISSING = (
    "manifest.yaml:4:1: ERROR FL221 [required-plugin-missing] no level of platform "
    "'acme-platform' selects plugins.{0}; upstream Floe's compile refuses every product on it "
    "(\"Required plugin '{0}' not found in platform manifest\"); add e.g. '{0}: {{type: {1}}}' "
    "(known: {2})"
)
UNKNOWN_PROVIDER = (
    "ERROR FL222 [quality-provider-unknown] quality provider 'great-expectations' is not one "
    "upstream Floe knows, so its compile refuses every product on this platform (FLOE-DQ001); "
    "known: great_expectations, soda, dbt_expectations; did you mean 'great_expectations'?"
)


@pytest.mark.parametrize(
    ("compute", "orchestrator", "quality"),
    list(itertools.product([True, False], [True, False], [None, "soda", "great-expectations"])),
)
def test_check_passes_exactly_what_upstreams_compile_compiles(
    compute: bool,
    orchestrator: bool,
    quality: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    text = manifest(compute, orchestrator, quality)
    write_files(tmp_path, {"manifest.yaml": text, "floe.yaml": PRODUCT})
    refused = upstream_compile(tmp_path)
    run = run_cli("check", "manifest.yaml", "--select", "FL2")  # the product is a dependent
    assert (refused is None) == (run.code == 0), (refused, run.stdout)
    expected = []
    if not compute:
        expected.append(
            MISSING.format("compute", "duckdb", "duckdb, snowflake, spark, bigquery, databricks")
        )
    if not orchestrator:
        expected.append(MISSING.format("orchestrator", "dagster", "dagster, airflow, prefect"))
    if quality == "great-expectations":
        line = text.splitlines().index("  quality: {provider: great-expectations}") + 1
        expected.append(f"manifest.yaml:{line}:23: {UNKNOWN_PROVIDER}")
    assert run.stdout.splitlines() == expected
    if refused is not None:  # upstream stops at the first problem; check names it too
        first = "FLOE-DQ001" if quality == "great-expectations" else "Required plugin"
        assert first in refused, refused


def test_a_domain_keeps_the_orchestrator_of_its_enterprise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A level that selects no orchestrator is no required-plugin-missing when a level above it
    does (floe-lint follows parents); floe-core 0.1.0a1 does not load them yet
    (`resolve_manifest_inheritance`), which upstream-no-inheritance (FL706) warns of."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "enterprise.yaml": HEAD.replace("acme-platform", "acme")
            + "scope: enterprise\nplugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}\n",
            "manifest.yaml": HEAD.replace("acme-platform", "sales")
            + "scope: domain\nparent_manifest: enterprise.yaml\n"
            "plugins: {compute: {type: duckdb}, catalog: {type: polaris}}\n",
            "floe.yaml": PRODUCT,
        },
    )
    assert run_cli("check", ".").stdout.splitlines() == [
        "manifest.yaml:6:1: WARNING FL706 [upstream-no-inheritance] floe-core 0.1.0a1's compile "
        "loads no parent manifest: given domain 'sales', floe platform compile finds no "
        "plugins.orchestrator there and refuses its products (E201); restate the orchestrator "
        "it inherits ('dagster', from enterprise 'acme')"
    ]
    (tmp_path / "enterprise.yaml").write_text(
        (tmp_path / "enterprise.yaml").read_text().replace(", orchestrator: {type: dagster}", "")
    )
    assert run_cli("check", ".").stdout.splitlines() == [
        "manifest.yaml:6:1: ERROR FL221 [required-plugin-missing] no level of domain 'sales' "
        "selects plugins.orchestrator; upstream Floe's compile refuses every product on it "
        "(\"Required plugin 'orchestrator' not found in platform manifest\"); add e.g. "
        "'orchestrator: {type: dagster}' (known: dagster, airflow, prefect)"
    ]


def test_a_manifest_no_product_compiles_on_is_not_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": manifest(True, False, None)})
    assert run_cli("check", ".").stdout == ""


def test_an_enterprise_may_leave_the_orchestrator_to_its_domains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "enterprise.yaml": HEAD.replace("acme-platform", "acme")
            + "scope: enterprise\nplugins: {compute: {type: duckdb}}\n",
            "manifest.yaml": HEAD.replace("acme-platform", "sales")
            + "scope: domain\nparent_manifest: enterprise.yaml\n"
            # the domain restates its compute: upstream's compile loads no parent (FL706)
            "plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}\n",
            "floe.yaml": PRODUCT,
        },
    )
    assert run_cli("check", ".").stdout == ""
