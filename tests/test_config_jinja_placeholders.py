"""In upstream's dialect, floe-core's compile fills `{product_name}` and `{product_slug}` in the
selected compute's config before the profile reaches dbt (floe_core/compilation/
dbt_profiles.py, `_expand_product_placeholders`), so `"/data/{{product_name}}.duckdb"` becomes
`/data/{orders}.duckdb`, which runs no Jinja. compute-config reported it at the value (a false
error, where floe-core and floe-lint's compile both write the profile). Only there: `{{
product_name }}` (not a placeholder), a placeholder that fills into Jinja (`{{{product_name}}}`)
or into code (`env_var('X', {product_name})`), the ADR-0010 dialect (whose compile fills
nothing) and upstream's storage settings (floe-core fills none there) are still findings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from floe_lint.compute import jinja
from tests.conftest import run_cli, write_files
from tests.upstream_compile import upstream_compile

MANIFEST = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
plugins:
  compute: {type: duckdb, config: {path: 'VALUE'}}
  orchestrator: {type: dagster}
"""
PRODUCT = """\
apiVersion: floe.dev/v1
kind: FloeSpec
metadata: {name: orders, version: 1.0.0}
platform: {manifest: manifest.yaml}
transforms:
  - {name: stg_orders}
"""
FINDING = (
    "manifest.yaml:5:42: ERROR FL208 [compute-config] compute 'duckdb' config 'path' holds "
    "Jinja that dbt would run when it reads profiles.yml; a config value may take Jinja only as "
    "{{ env_var('NAME') }} (a default and | as_number allowed)\n"
)


@pytest.fixture(autouse=True)
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def upstream(root: Path, value: str) -> None:
    manifest = MANIFEST.replace("VALUE", value.replace("'", "''"))
    write_files(root, {"manifest.yaml": manifest, "floe.yaml": PRODUCT})


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ("/data/{{product_name}}.duckdb", "/data/{orders}.duckdb"),
        ("/data/{{product_slug}}.duckdb", "/data/{orders}.duckdb"),
        (
            "/data/{{ env_var('ENV', '{product_name}') }}.duckdb",
            "/data/{{ env_var('ENV', 'orders') }}.duckdb",
        ),
    ],
)
def test_a_placeholder_floe_core_fills_before_dbt_reads_it_is_no_finding(
    tmp_path: Path, value: str, path: str
) -> None:
    upstream(tmp_path, value)
    run = run_cli("check", ".", "--format", "concise")
    assert (run.code, run.stdout) == (0, ""), run.stdout
    assert upstream_compile(tmp_path / "floe.yaml", tmp_path / "manifest.yaml") is None
    assert run_cli("compile", "floe.yaml", "--out", "out").code == 0
    profiles = yaml.safe_load((tmp_path / "out" / "profiles.yml").read_text())
    assert profiles["orders"]["outputs"]["dev"]["path"] == path


@pytest.mark.parametrize(
    "value",
    [
        "/data/{{ product_name }}.duckdb",
        "/data/{{{product_name}}}.duckdb",
        "/data/{{ env_var('ENV', {product_name}) }}.duckdb",
        "/data/{{ env_var('ENV') | {product_slug} }}.duckdb",
    ],
)
def test_a_placeholder_that_leaves_or_fills_into_jinja_is_still_a_finding(
    tmp_path: Path, value: str
) -> None:
    upstream(tmp_path, value)
    run = run_cli("check", ".", "--format", "concise")
    assert (run.code, run.stdout) == (1, FINDING)


def test_the_adr_0010_dialect_fills_nothing(tmp_path: Path) -> None:
    """floe-lint's own compile hands ADR-0010 configs to dbt as written."""
    write_files(
        tmp_path,
        {
            "manifest.yaml": (
                "plugins:\n  compute:\n    approved:\n      - name: duckdb\n"
                "        config: {path: '/data/{{product_name}}.duckdb'}\n    default: duckdb\n"
            )
        },
    )
    run = run_cli("check", "manifest.yaml", "--format", "concise")
    assert run.stdout == FINDING.replace("5:42", "5:24")


def test_upstream_storage_settings_are_not_filled(tmp_path: Path) -> None:
    """floe-core fills placeholders in the compute's config only: minio's region reaches the
    profile's s3_region as written."""
    manifest = MANIFEST.replace(
        "  orchestrator:",
        "  storage: {type: minio, config: {endpoint: 'http://minio:9000', bucket: lake, "
        "region: '{{product_name}}'}}\n  orchestrator:",
    ).replace("'VALUE'", "/data/x.duckdb")
    write_files(tmp_path, {"manifest.yaml": manifest, "floe.yaml": PRODUCT})
    run = run_cli("check", ".", "--format", "concise")
    assert run.code == 1
    assert "FL709 [upstream-storage-config] storage plugin 'minio' configuration is invalid: " in (
        run.stdout
    )


_NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,7}", fullmatch=True) | st.sampled_from(
    ["product", "slug", "none", "true", "lower", "x", "q"]
)
_PIECES = st.sampled_from(
    [
        "{", "}", "{{", "}}", "{product_name}", "{product_slug}", "product_", "_slug", "'",
        " ", "env_var('A'", ", ", ")", " ~ ", " | ", "lower", "as_te", "t", "-", "1", "x",
    ]
)  # fmt: skip


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=14).map("".join), _NAMES)
@example("{{{product_name}_slug}}", "orders")
@example("{{ 'a' | as_te{product_name}t }}", "orders")
def test_what_passes_filled_for_any_product_passes_as_floe_core_fills_it(
    value: str, name: str
) -> None:
    """No forged pass: a value accepted as check fills it is accepted as floe-core fills it
    for every product name its FloeSpec allows."""
    from floe_core.compilation.dbt_profiles import _expand_product_placeholders

    if not jinja.runs_jinja(jinja.filled(value)):
        assert not jinja.runs_jinja(_expand_product_placeholders(value, name)), (value, name)


def test_the_stand_in_name_is_part_of_no_word_the_reader_allows() -> None:
    """Where a placeholder fills into code, the stand-in makes a word the reader refuses."""
    words = {"env_var", *jinja._FILTERS, *jinja._CONSTANTS}
    assert not any(jinja.PRODUCT in word for word in words)
    assert jinja.runs_jinja("{{ env_var('A', " + jinja.PRODUCT + ") }}")
