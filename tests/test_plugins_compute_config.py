"""compute-config (FL208): a compute's config is checked against its plugin's JSON Schema,
at the exact line and column of the manifest."""

from __future__ import annotations

from typing import Any

MANIFEST = """\
plugins:
  compute:
    approved:
      - name: duckdb
        config:
          threads: eight
          memory_limt: 4GB
      - name: spark
        config:
          port: "{{ env_var('SPARK_PORT') | as_number }}"
          method: thrfit
      - name: postgres
        config: {dbname: analytics, password: hunter2}
    default: duckdb
"""


def _fl208(run: Any) -> list[tuple[int, int, str]]:
    return [(f["line"], f["column"], f["message"]) for f in run.named("compute-config")]


def test_typo_wrong_type_and_bad_enum_at_their_exact_places(lint: Any) -> None:
    found = _fl208(lint({"manifest.yaml": MANIFEST}))
    assert found == [
        (6, 20, "compute 'duckdb' config 'threads' must be an integer"),
        (
            7,
            11,
            "compute 'duckdb' has no config key 'memory_limt'; did you mean 'memory_limit'? "
            "(keys: path, memory_limit, extensions, settings, schema, threads, timeout_seconds, env_prefix)",
        ),
        (
            11,
            19,
            "compute 'spark' config 'method' must be one of thrift, http; did you mean 'thrift'?",
        ),
    ]


def test_templated_values_and_literal_secrets_are_left_to_dbt_and_secret_literal(
    lint: Any,
) -> None:
    run = lint({"manifest.yaml": MANIFEST})
    messages = " ".join(m for _, _, m in _fl208(run))
    assert "port" not in messages  # env_var() | as_number is resolved by dbt
    assert "hunter2" not in run.stdout
    assert [f["line"] for f in run.named("secret-literal")] == [13]


def test_a_domain_restating_config_is_checked_at_its_own_lines(lint: Any) -> None:
    run = lint(
        {
            "enterprise.yaml": """\
                scope: enterprise
                plugins: {compute: {approved: [duckdb], default: duckdb}}
            """,
            "domain-manifest.yaml": """\
                scope: domain
                parent_manifest: enterprise.yaml
                plugins:
                  compute:
                    approved:
                      - name: duckdb
                        config:
                          extensions: parquet
            """,
        }
    )
    [finding] = run.named("compute-config")
    assert finding["file"].endswith("domain-manifest.yaml")
    assert (finding["line"], finding["column"]) == (8, 23)
    assert finding["message"] == "compute 'duckdb' config 'extensions' must be a list"


def test_a_valid_config_and_a_bare_name_pass(lint: Any) -> None:
    run = lint(
        {
            "manifest.yaml": """\
                plugins:
                  compute:
                    approved:
                      - spark
                      - name: duckdb
                        config: {threads: 8, memory_limit: 4GB, extensions: [httpfs]}
                    default: duckdb
            """
        }
    )
    assert run.named("compute-config") == []
