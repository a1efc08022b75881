"""check-connections substitutes a credential's `{{ env_var('X') }}` through the pure filters
check accepts (secrets.PURE_FILTERS, `| default('')`), as dbt renders them."""

from __future__ import annotations

import pytest

from floe_lint.compute.plugin import PluginError, missing_env, resolve_env

ENV = {"PW": "  Hunter2\n"}


@pytest.mark.parametrize(
    ("value", "resolved"),
    [
        ("{{ env_var('PW') }}", "  Hunter2\n"),
        ("{{ env_var('PW') | trim }}", "Hunter2"),
        ("{{ env_var('PW')|trim|lower }}", "hunter2"),
        ("{{ env_var('PW') | trim | upper }}", "HUNTER2"),
        ("{{ env_var('PW') | as_text }}", "  Hunter2\n"),
        ("{{ env_var('PW') | as_number }}", "  Hunter2\n"),
        ("{{ env_var('UNSET') | default('') }}", ""),
        ("{{ env_var('UNSET', '') | trim }}", ""),
        ("x{{ env_var('PW') | trim }}y", "xHunter2y"),
    ],
)
def test_a_reference_through_pure_filters_is_substituted(value: str, resolved: str) -> None:
    assert resolve_env(value, ENV) == resolved


def test_an_unset_variable_without_a_default_is_named() -> None:
    with pytest.raises(PluginError, match="environment variable UNSET is not set"):
        resolve_env("{{ env_var('UNSET') | trim }}", ENV)
    assert missing_env({"password": "{{ env_var('UNSET') | trim }}"}, ENV) == ["UNSET"]
    assert missing_env({"password": "{{ env_var('UNSET') | default('') }}"}, ENV) == []
