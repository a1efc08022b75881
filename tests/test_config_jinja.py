"""A compute config value holding Jinja other than `{{ env_var('NAME') }}` is a compute-config
finding at the value, and `compile` refuses it even where a comment silenced the finding: dbt
renders profiles.yml as Jinja, so such a value (a domain's restated config, say) is run when dbt
reads the profile. Before, `{{ log(env_var('SNOWFLAKE_PASSWORD'), info=true) }}` passed check
and was written into profiles.yml as is (dbt prints the password into its log)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.compute.jinja import runs_jinja
from tests.conftest import run_cli, write_files

LOG = "{{ log(env_var('SNOWFLAKE_PASSWORD'), info=true) }}"
ENTERPRISE = """\
scope: enterprise
plugins:
  compute:
    approved: [duckdb, spark]
    default: duckdb
"""
DOMAIN = """\
scope: domain
parent_manifest: ../enterprise/manifest.yaml
plugins:
  compute:
    approved:
      - name: duckdb
        config: {path: "/data/{{ env_var('ENV', 'dev') }}.duckdb", extensions: ["VALUE"]}
"""
PRODUCT = """\
name: orders
version: 1.0.0
platform: {ref: ../../platform/sales/manifest.yaml}
transforms:
  - {type: dbt, path: models/a/}
"""
MESSAGE = (
    "compute 'duckdb' config 'extensions[0]' holds Jinja that dbt would run when it reads "
    "profiles.yml; a config value may take Jinja only as {{ env_var('NAME') }} (a default and "
    "| as_number allowed)"
)


def tree(root: Path, value: str, comment: str = "") -> None:
    write_files(
        root,
        {
            "platform/enterprise/manifest.yaml": ENTERPRISE,
            "platform/sales/manifest.yaml": DOMAIN.replace("VALUE", value) + comment,
            "products/orders/floe.yaml": PRODUCT,
        },
    )


@pytest.fixture(autouse=True)
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_a_domain_s_config_value_that_runs_jinja_is_a_finding_at_the_value(
    tmp_path: Path,
) -> None:
    tree(tmp_path, LOG)
    run = run_cli("check", ".", "--format", "concise")
    assert run.code == 1
    assert (
        run.stdout == f"platform/sales/manifest.yaml:7:81: ERROR FL208 [compute-config] {MESSAGE}\n"
    )
    assert "SNOWFLAKE_PASSWORD" not in run.stdout  # the value is never quoted


def test_compile_refuses_it_where_a_comment_silenced_the_finding(tmp_path: Path) -> None:
    tree(tmp_path, LOG, "# floe-lint: disable-file=FL208 -- pilot\n")
    assert run_cli("check", ".").code == 0
    run = run_cli("compile", "products/orders/floe.yaml", "--out", "out")
    assert run.code == 1
    assert run.stderr.startswith(
        "floe-lint: compile failed: platform/sales/manifest.yaml:6:9: compute 'duckdb': "
        "config extensions.0: holds Jinja that dbt would run when it reads profiles.yml"
    ), run.stderr
    assert not (tmp_path / "out").exists()


def test_env_var_references_compile_into_the_profile_as_written(tmp_path: Path) -> None:
    tree(tmp_path, "{{ env_var('DUCKDB_EXT') }}")
    assert run_cli("check", ".").code == 0
    assert run_cli("compile", "products/orders/floe.yaml", "--out", "out").code == 0
    profile = (tmp_path / "out" / "profiles.yml").read_text()
    assert "path: /data/{{ env_var('ENV', 'dev') }}.duckdb" in profile
    assert "- '{{ env_var(''DUCKDB_EXT'') }}'" in profile  # (YAML's quoting of the quote)


@pytest.mark.parametrize(
    "value",
    [
        "{{ env_var('DBT_THREADS', 4) | int }}",
        "{{ env_var('DBT_PORT', 5432) | as_number }}",
        "{{ env_var('DBT_SSL', true) | as_bool }}",
        "{{ env_var('DBT_TIMEOUT', 2.5) | float }}",
        "{{ env_var('DBT_ROLE', none) }}",
    ],
)
def test_a_reference_with_a_bare_default_or_a_conversion_is_not_a_finding(
    tmp_path: Path, value: str
) -> None:
    """What real profiles write (`threads: "{{ env_var('DBT_THREADS', 4) | int }}"`): a
    number or constant default runs no code; it was reported at the value, a false error."""
    tree(tmp_path, value)
    run = run_cli("check", ".", "--format", "concise")
    assert (run.code, run.stdout) == (0, ""), run.stdout
    assert run_cli("compile", "products/orders/floe.yaml", "--out", "out").code == 0
    assert value.replace("'", "''") in (tmp_path / "out" / "profiles.yml").read_text()


_NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
_BLANK = st.sampled_from(["", " ", "  "])
_TEXT = st.text(alphabet="ab/.:-_ 0", max_size=6)
_CONSTANT = st.sampled_from(["true", "False", "none", "None", "4", "-1", "+5432", "2.5", "0.0"])
_FILTER = st.sampled_from(["as_number", "as_bool", "int", "float", "string"])


@st.composite
def _reference(draw: st.DrawFn) -> str:
    b = draw(_BLANK)
    default = draw(st.none() | _TEXT.map(lambda t: f"'{t}'") | _CONSTANT)
    args = f"'{draw(_NAME)}'" + ("" if default is None else f",{b}{default}")
    filters = "".join(f"{b}|{b}{f}" for f in draw(st.lists(_FILTER, max_size=2)))
    return f"{{{{{draw(st.sampled_from(['', '-']))}{b}env_var({args}){filters}{b}{draw(st.sampled_from(['', '-']))}}}}}"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # (a loaded machine)
@given(st.lists(_TEXT | _reference(), max_size=4))
def test_text_and_env_var_references_run_no_other_jinja(parts: list[str]) -> None:
    assert not runs_jinja("".join(parts))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_TEXT | _reference(), max_size=3),
    st.sampled_from(
        [
            "{% if x %}",
            "{# c #}",
            "{{ x }}",
            "{{ env_var('A') ~ b }}",
            "{{ env_var(env_var('A')) }}",
            "{{ env_var('A', 'a\\') }}{{ env_var(\"') ~ log(1) ~ ('\") }}') }}",
            LOG,
            "{{",
            "{{ env_var('A', none.__class__) }}",
            "{{ env_var('A', 4).real }}",
            "{{ env_var('A', 1e9) }}",
        ]
    ),
    st.lists(_TEXT | _reference(), max_size=3),
)
def test_any_other_jinja_runs(before: list[str], jinja: str, after: list[str]) -> None:
    assert runs_jinja("".join([*before, jinja, *after]))


UPSTREAM = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
plugins:
  compute: {type: duckdb}
  orchestrator: {type: dagster}
  storage: {type: minio, config: {endpoint: 'http://minio:9000', bucket: lake, region: "REGION"}}
"""
UPSTREAM_PRODUCT = """\
apiVersion: floe.dev/v1
kind: FloeSpec
metadata: {name: orders, version: 1.0.0}
platform: {manifest: manifest.yaml}
transforms:
  - {name: stg_orders}
"""


def test_a_storage_setting_the_profile_takes_may_not_run_jinja_either(tmp_path: Path) -> None:
    """minio's `region` becomes the profile's `s3_region` (upstream's storage binding)."""
    manifest = UPSTREAM.replace("REGION", LOG)
    write_files(tmp_path, {"manifest.yaml": manifest, "floe.yaml": UPSTREAM_PRODUCT})
    run = run_cli("check", ".", "--format", "concise")
    assert run.code == 1
    assert run.stdout == (
        "manifest.yaml:7:88: ERROR FL709 [upstream-storage-config] storage plugin 'minio' "
        "configuration is invalid: config region: holds Jinja that dbt would run when it reads "
        "profiles.yml; a config value may take Jinja only as {{ env_var('NAME') }} (a default "
        "and | as_number allowed); every product on platform 'acme' fails to compile\n"
    )
    write_files(tmp_path, {"manifest.yaml": UPSTREAM.replace("REGION", "eu-west-1")})
    assert run_cli("compile", "floe.yaml", "--out", "out").code == 0
    assert "s3_region: eu-west-1" in (tmp_path / "out" / "profiles.yml").read_text()
