"""Upstream Floe's code dialect: every construct is read, linked and checked at its exact place.

These tests drive the command line only (see tests/conftest.py), so they hold whatever the
module layout. ADR-0010 documents keep their own tests; here the same rules fire on files
written the way upstream Floe's demo, examples and fixtures are written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, run_cli, write_files

UPSTREAM = EXAMPLES / "floe-upstream-style"
BROKEN = EXAMPLES / "broken" / "upstream"

PLATFORM = """
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
plugins:
  compute:
    type: duckdb
    config: {threads: 4}
  orchestrator:
    type: dagster
"""

ENTERPRISE = """
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins:
  compute: {type: duckdb}
  orchestrator: {type: dagster}
approved_plugins:
  compute: [duckdb, snowflake]
  orchestrator: [dagster]
"""


def product(platform: str | None = "manifest.yaml", *transforms: str, name: str = "orders") -> str:
    lines = [
        "apiVersion: floe.dev/v1",
        "kind: FloeSpec",
        f"metadata: {{name: {name}, version: 1.0.0}}",
    ]
    if platform is not None:
        lines.append(f"platform: {{manifest: {platform}}}")
    lines.append("transforms:")
    lines.extend(f"  - {t}" for t in transforms or ("{name: stg_orders}",))
    return "\n".join(lines) + "\n"


def places(run: Any, name: str | None = None) -> list[tuple[str, str, int, int]]:
    return sorted(
        (f["name"], f["file"], f["line"], f["column"])
        for f in run.findings
        if name is None or f["name"] == name
    )


def only(run: Any, name: str) -> dict[str, Any]:
    found = run.named(name)
    assert len(found) == 1, f"expected one {name}, got {run.findings}"
    return found[0]


def at(finding: dict[str, Any]) -> tuple[str, int, int]:
    return finding["file"], finding["line"], finding["column"]


# --- the examples --------------------------------------------------------------------------


def test_the_upstream_style_example_lints_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(UPSTREAM)
    run = run_cli("check", ".", "--format", "json")
    assert run.findings == [], run.findings
    assert run.code == 0
    # 3 manifests (one JSON) and 3 products; three-tier/: 3 manifests and 3 products
    assert run.report["summary"]["files"] == 12


def test_upstream_style_products_are_linked_to_the_manifest_they_point_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transform on an engine its platform lacks is caught through `platform.manifest`."""
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(UPSTREAM, tree)
    orders = tree / "orders/floe.yaml"
    orders.write_text(orders.read_text().replace("compute: duckdb", "compute: snowflake"))
    invoices = tree / "mesh/sales/invoices/floe.yaml"
    invoices.write_text(invoices.read_text().replace("compute: snowflake", "compute: duckdb"))
    monkeypatch.chdir(tree)
    run = run_cli("check", ".", "--format", "json")
    assert places(run) == [
        ("compute-not-approved", "mesh/sales/invoices/floe.yaml", 12, 14),
        ("compute-not-approved", "orders/floe.yaml", 16, 14),
    ]
    messages = [f["message"] for f in run.findings]
    assert "transform 'mart_daily_orders' selects compute 'snowflake'" in messages[1]
    assert "platform 'northwind-platform'" in messages[1]
    assert "domain 'sales'" in messages[0]
    assert run.code == 1


def test_the_broken_upstream_style_example_fires_every_governance_rule_at_its_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(BROKEN)
    run = run_cli("check", ".", "--format", "json")
    assert places(run) == sorted(
        [
            ("approved-not-subset", "marketing/manifest.yaml", 11, 11),
            ("compute-not-approved", "marketing/leads/floe.yaml", 11, 14),
            ("compute-not-approved", "quickstart/floe.yaml", 10, 14),
            ("default-not-approved", "marketing/manifest.yaml", 21, 12),
            ("duplicate-transform", "marketing/leads/floe.yaml", 10, 11),
            ("duplicate-name", "repeats/floe.yaml", 15, 11),
            ("environment-key", "enterprise/manifest.yaml", 18, 1),
            ("mixed-dialect", "mixed/manifest.yaml", 11, 5),
            ("required-plugin-missing", "nightly/manifest.yaml", 8, 1),
            ("quality-provider-unknown", "nightly/manifest.yaml", 12, 15),
            ("schema-coerced", "nightly/manifest.yaml", 13, 28),
            ("platform-not-checked", "standalone/floe.yaml", 6, 1),
            ("plugin-not-approved", "marketing/manifest.yaml", 13, 11),
            ("own-plugin-not-approved", "selfish/manifest.yaml", 6, 19),
            ("connection-key", "marketing/leads/floe.yaml", 17, 7),
            ("product-not-approved", "marketing/leads/floe.yaml", 4, 9),
            ("schema-invalid", "marketing/leads/floe.yaml", 5, 12),
            ("scope-mismatch", "enterprise/manifest.yaml", 17, 1),
            ("secret-literal", "marketing/manifest.yaml", 19, 24),
            ("unknown-manifest-key", "enterprise/manifest.yaml", 20, 1),
            ("sink-not-approved", "marketing/leads/floe.yaml", 14, 16),
            ("scope-mismatch", "finance/manifest.yaml", 13, 1),
            ("approved-plugins-widened", "finance/manifest.yaml", 14, 27),
            ("pii-encryption-weakened", "finance/manifest.yaml", 16, 19),
            ("audit-logging-weakened", "finance/manifest.yaml", 17, 18),
            ("enforcement-level-weakened", "finance/manifest.yaml", 18, 29),
            ("retention-weakened", "finance/manifest.yaml", 19, 24),
            ("naming-enforcement-weakened", "finance/manifest.yaml", 20, 25),
            ("quality-gates-weakened", "finance/manifest.yaml", 21, 37),
            ("data-contracts-weakened", "finance/manifest.yaml", 22, 47),
            ("policy-overrides-added", "finance/manifest.yaml", 23, 22),
            ("governance-list-dropped", "finance/manifest.yaml", 15, 1),
            ("naming-pattern-replaced", "finance/manifest.yaml", 20, 41),
            ("naming-pattern-invalid", "finance/manifest.yaml", 20, 73),
            ("naming-pattern-unproven", "naming/manifest.yaml", 23, 66),
            ("security-controls-weakened", "finance/manifest.yaml", 24, 30),
            ("upstream-refuses", "marketing/leads/floe.yaml", 20, 5),
            ("upstream-description", "strict/payments/floe.yaml", 9, 3),
            ("upstream-dependency-cycle", "strict/payments/floe.yaml", 12, 17),
            ("upstream-missing-ref", "strict/payments/floe.yaml", 14, 17),
            ("upstream-naming", "strict/payments/floe.yaml", 15, 11),
            ("upstream-no-inheritance", "inherits/manifest.yaml", 13, 1),
            ("upstream-duckdb-path", "inherits/manifest.yaml", 17, 13),
            ("upstream-storage-config", "inherits/manifest.yaml", 20, 13),
            ("subject-regex-invalid", "enterprise/manifest.yaml", 36, 96),
            # from examples/broken/.floe-lint.yaml (its trusted roots and expired exception)
            ("untrusted-root", "standalone/floe.yaml", 1, 1),
            ("exception-expired", "../.floe-lint.yaml", 20, 5),
        ]
    )
    quickstart = next(f for f in run.findings if f["file"] == "quickstart/floe.yaml")
    assert quickstart["message"].startswith(
        "transform 'int_customer_orders' selects compute 'spark', which platform "
        "'quickstart-platform' does not approve"
    )
    severities = {f["name"]: f["severity"] for f in run.findings}
    assert severities["platform-not-checked"] == "warning"
    assert severities["unknown-manifest-key"] == "warning"
    assert run.code == 1


# --- manifests: compute selection, defaults, whitelists, scopes -----------------------------


def test_plugins_compute_type_is_the_one_approved_compute(lint) -> None:
    run = lint(
        {
            "manifest.yaml": PLATFORM,
            "floe.yaml": product(
                "manifest.yaml", "{name: stg_orders}", "{name: fct_orders, compute: snowflake}"
            ),
        }
    )
    f = only(run, "compute-not-approved")
    assert at(f) == ("floe.yaml", 7, 33)
    assert f["pointer"] == "/transforms/1/compute"
    assert "approved: duckdb" in f["message"]
    assert [(r["file"], r["line"]) for r in f["related"]] == [("manifest.yaml", 5)]
    assert len(run.findings) == 1


def test_defaults_compute_must_name_the_approved_compute(lint) -> None:
    run = lint({"manifest.yaml": PLATFORM + "defaults:\n  compute: spark\n"})
    f = only(run, "default-not-approved")
    assert at(f) == ("manifest.yaml", 11, 12)
    assert f["pointer"] == "/defaults/compute"
    assert "default compute 'spark' is not in the effective approved list" in f["message"]


def test_a_transform_without_compute_runs_on_defaults_compute(lint) -> None:
    """`defaults.compute` chooses the default, else `plugins.compute.type`."""
    run = lint(
        {
            "manifest.yaml": PLATFORM + "defaults:\n  compute: duckdb\n",
            "floe.yaml": product("manifest.yaml", "{name: a}", "{name: b, compute: duckdb}"),
        }
    )
    assert run.findings == [] and run.code == 0


def test_a_domain_without_plugins_compute_inherits_its_parents_selection(lint) -> None:
    run = lint(
        {
            "enterprise/manifest.yaml": ENTERPRISE,
            "sales/manifest.yaml": """
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
            scope: domain
            parent_manifest: ../enterprise/manifest.yaml
            plugins:
              orchestrator: {type: dagster}
            """,
            "sales/orders/floe.yaml": product(
                "../manifest.yaml",
                "{name: a}",
                "{name: b, compute: duckdb}",
                "{name: c, compute: snowflake}",
            ),
        }
    )
    assert places(run) == [
        ("compute-not-approved", "sales/orders/floe.yaml", 8, 24),
        # upstream's compile, given the domain alone, finds no orchestrator: said, as a warning
        ("upstream-no-inheritance", "sales/manifest.yaml", 6, 1),
    ]


def test_a_domain_compute_outside_the_enterprise_whitelist_is_approved_not_subset(lint) -> None:
    run = lint(
        {
            "enterprise/manifest.yaml": ENTERPRISE,
            "sales/manifest.yaml": """
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
            scope: domain
            parent_manifest: ../enterprise/manifest.yaml
            plugins:
              compute: {type: spark}
            """,
        }
    )
    f = only(run, "approved-not-subset")
    assert at(f) == ("sales/manifest.yaml", 7, 19)
    assert f["pointer"] == "/plugins/compute/type"
    assert "enterprise 'acme'" in f["message"] and "'spark'" in f["message"]
    assert "duckdb, snowflake" in f["message"]
    assert [(r["file"], r["line"]) for r in f["related"]] == [("enterprise/manifest.yaml", 9)]


def test_the_whitelist_covers_every_plugin_category_and_a_missing_category_is_unrestricted(
    lint,
) -> None:
    run = lint(
        {
            "enterprise/manifest.yaml": ENTERPRISE,
            "sales/manifest.yaml": """
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
            scope: domain
            parent_manifest: ../enterprise/manifest.yaml
            plugins:
              compute: {type: snowflake, config: {database: SALES}}
              orchestrator: {type: airflow}
              catalog: {type: glue}
            """,
        }
    )
    f = only(run, "plugin-not-approved")
    assert at(f) == ("sales/manifest.yaml", 8, 24)
    assert f["pointer"] == "/plugins/orchestrator/type"
    assert "orchestrator 'airflow'" in f["message"] and "dagster" in f["message"]
    assert len(run.findings) == 1  # catalog: not in approved_plugins, so any catalog is fine


def test_nested_domains_are_checked_against_the_enterprise_whitelist(lint) -> None:
    run = lint(
        {
            "enterprise/manifest.yaml": ENTERPRISE,
            "sales/manifest.yaml": """
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
            scope: domain
            parent_manifest: ../enterprise/manifest.yaml
            plugins:
              orchestrator: {type: dagster}
            """,
            "sales/emea/manifest.yaml": """
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {name: sales-emea, version: 1.0.0, owner: emea@acme.example}
            scope: domain
            parent_manifest: ../manifest.yaml
            plugins:
              compute: {type: duckdb}
              orchestrator: {type: prefect}
            """,
        }
    )
    assert places(run) == [("plugin-not-approved", "sales/emea/manifest.yaml", 8, 24)]
    assert "enterprise 'acme'" in run.findings[0]["message"]


@pytest.mark.parametrize(
    ("scope", "key", "value", "message"),
    [
        ("domain", "approved_plugins", "{compute: [duckdb]}", "an enterprise"),
        ("domain", "approved_sinks", "[rest_api]", "an enterprise"),
        ("enterprise", "approved_products", "[orders]", "a domain"),
        (None, "approved_plugins", "{compute: [duckdb]}", "an enterprise"),
    ],
)
def test_whitelists_belong_to_the_scope_upstream_defines(
    lint, scope: str | None, key: str, value: str, message: str
) -> None:
    files = {
        "enterprise.yaml": ENTERPRISE,
        "manifest.yaml": (
            "apiVersion: floe.dev/v1\nkind: Manifest\n"
            "metadata: {name: m, version: 1.0.0, owner: o}\n"
            + (f"scope: {scope}\n" if scope else "")
            + ("parent_manifest: enterprise.yaml\n" if scope == "domain" else "")
            + "plugins: {compute: {type: duckdb}}\n"
            + f"{key}: {value}\n"
        ),
    }
    run = lint(files)
    f = only(run, "scope-mismatch")
    line = 4 + (scope is not None) + (scope == "domain") + 1
    assert at(f) == ("manifest.yaml", line, 1)
    assert f["pointer"] == f"/{key}"
    assert f"only valid on {message}" in f["message"]


def test_a_product_missing_from_its_domains_approved_products_is_reported(lint) -> None:
    domain = """
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
    scope: domain
    parent_manifest: ../enterprise/manifest.yaml
    plugins: {compute: {type: duckdb}}
    approved_products: [invoices, returns]
    """
    run = lint(
        {
            "enterprise/manifest.yaml": ENTERPRISE,
            "sales/manifest.yaml": domain,
            "sales/orders/floe.yaml": product("../manifest.yaml"),
            "sales/invoices/floe.yaml": product("../manifest.yaml", name="invoices"),
        }
    )
    f = only(run, "product-not-approved")
    assert at(f) == ("sales/orders/floe.yaml", 3, 18)
    assert f["pointer"] == "/metadata/name"
    assert "'orders'" in f["message"] and "invoices, returns" in f["message"]
    assert [(r["file"], r["line"]) for r in f["related"]] == [("sales/manifest.yaml", 7)]


# --- manifests: environments, unknown keys, secrets, other valid sections -------------------


def test_environment_keys_in_a_manifest_are_errors_pointing_at_floe_env(lint) -> None:
    run = lint({"manifest.yaml": PLATFORM + "env: dev\nprod:\n  compute: {type: snowflake}\n"})
    found = run.named("environment-key")
    assert sorted(at(f) for f in found) == [("manifest.yaml", 10, 1), ("manifest.yaml", 11, 1)]
    assert all("FLOE_ENV" in f["message"] for f in found)
    assert run.code == 1


def test_unknown_top_level_manifest_keys_are_warnings_as_upstream_warns(lint) -> None:
    run = lint({"manifest.yaml": PLATFORM + "cost_center: data-42\n"})
    f = only(run, "unknown-manifest-key")
    assert at(f) == ("manifest.yaml", 10, 1)
    assert f["severity"] == "warning"
    assert run.code == 0


def test_an_unknown_plugin_category_is_an_error_with_a_suggestion(lint) -> None:
    run = lint({"manifest.yaml": PLATFORM + "  lineage: {type: marquez}\n"})
    f = only(run, "schema-unknown-key")
    assert at(f) == ("manifest.yaml", 10, 3)
    assert "did you mean 'lineage_backend'?" in f["message"]


def test_literal_secrets_in_any_plugin_category_are_secret_literal(lint) -> None:
    run = lint(
        {
            "manifest.yaml": PLATFORM
            + "  catalog:\n    type: polaris\n    config:\n"
            + "      oauth2: {client_id: demo, client_secret: demo-secret}\n"
        }
    )
    f = only(run, "secret-literal")
    assert at(f) == ("manifest.yaml", 13, 48)
    assert "demo-secret" not in json.dumps(run.report)


def test_governance_observability_presets_and_artifacts_are_valid(lint) -> None:
    run = lint(
        {
            "manifest.yaml": PLATFORM
            + """
governance: {pii_encryption: required, audit_logging: enabled, data_retention_days: 30}
observability: {tracing: {enabled: true, exporter: otlp}, logging: {level: INFO}}
resource_presets:
  small: {requests: {cpu: 100m, memory: 256Mi}, limits: {cpu: 500m, memory: 512Mi}}
  flat: {cpu_request: 100m, cpu_limit: 500m, memory_request: 256Mi, memory_limit: 512Mi}
artifacts: {registry: {uri: "oci://registry.acme.example/floe", auth: {type: aws-irsa}}}
"""
        }
    )
    assert run.findings == []


def test_a_half_flat_resource_preset_is_reported(lint) -> None:
    run = lint(
        {
            "manifest.yaml": PLATFORM
            + "resource_presets:\n  small: {cpu_request: 100m, cpu_limit: 1}\n"
        }
    )
    # cpu_limit must be a string (a Kubernetes quantity); both memory keys are missing
    assert sorted(f["name"] for f in run.findings) == [
        "schema-required",
        "schema-required",
        "schema-type",
    ]
    assert {f["line"] for f in run.findings} == {11}


def test_a_manifest_missing_upstreams_required_metadata_is_reported(lint) -> None:
    run = lint(
        {
            "manifest.yaml": """
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {name: Acme_Platform}
            plugins: {compute: {type: duckdb}}
            """
        }
    )
    assert places(run) == [
        ("schema-invalid", "manifest.yaml", 3, 18),
        ("schema-required", "manifest.yaml", 3, 1),
        ("schema-required", "manifest.yaml", 3, 1),
    ]
    required = " ".join(f["message"] for f in run.named("schema-required"))
    assert "'version'" in required and "'owner'" in required


# --- products: platform.manifest, transforms by name, forbidden keys ------------------------


def test_platform_manifest_may_name_a_directory(lint) -> None:
    run = lint(
        {
            "platform/manifest.yaml": PLATFORM,
            "orders/floe.yaml": product("../platform", "{name: a, compute: spark}"),
        }
    )
    assert places(run) == [("compute-not-approved", "orders/floe.yaml", 6, 24)]


def test_an_unresolvable_platform_manifest_is_unresolved_ref(lint) -> None:
    run = lint({"floe.yaml": product("../nowhere/manifest.yaml")})
    f = only(run, "unresolved-ref")
    assert at(f) == ("floe.yaml", 4, 22)
    assert f["pointer"] == "/platform/manifest"
    assert "platform.manifest '../nowhere/manifest.yaml'" in f["message"]


def test_an_oci_platform_manifest_resolves_through_ref_and_warns_when_unpinned(lint) -> None:
    ref = "oci://registry.acme.example/floe/platform:latest"
    files = {
        "platform.yaml": PLATFORM,
        "floe.yaml": product(f'"{ref}"', "{name: a, compute: spark}"),
    }
    run = lint(files, "--ref", f"{ref}=platform.yaml")
    assert places(run) == [
        ("compute-not-approved", "floe.yaml", 6, 24),
        ("unpinned-ref", "floe.yaml", 4, 22),
    ]
    unresolved = lint(files, "--offline")  # no --ref and no cache: nothing to resolve it from
    assert sorted(f["name"] for f in unresolved.findings) == ["unpinned-ref", "unresolved-ref"]


def test_an_oci_platform_manifest_resolves_through_the_config_refs(lint) -> None:
    ref = "oci://registry.acme.example/floe/platform:v1"
    run = lint(
        {
            ".floe-lint.yaml": f'refs:\n  "{ref}": platform.yaml\nignore: [unpinned-ref]\n',
            "platform.yaml": PLATFORM,
            "floe.yaml": product(f'"{ref}"', "{name: a, compute: spark}"),
        }
    )
    assert places(run) == [("compute-not-approved", "floe.yaml", 6, 24)]


def test_duplicate_transform_names_are_reported_by_name(lint) -> None:
    run = lint(
        {
            "manifest.yaml": PLATFORM,
            "floe.yaml": product(
                "manifest.yaml", "{name: stg_orders}", "{name: stg_orders, tags: [x]}"
            ),
        }
    )
    f = only(run, "duplicate-transform")
    assert at(f) == ("floe.yaml", 7, 12)
    assert f["pointer"] == "/transforms/1/name"
    assert "'stg_orders'" in f["message"]
    assert [(r["file"], r["line"]) for r in f["related"]] == [("floe.yaml", 6)]


def test_every_upstream_transform_and_product_field_is_valid(lint) -> None:
    run = lint(
        {
            "manifest.yaml": PLATFORM,
            "floe.yaml": """
            apiVersion: floe.dev/v1
            kind: FloeSpec
            metadata:
              name: orders
              version: 1.2.3
              description: Orders
              owner: team@acme.example
              labels: {domain: sales}
            platform: {manifest: manifest.yaml}
            transforms:
              - name: stg_orders
                tags: [staging]
                tier: bronze
              - name: int_orders
                dependsOn: [stg_orders]
                tier: silver
                qualityChecks:
                  - {name: id_not_null, type: not_null, column: id, dimension: completeness, severity: critical}
              - name: fct_orders
                compute: duckdb
                depends_on: [int_orders]
                tier: gold
            schedule: {cron: "0 6 * * *", timezone: UTC, enabled: true}
            output_ports:
              - name: orders
                schema: [{name: id, type: string, primaryKey: true, required: true}]
            destinations:
              - {name: crm-sync, sink_type: rest_api, connection_secret_ref: crm-api-key, batch_size: 100}
            """,
        }
    )
    # valid to floe-lint; the output port's column list is what floe-core refuses (a warning)
    assert [(f["rule"], f["line"], f["column"]) for f in run.findings] == [("FL701", 26, 5)]


def test_a_top_level_name_is_adr_0010s_shape_in_an_upstream_product(lint) -> None:
    run = lint(
        {
            "manifest.yaml": PLATFORM,
            "floe.yaml": product("manifest.yaml") + "name: orders\n",
        }
    )
    f = only(run, "mixed-dialect")
    assert at(f) == ("floe.yaml", 7, 1)
    assert "'name' is ADR-0010's shape" in f["message"]
    assert [r["pointer"] for r in f["related"]] == ["/platform/manifest"]


@pytest.mark.parametrize(
    ("metadata", "column"),
    [("{name: Orders, version: 1.0.0}", 18), ("{name: orders, version: '1.0'}", 35)],
)
def test_product_name_and_version_are_checked_as_upstream_checks_them(
    lint, metadata: str, column: int
) -> None:
    text = product("manifest.yaml").replace("{name: orders, version: 1.0.0}", metadata)
    run = lint({"manifest.yaml": PLATFORM, "floe.yaml": text})
    f = only(run, "schema-invalid")
    assert at(f) == ("floe.yaml", 3, column)


def test_connection_and_credential_keys_are_forbidden_anywhere_in_a_product(lint) -> None:
    run = lint(
        {
            "manifest.yaml": PLATFORM,
            "floe.yaml": product("manifest.yaml")
            + "destinations:\n"
            + "  - name: crm\n    sink_type: rest_api\n    connection_secret_ref: crm-api-key\n"
            + "    config: {host: crm.acme.example, API_KEY: abc}\n",
        }
    )
    found = run.named("connection-key")
    assert sorted(at(f) for f in found) == [("floe.yaml", 11, 14), ("floe.yaml", 11, 38)]
    assert "platform manifest" in found[0]["message"]
    assert "abc" not in json.dumps(run.report)


# --- a product without a platform reference -------------------------------------------------


def test_without_any_platform_a_product_gets_a_not_checked_warning(lint) -> None:
    run = lint({"orders/floe.yaml": product(None, "{name: a, compute: spark}")})
    f = only(run, "platform-not-checked")
    assert at(f) == ("orders/floe.yaml", 4, 1)
    assert f["severity"] == "warning"
    assert "--manifest" in f["message"] and "not checked" in f["message"]
    assert run.code == 0


def test_a_manifest_yaml_beside_the_product_is_its_platform(lint) -> None:
    run = lint(
        {
            "orders/manifest.yaml": PLATFORM,
            "orders/floe.yaml": product(None, "{name: a, compute: spark}"),
        }
    )
    assert places(run) == [("compute-not-approved", "orders/floe.yaml", 5, 24)]


def test_check_manifest_names_the_platform_of_products_without_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": PLATFORM,
            "orders/floe.yaml": product(None, "{name: a, compute: spark}"),
        },
    )
    monkeypatch.chdir(tmp_path / "orders")
    run = run_cli(
        "check", "floe.yaml", "--manifest", "../platform/manifest.yaml", "--format", "json"
    )
    assert places(run) == [("compute-not-approved", "floe.yaml", 5, 24)]
    assert "platform 'acme-platform'" in run.findings[0]["message"]


def test_check_manifest_takes_an_oci_ref_resolved_through_ref(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = "oci://registry.acme.example/floe/platform@sha256:" + "a" * 64
    write_files(
        tmp_path,
        {"platform.yaml": PLATFORM, "floe.yaml": product(None, "{name: a, compute: spark}")},
    )
    monkeypatch.chdir(tmp_path)
    run = run_cli(
        "check", "floe.yaml", "--manifest", ref, "--ref", f"{ref}=platform.yaml", "--format", "json"
    )
    assert places(run) == [("compute-not-approved", "floe.yaml", 5, 24)]


def test_check_manifest_that_cannot_be_read_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {"floe.yaml": product(None)})
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "floe.yaml", "--manifest", "missing.yaml")
    assert run.code == 2
    assert "missing.yaml" in run.stderr and "Traceback" not in run.stderr


def test_the_config_manifest_key_names_the_platform_of_products_without_one(lint) -> None:
    run = lint(
        {
            ".floe-lint.yaml": "manifest: platform/manifest.yaml\n",
            "platform/manifest.yaml": PLATFORM,
            "orders/floe.yaml": product(None, "{name: a, compute: spark}"),
        }
    )
    assert places(run) == [("compute-not-approved", "orders/floe.yaml", 5, 24)]


def test_a_products_own_platform_manifest_wins_over_check_manifest(lint) -> None:
    other = PLATFORM.replace("type: duckdb", "type: spark").replace("acme-platform", "other")
    run = lint(
        {
            "platform.yaml": PLATFORM,
            "other.yaml": other,
            "floe.yaml": product("other.yaml", "{name: a, compute: spark}"),
        },
        "--manifest",
        "platform.yaml",
    )
    assert run.findings == []


# --- which files are Floe's ------------------------------------------------------------------


def test_documents_of_another_kind_and_helm_values_are_not_ours(lint) -> None:
    run = lint(
        {
            "manifest.yaml": PLATFORM,
            "environments/dev.yaml": """
            apiVersion: floe.dev/v1alpha1
            kind: PlatformEnvironmentContract
            metadata: {name: floe-dev}
            environment: {name: dev}
            plugins:
              orchestrator: {default: dagster}
            """,
            "charts/floe-platform/values.yaml": """
            global: {image: ghcr.io/acme/floe-jobs}
            defaults: {compute: spark}
            secrets: []
            platform:
              releaseName: ""
              servicePrefix: floe-platform
            """,
            "validation.yaml": "kind: ValidationSpec\nplugins: [a]\n",
        }
    )
    assert run.findings == []
    assert run.report["summary"]["files"] == 1


def test_a_misspelt_kind_is_still_ours_and_reported(lint) -> None:
    run = lint({"platform.yaml": PLATFORM.replace("kind: Manifest", "kind: Manifset")})
    f = only(run, "schema-enum")
    assert at(f) == ("platform.yaml", 2, 7)
    assert "did you mean 'Manifest'?" in f["message"]


def test_a_json_manifest_is_linted_when_named_and_when_discovered_with_exact_lines(
    lint, tmp_path: Path
) -> None:
    manifest = json.dumps(
        {
            "apiVersion": "floe.dev/v1",
            "kind": "Manifest",
            "metadata": {"name": "golden", "version": "1.0.0", "owner": "o"},
            "scope": "enterprise",
            "plugins": {"compute": {"type": "duckdb"}, "orchestrator": {"type": "dagster"}},
            "approved_plugins": {"orchestrator": ["dagster"]},
            "env": "prod",
        },
        indent=2,
    )
    files = {
        "v1.0_manifest.json": manifest,
        "package.json": '{"name": "site", "plugins": {"compute": {"type": "x"}}}',
        "floe.lock": '{"version": 1, "refs": {}}',
    }
    discovered = lint(files)
    f = only(discovered, "environment-key")
    assert at(f) == ("v1.0_manifest.json", 23, 3)
    assert len(discovered.findings) == 1
    assert discovered.report["summary"]["files"] == 1
    named = run_cli("check", str(tmp_path / "v1.0_manifest.json"), "--format", "json")
    assert [(x["name"], x["line"], x["column"]) for x in named.findings] == [
        ("environment-key", 23, 3)
    ]


def test_a_json_product_is_linted_with_exact_lines(lint) -> None:
    spec = json.dumps(
        {
            "apiVersion": "floe.dev/v1",
            "kind": "FloeSpec",
            "metadata": {"name": "orders", "version": "1.0.0"},
            "platform": {"manifest": "manifest.yaml"},
            "transforms": [{"name": "a", "compute": "spark"}],
        },
        indent=2,
    )
    run = lint({"manifest.yaml": PLATFORM, "floe.json": spec})
    assert places(run) == [("compute-not-approved", "floe.json", 14, 18)]


def test_a_named_file_that_is_not_valid_json_is_reported_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "manifest.json").write_text('{"apiVersion": "floe.dev/v1",\n  "kind": }\n')
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "manifest.json", "--format", "json")
    assert [(f["name"], f["line"]) for f in run.findings] == [("yaml-syntax", 2)]
    assert run.code == 1


# --- mixing dialects -------------------------------------------------------------------------

ADR_ENTERPRISE = """
scope: enterprise
metadata: {name: acme}
plugins:
  compute:
    approved: [duckdb, {name: snowflake, config: {database: ANALYTICS}}]
    default: duckdb
"""


def test_an_adr_domain_under_a_code_dialect_enterprise(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "sales.yaml": """
            scope: domain
            metadata: {name: sales}
            parent_manifest: enterprise.yaml
            plugins:
              compute:
                approved: [duckdb, spark]
                default: duckdb
            """,
            "floe.yaml": """
            name: orders
            platform: {ref: sales.yaml}
            transforms:
              - {type: dbt, path: models/a/}
              - {type: dbt, path: models/b/, compute: snowflake}
            """,
        }
    )
    assert places(run) == [
        ("approved-not-subset", "sales.yaml", 6, 24),
        ("compute-not-approved", "floe.yaml", 5, 43),
    ]
    assert "duckdb, snowflake" in run.named("approved-not-subset")[0]["message"]


def test_a_code_dialect_domain_under_an_adr_enterprise(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ADR_ENTERPRISE,
            "sales/manifest.yaml": """
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
            scope: domain
            parent_manifest: ../enterprise.yaml
            plugins:
              compute: {type: spark}
            """,
            "marketing/manifest.yaml": """
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {name: marketing, version: 1.0.0, owner: m@acme.example}
            scope: domain
            parent_manifest: ../enterprise.yaml
            plugins:
              orchestrator: {type: dagster}
            """,
            "marketing/leads/floe.yaml": product(
                "../manifest.yaml",
                "{name: a}",
                "{name: b, compute: snowflake}",
                "{name: c, compute: spark}",
            ),
        }
    )
    assert places(run) == [
        ("approved-not-subset", "sales/manifest.yaml", 7, 19),
        ("compute-not-approved", "marketing/leads/floe.yaml", 8, 24),
        # sales' default is its one compute: one cause, reported once (approved-not-subset)
    ]


def test_an_adr_product_on_a_code_dialect_platform_and_the_reverse(lint) -> None:
    run = lint(
        {
            "upstream/manifest.yaml": PLATFORM,
            "adr/manifest.yaml": "plugins: {compute: {approved: [spark], default: spark}}\n",
            "adr-product/floe.yaml": """
            name: orders
            platform: {ref: ../upstream/manifest.yaml}
            transforms: [{path: models/a/}, {path: models/b/, compute: spark}]
            """,
            "upstream-product/floe.yaml": product(
                "../adr/manifest.yaml", "{name: a}", "{name: b, compute: duckdb}"
            ),
        }
    )
    assert places(run) == [
        ("compute-not-approved", "adr-product/floe.yaml", 3, 60),
        ("compute-not-approved", "upstream-product/floe.yaml", 7, 24),
    ]


def test_a_document_that_mixes_both_dialects_is_a_finding_not_a_guess(lint) -> None:
    run = lint(
        {
            "manifest.yaml": """
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {name: acme, version: 1.0.0, owner: o}
            plugins:
              compute:
                type: duckdb
                approved: [duckdb, spark]
            """
        }
    )
    f = only(run, "mixed-dialect")
    assert at(f) == ("manifest.yaml", 7, 5)
    assert "dialect:" in f["message"]
    assert f["severity"] == "error"


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("floe", [("compute-not-approved", "floe.yaml", 6, 24)]),
        ("auto", [("compute-not-approved", "floe.yaml", 6, 24)]),
        ("adr-0010", None),
    ],
)
def test_the_dialect_config_key_pins_how_documents_are_read(
    lint, dialect: str, expected: list[Any] | None
) -> None:
    run = lint(
        {
            ".floe-lint.yaml": f"dialect: {dialect}\n",
            "manifest.yaml": PLATFORM,
            "floe.yaml": product("manifest.yaml", "{name: a, compute: spark}"),
        }
    )
    if expected is not None:
        assert places(run) == expected
    else:  # read as ADR-0010, the upstream files are full of schema errors
        names = {f["name"] for f in run.findings}
        assert {"schema-required", "schema-unknown-key"} <= names
        assert "compute-not-approved" not in names


def test_dialect_floe_reads_a_document_without_markers_in_the_code_dialect(lint) -> None:
    run = lint(
        {".floe-lint.yaml": "dialect: floe\n", "manifest.yaml": "plugins: {}\n"},
    )
    assert {f["name"] for f in run.findings} == {"schema-required"}
    assert "'apiVersion'" in " ".join(f["message"] for f in run.findings)


def test_an_unknown_dialect_in_the_config_is_a_usage_error(lint) -> None:
    run = lint({".floe-lint.yaml": "dialect: upstream\n", "manifest.yaml": PLATFORM})
    assert run.code == 2
    assert ".floe-lint.yaml:1:1: 'dialect' must be one of auto, adr-0010, floe" in run.stderr


def test_the_config_prints_its_dialect_and_manifest(lint) -> None:
    lint({".floe-lint.yaml": "dialect: floe\nmanifest: platform.yaml\n"})
    run = run_cli("config")
    assert "dialect: floe" in run.stdout
    assert "\nmanifest: platform.yaml\n" in run.stdout  # relative to the config, as written


# --- schemas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["manifest-floe", "floe-floe"])
def test_the_code_dialect_schemas_are_printable(name: str) -> None:
    run = run_cli("schema", name)
    assert run.code == 0
    schema = json.loads(run.stdout)
    assert schema["$id"].endswith(f"/{name}.json")


def test_destinations_are_held_to_the_enterprises_approved_sinks(lint) -> None:
    destination = (
        "destinations:\n  - {name: crm, sink_type: salesforce, connection_secret_ref: crm-key}\n"
    )
    files = {"floe.yaml": product("manifest.yaml") + destination}
    approved = lint({**files, "manifest.yaml": ENTERPRISE + "approved_sinks: [rest_api]\n"})
    f = only(approved, "sink-not-approved")
    assert at(f) == ("floe.yaml", 8, 28)
    assert "rest_api" in f["message"]
    unrestricted = lint({**files, "manifest.yaml": ENTERPRISE})
    assert unrestricted.findings == []  # no approved_sinks: any sink
