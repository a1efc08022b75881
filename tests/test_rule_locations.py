"""Each rule reports the exact place: file, 1-based line and column, and JSON pointer."""

from __future__ import annotations

from typing import Any

from tests.conftest import ENTERPRISE

DOMAIN = """
scope: domain
metadata: {name: sales}
parent_manifest: enterprise.yaml
plugins:
  compute:
    approved: [duckdb, spark]
"""


def only(run: Any, name: str) -> dict[str, Any]:
    found = run.named(name)
    assert len(found) == 1, f"expected one {name}, got {run.findings}"
    return found[0]


def at(finding: dict[str, Any]) -> tuple[str, int, int]:
    return finding["file"], finding["line"], finding["column"]


def test_compute_not_approved_points_at_the_compute_value_and_names_the_remover(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "domain.yaml": DOMAIN,
            "floe.yaml": """
            name: orders
            platform: {ref: domain.yaml}
            transforms:
              - type: dbt
                path: models/x/
                compute: snowflake
            """,
        }
    )
    f = only(run, "compute-not-approved")
    assert at(f) == ("floe.yaml", 6, 14)
    assert (f["end_line"], f["end_column"]) == (6, 23)
    assert f["pointer"] == "/transforms/0/compute"
    assert "enterprise 'acme' approves it, but domain 'sales' removed it" in f["message"]
    assert [(r["file"], r["line"]) for r in f["related"]] == [("domain.yaml", 6)]
    assert run.code == 1


def test_compute_not_approved_suggests_the_case_correct_name(lint) -> None:
    run = lint(
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
            "floe.yaml": "name: x\nplatform: {ref: manifest.yaml}\ntransforms: [{path: a/, compute: Spark}]\n",
        }
    )
    assert "did you mean 'spark'?" in only(run, "compute-not-approved")["message"]


def test_approved_not_subset_is_transitive_and_case_sensitive(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "domain.yaml": DOMAIN,
            "team.yaml": """
            scope: domain
            parent_manifest: domain.yaml
            plugins:
              compute:
                approved: [Spark, snowflake]
                default: snowflake
            """,
        }
    )
    found = sorted(at(f) for f in run.named("approved-not-subset"))
    assert found == [("team.yaml", 5, 16), ("team.yaml", 5, 23)]
    messages = " ".join(f["message"] for f in run.named("approved-not-subset"))
    assert "did you mean 'spark'?" in messages
    assert "domain 'sales'" in messages


def test_inherited_default_excluded_by_the_child_is_reported_at_the_child(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "domain.yaml": DOMAIN.replace("[duckdb, spark]", "[spark]"),
        }
    )
    f = only(run, "default-not-approved")
    assert at(f) == ("domain.yaml", 6, 5)
    assert "inherits default compute 'duckdb' from enterprise 'acme'" in f["message"]
    assert f["related"][0]["file"] == "enterprise.yaml"


def test_own_default_outside_the_list_points_at_the_default(lint) -> None:
    run = lint(
        {"manifest.yaml": "plugins:\n  compute:\n    approved: [duckdb]\n    default: spark\n"}
    )
    assert at(only(run, "default-not-approved")) == ("manifest.yaml", 4, 14)


def test_missing_default_points_at_the_transform(lint) -> None:
    run = lint(
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb]}}\n",
            "floe.yaml": "name: x\nplatform: {ref: manifest.yaml}\ntransforms:\n  - type: dbt\n    path: a/\n",
        }
    )
    f = only(run, "missing-default")
    assert at(f) == ("floe.yaml", 4, 5)
    assert f["pointer"] == "/transforms/0"


def test_unknown_compute_duplicate_compute_and_duplicate_transform_locations(lint) -> None:
    run = lint(
        {
            "manifest.yaml": "plugins:\n  compute:\n    approved: [duckdb, duckbd, duckdb]\n"
            "    default: duckdb\n",
            "floe.yaml": "name: x\nplatform: {ref: manifest.yaml}\ntransforms:\n"
            "  - {path: models/a/}\n  - {path: ./models/a}\n",
        }
    )
    assert at(only(run, "unknown-compute")) == ("manifest.yaml", 3, 24)
    assert "did you mean 'duckdb'?" in only(run, "unknown-compute")["message"]
    dup = only(run, "duplicate-compute")
    assert at(dup) == ("manifest.yaml", 3, 32)
    assert (dup["related"][0]["line"], dup["related"][0]["column"]) == (3, 16)
    assert at(only(run, "duplicate-transform")) == ("floe.yaml", 5, 12)


def test_parent_cycle_including_self_reference(lint) -> None:
    run = lint(
        {
            "manifest.yaml": "scope: domain\nparent_manifest: manifest.yaml\n"
            "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
        }
    )
    f = only(run, "parent-cycle")
    assert at(f) == ("manifest.yaml", 2, 18)
    assert f["pointer"] == "/parent_manifest"


def test_scope_mismatch_for_each_shape(lint) -> None:
    run = lint(
        {
            "root.yaml": ENTERPRISE,
            "e.yaml": ENTERPRISE.replace(
                "scope: enterprise", "scope: enterprise\nparent_manifest: root.yaml"
            ),
            "d.yaml": ENTERPRISE.replace("scope: enterprise", "scope: domain"),
            "c.yaml": ENTERPRISE.replace("scope: enterprise", "parent_manifest: root.yaml"),
        }
    )
    assert sorted(at(f) for f in run.named("scope-mismatch")) == [
        ("c.yaml", 1, 1),
        ("d.yaml", 1, 8),
        ("e.yaml", 2, 1),
    ]


def test_unresolved_ref_is_an_error_at_the_referencing_line(lint) -> None:
    run = lint(
        {
            "floe.yaml": "name: x\nplatform:\n  ref: oci://reg.example/platform:1.0\ntransforms: [{path: a/}]\n",
            "sub/manifest.yaml": "scope: domain\nparent_manifest: ../nope.yaml\n"
            "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
        },
        "--offline",  # the registry is never asked (tests use no DNS)
    )
    found = sorted(at(f) for f in run.named("unresolved-ref"))
    assert found == [("floe.yaml", 3, 8), ("sub/manifest.yaml", 2, 18)]
    assert run.code == 1


def test_ref_override_resolves_an_oci_ref(lint, tmp_path) -> None:
    files = {
        "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
        "product/floe.yaml": "name: x\nplatform:\n  ref: oci://reg.example/platform:1.0\n"
        "transforms: [{path: a/, compute: spark}]\n",
    }
    run = lint(files, "--ref", "oci://reg.example/platform:1.0=platform/manifest.yaml")
    assert not run.named("unresolved-ref")
    assert at(only(run, "compute-not-approved")) == ("product/floe.yaml", 4, 34)


def test_unpinned_ref_is_a_warning_and_digests_are_fine(lint) -> None:
    digest = "sha256:" + "a" * 64
    run = lint(
        {
            "a/floe.yaml": "name: a\nplatform: {ref: 'oci://reg.example/p'}\ntransforms: [{path: x/}]\n",
            "b/floe.yaml": f"name: b\nplatform: {{ref: 'oci://reg.example/p@{digest}'}}\n"
            "transforms: [{path: x/}]\n",
            "c/floe.yaml": "name: c\nplatform: {ref: 'oci://reg.example/p:v1.2.3'}\ntransforms: [{path: x/}]\n",
        },
        "--offline",
    )
    found = run.named("unpinned-ref")
    assert [(f["file"], f["severity"]) for f in found] == [("a/floe.yaml", "warning")]


def test_environment_override_variants(lint) -> None:
    manifest = "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n"
    run = lint(
        {
            "manifest.yaml": manifest,
            "floe.yaml": """
            name: x
            platform: {ref: manifest.yaml}
            transforms:
              - {path: a/, compute: "${COMPUTE}"}
              - {path: b/, compute: duckdb}
              - {path: c/}
            environments:
              prod:
                transforms:
                  - {path: b/, compute: duckdb}
                  - {path: c/, compute: spark}
            """,
            "floe.dev.yaml": "transforms:\n  - {path: b/, compute: spark}\n",
        }
    )
    found = sorted(at(f) for f in run.named("environment-override"))
    assert found == [("floe.dev.yaml", 2, 25), ("floe.yaml", 4, 25), ("floe.yaml", 11, 29)]


def test_env_var_in_connection_config_is_not_an_override(lint) -> None:
    run = lint(
        {
            "manifest.yaml": """
            plugins:
              compute:
                approved:
                  - name: postgres
                    config:
                      host: "{{ env_var('PG_HOST') }}"
                      password: "{{ env_var('PG_PASSWORD') }}"
                      dbname: analytics
                default: postgres
            """
        }
    )
    assert run.findings == []
    assert run.code == 0


def test_secret_literal_never_shows_the_value(lint, tmp_path) -> None:
    files = {
        "manifest.yaml": """
        plugins:
          compute:
            approved:
              - name: snowflake
                config: {account: acme, private_key: sup3rs3cret, token: 12345678}
            default: snowflake
        """
    }
    run = lint(files)
    found = run.named("secret-literal")
    assert sorted(f["pointer"].rsplit("/", 1)[1] for f in found) == ["private_key", "token"]
    assert "sup3rs3cret" not in run.stdout and "12345678" not in run.stdout
    from tests.conftest import run_cli

    text = run_cli("check", ".", "--show-source")
    assert "sup3rs3cret" not in text.stdout + text.stderr
    assert "SNOWFLAKE_PRIVATE_KEY" in text.stdout
    assert "***" in text.stdout


def test_yaml_syntax_and_duplicate_key_positions(lint) -> None:
    run = lint(
        {
            "floe.yaml": "name: x\ntransforms:\n  - path: a/\n   compute: duckdb\n",
            "manifest.yaml": "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
            "    default: spark\n",
        }
    )
    assert at(only(run, "yaml-syntax")) == ("floe.yaml", 4, 4)
    dup = only(run, "duplicate-key")
    assert at(dup) == ("manifest.yaml", 5, 5)
    assert dup["related"][0]["line"] == 4


def test_schema_findings_point_at_keys_values_and_parents(lint) -> None:
    run = lint(
        {
            "manifest.yaml": "scope: enterprize\nplugins:\n  compute:\n    approved: []\n    defualt: x\n",
            "floe.yaml": "name: x\nversion: 1.0\nplatform: {}\ntransforms:\n  - type: dbt\n",
        }
    )
    enum = only(run, "schema-enum")
    assert at(enum) == ("manifest.yaml", 1, 8) and "did you mean 'enterprise'?" in enum["message"]
    assert at(only(run, "schema-empty-list")) == ("manifest.yaml", 4, 15)
    unknown = only(run, "schema-unknown-key")
    assert (
        at(unknown) == ("manifest.yaml", 5, 5) and "did you mean 'default'?" in unknown["message"]
    )
    assert at(only(run, "schema-type")) == ("floe.yaml", 2, 10)
    required = sorted(at(f) for f in run.named("schema-required"))
    assert required == [("floe.yaml", 3, 1), ("floe.yaml", 5, 5)]


def test_a_parent_finding_is_reported_once_however_many_products_share_it(lint) -> None:
    product = "name: {n}\nplatform: {{ref: ../manifest.yaml}}\ntransforms: [{{path: a/}}]\n"
    run = lint(
        {
            "manifest.yaml": "plugins:\n  compute:\n    approved: [duckdb]\n    default: spark\n",
            **{f"p{n}/floe.yaml": product.format(n=n) for n in range(5)},
        }
    )
    assert [at(f) for f in run.named("default-not-approved")] == [("manifest.yaml", 4, 14)]


def test_only_the_product_given_still_loads_its_parents(tmp_path, monkeypatch) -> None:
    from tests.conftest import run_cli, write_files

    write_files(
        tmp_path,
        {
            "platform/enterprise.yaml": ENTERPRISE,
            "platform/domain.yaml": DOMAIN.replace("[duckdb, spark]", "[duckdb, bigquery]"),
            "product/floe.yaml": "name: x\nplatform: {ref: ../platform/domain.yaml}\n"
            "transforms: [{path: a/, compute: spark}]\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "product/floe.yaml", "--format", "json")
    assert {(f["name"], f["file"]) for f in run.findings} == {
        ("compute-not-approved", "product/floe.yaml"),
        ("approved-not-subset", "platform/domain.yaml"),
    }


def test_a_per_environment_file_given_alone_is_compared_with_its_base(
    tmp_path, monkeypatch
) -> None:
    from tests.conftest import run_cli, write_files

    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
            "floe.yaml": "name: x\nplatform: {ref: manifest.yaml}\ntransforms: [{path: a/, compute: duckdb}]\n",
            "floe.prod.yaml": "transforms: [{path: a/, compute: spark}]\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "floe.prod.yaml", "--format", "json")
    assert [at(f) for f in run.named("environment-override")] == [("floe.prod.yaml", 1, 34)]
