"""compute-config words a config's problems from `schema_errors` where it judges them exactly,
without importing jsonschema: the problems are exactly those jsonschema's errors give, for
random configs of every built-in plugin (unknown keys, wrong types, enum values, templates,
credentials, nested values)."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.compute import config_check
from floe_lint.compute.plugin import BUILTIN_ENGINES, plugin_named
from floe_lint.load import schema_errors

SCALARS = st.one_of(
    st.sampled_from(
        ["x", "", "thrift", "http", "oauth", "require", "{{ env_var('P') }}", "4GB", "COMPUTE_WH"]
    ),
    st.integers(-3, 70_000),
    st.sampled_from([0.5, 1.0, True, False, None]),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=2),
    st.dictionaries(st.sampled_from(["a", "threads", "k"]), SCALARS, max_size=2),
)


@st.composite
def configs(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(BUILTIN_ENGINES))
    plugin = plugin_named(name)
    assert plugin is not None
    properties = plugin.config_schema.get("properties", {})
    keys = st.one_of(
        st.sampled_from(sorted(properties)), st.sampled_from(["memory_limt", "acount", "x"])
    )
    config: dict[str, Any] = {}
    for key in draw(st.lists(keys, min_size=1, max_size=5)):
        enum = properties.get(key, {}).get("enum")
        if enum and draw(st.booleans()):
            config[key] = draw(st.sampled_from([*enum, "thrfit"]))
        else:
            config[key] = draw(VALUES)
    return name, config


def _jsonschema_only(schema: dict[str, Any], data: Any) -> list[Any]:
    raise schema_errors.Unsupported("asked of jsonschema, as before")


@settings(max_examples=400, deadline=None)
@given(case=configs())
def test_problems_without_jsonschema_are_jsonschemas(case: tuple[str, dict[str, Any]]) -> None:
    name, config = case
    fast = list(config_check.problems(name, config))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schema_errors, "errors", _jsonschema_only)
        slow = list(config_check.problems(name, config))
    assert fast == slow, config


def test_an_unknown_key_is_worded_without_importing_jsonschema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sys.modules, "jsonschema", raising=False)
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # an import would fail
    found = list(config_check.problems("spark", {"account": "x", "threads": "eight"}))
    assert [(p.path, p.message, p.at) for p in found] == [
        (
            ("account",),
            "compute 'spark' has no config key 'account' (keys: host, cluster, user, password, "
            "token, port, schema, method, auth, http_cluster, use_ssl, connect_retries, "
            "connect_timeout, threads, timeout_seconds, env_prefix)",
            "key",
        ),
        (("threads",), "compute 'spark' config 'threads' must be an integer", "value"),
    ]
