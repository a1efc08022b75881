"""Compute plugins: the seed ADR's `ComputePlugin` contract and the registry of engines.

Until the plugin modules land, the registry knows the seven engines of ADR-0010 by name so
that `unknown-compute` can already tell a typo from a real engine.
"""

from __future__ import annotations

from functools import cache

BUILTIN_ENGINES = ("bigquery", "databricks", "duckdb", "postgres", "redshift", "snowflake", "spark")


@cache
def known_compute_names() -> frozenset[str]:
    """Names of every compute engine a plugin is installed for."""
    return frozenset(BUILTIN_ENGINES)
