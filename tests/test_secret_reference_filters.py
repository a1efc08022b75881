"""A credential taken from the environment through a pure filter (`| trim`, `| as_text`,
`| lower`, `| default('')`) is a reference, not a literal: dbt profiles write them, and none
of them can add text of its own. Before, only `| as_number` was allowed, so
`password: "{{ env_var('SF_PW') | trim }}"` was a secret-literal error (FL501) and a SECRET
config key (`user`) a compute-config error (FL208): false errors on real profiles. A filter
that can add its own text (`| default('hunter2')`, `| replace('', 'hunter2')`) still carries
the credential itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from floe_lint.compute.jinja import runs_jinja
from floe_lint.secrets import PURE_FILTERS, is_reference
from tests.conftest import run_cli, write_files
from tests.test_config_jinja_forms import render
from tests.test_plain_patterns import near_references, references

MANIFEST = """\
plugins:
  compute:
    approved:
      - name: snowflake
        config:
          account: acme
          user: "{{ env_var('SF_USER') | as_text }}"
          password: "VALUE"
        connection_secret_ref: snowflake-credentials
    default: snowflake
"""


def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str) -> str:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": MANIFEST.replace("VALUE", password)})
    return run_cli("check", "manifest.yaml", "--format", "concise").stdout


@pytest.mark.parametrize(
    "password",
    [
        "{{ env_var('SF_PW') | trim }}",
        "{{ env_var('SF_PW') | as_text }}",
        "{{ env_var('SF_PW')|trim|as_native }}",
        "{{ env_var('SF_PW') | default('') }}",
        "{{ env_var('SF_PW', '') | lower | upper }}",
    ],
)
def test_a_reference_through_pure_filters_is_no_literal_credential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    assert check(tmp_path, monkeypatch, password) == ""


@pytest.mark.parametrize(
    "password",
    [
        "{{ env_var('SF_PW') | default('hunter2') }}",
        "{{ env_var('SF_PW') | default('hunter2', true) }}",
        "{{ env_var('SF_PW') | replace('', 'hunter2') }}",
        "{{ env_var('SF_PW') | trim ~ 'hunter2' }}",
    ],
)
def test_a_filter_that_adds_its_own_text_still_carries_the_credential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    assert check(tmp_path, monkeypatch, password) == (
        "manifest.yaml:8:21: ERROR FL501 [secret-literal] 'password' holds a literal "
        "credential; use \"{{ env_var('SNOWFLAKE_PASSWORD') }}\" or the compute's "
        "connection_secret_ref\n"
    )


@pytest.mark.parametrize("name", PURE_FILTERS)
def test_each_pure_filter_renders_in_dbt_and_the_config_reader_accepts_it(name: str) -> None:
    """dbt's profile environment has the filter, and runs nothing else for it."""
    value = f"{{{{ env_var('SF_PW') | {name} }}}}"
    assert is_reference(value)
    assert render(value) == ["env_var", name]
    assert not runs_jinja(value)


@given(references | near_references)
def test_a_reference_is_jinja_the_config_reader_accepts(value: str) -> None:
    """secrets and compute.jinja agree: what counts as a reference never runs more Jinja."""
    if is_reference(value):
        assert not runs_jinja(value), value
