"""An environment overlay may not change what decides a product's compute: its platform, a
domain's parent, or upstream's `plugins.compute.type` and `defaults.compute` (issue 16)."""

from __future__ import annotations

from typing import Any

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
LENIENT = "plugins: {compute: {approved: [snowflake], default: snowflake}}\n"
UPSTREAM = "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: %s, version: 1.0.0, owner: a@b.example}\n"
ENTERPRISE = UPSTREAM % "acme" + (
    "scope: enterprise\nplugins: {compute: {type: duckdb}}\napproved_plugins: {compute: [duckdb]}\n"
)
DOMAIN = UPSTREAM % "sales" + (
    "scope: domain\nparent_manifest: ../enterprise/manifest.yaml\n"
    "plugins: {compute: {type: duckdb}}\ndefaults: {compute: duckdb}\n"
)


def found(run: Any) -> list[tuple[str, int, int, str, list[tuple[str, int]]]]:
    return [
        (
            f["file"],
            f["line"],
            f["column"],
            f["message"],
            [(r["file"], r["line"]) for r in f["related"]],
        )
        for f in run.named("environment-override")
    ]


def test_a_per_environment_file_may_not_move_a_product_to_another_platform(lint) -> None:
    run = lint(
        {
            "manifest.yaml": MANIFEST,
            "lenient.yaml": LENIENT,
            "floe.yaml": "name: p\nplatform: {ref: manifest.yaml}\ntransforms: [{path: a/}]\n",
            "floe.prod.yaml": "platform: {ref: lenient.yaml}\n",
        }
    )
    assert found(run) == [
        (
            "floe.prod.yaml",
            1,
            17,
            "a per-environment file changes platform.ref, which the base floe.yaml sets at line "
            "2, column 17; the platform a product is checked against must be the one it runs "
            "on, in every environment",
            [("floe.yaml", 2)],
        )
    ]
    assert run.code == 1


def test_an_environments_block_may_not_change_the_platform_either(lint) -> None:
    run = lint(
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": "name: p\nplatform: {ref: manifest.yaml}\ntransforms: [{path: a/}]\n"
            "environments:\n  prod:\n    platform: {ref: lenient.yaml}\n",
        }
    )
    assert [(f[1], f[2]) for f in found(run)] == [(6, 21)]
    assert found(run)[0][3].startswith("'environments' changes platform.ref, which the base")


def test_an_upstream_overlay_may_not_change_the_parent_or_the_compute(lint) -> None:
    run = lint(
        {
            "enterprise/manifest.yaml": ENTERPRISE,
            "sales/manifest.yaml": DOMAIN,
            "sales/manifest.prod.yaml": "parent_manifest: ../other/manifest.yaml\n"
            "plugins: {compute: {type: snowflake}}\ndefaults: {compute: snowflake}\n",
            "orders/floe.yaml": "apiVersion: floe.dev/v1\nkind: FloeSpec\n"
            "metadata: {name: orders, version: 1.0.0}\n"
            "platform: {manifest: ../sales/manifest.yaml}\ntransforms: [{name: stg}]\n",
            "orders/floe.dev.yaml": "platform: {manifest: ../enterprise/manifest.yaml}\n",
        }
    )
    assert [(f[0], f[1], f[2], f[4]) for f in found(run)] == [
        ("orders/floe.dev.yaml", 1, 22, [("orders/floe.yaml", 4)]),
        ("sales/manifest.prod.yaml", 1, 18, [("sales/manifest.yaml", 5)]),
        ("sales/manifest.prod.yaml", 2, 27, [("sales/manifest.yaml", 6)]),
        ("sales/manifest.prod.yaml", 3, 21, [("sales/manifest.yaml", 7)]),
    ]
    messages = [f[3] for f in found(run)]
    assert messages[1].startswith("a per-environment file changes parent_manifest, which the base")
    assert messages[2].startswith("a per-environment file changes plugins.compute.type, which")
    assert messages[3].startswith("a per-environment file changes defaults.compute, which")


def test_an_overlay_that_restates_the_same_selection_passes(lint) -> None:
    run = lint(
        {
            "enterprise/manifest.yaml": ENTERPRISE,
            "sales/manifest.yaml": DOMAIN,
            "sales/manifest.dev.yaml": "parent_manifest: ../enterprise/manifest.yaml\n"
            "plugins: {compute: {type: duckdb}}\ndefaults: {compute: duckdb}\n",
        }
    )
    assert found(run) == []


def test_an_overlay_that_adds_a_platform_the_base_lacks_is_reported(lint) -> None:
    run = lint(
        {
            "manifest.yaml": ENTERPRISE,
            "orders/floe.yaml": "apiVersion: floe.dev/v1\nkind: FloeSpec\n"
            "metadata: {name: orders, version: 1.0.0}\ntransforms: [{name: stg}]\n",
            "orders/floe.prod.yaml": "platform: {manifest: ../manifest.yaml}\n",
        },
        "--manifest",
        "manifest.yaml",
    )
    assert [(f[0], f[1], f[2]) for f in found(run)] == [("orders/floe.prod.yaml", 1, 22)]
    assert "sets platform.manifest, which the base floe.yaml does not set" in found(run)[0][3]


def test_an_overlay_may_not_widen_the_enterprise_whitelist(lint) -> None:
    run = lint(
        {
            "manifest.yaml": ENTERPRISE,
            "manifest.prod.yaml": "approved_plugins: {compute: [duckdb, snowflake]}\n",
        }
    )
    assert [(f[0], f[1], f[2], f[4]) for f in found(run)] == [
        ("manifest.prod.yaml", 1, 29, [("manifest.yaml", 6)])
    ]
    assert found(run)[0][3].startswith(
        "a per-environment file changes approved_plugins.compute, which the base manifest.yaml"
    )


GOVERNED = MANIFEST + (
    "governance:\n  pii_encryption: required\n  audit_logging: enabled\n"
    "  quality_gates: {minimum_test_coverage: 90}\n"
)
WHY = "an environment may keep or strengthen its platform's governance, never weaken it"


def test_a_per_environment_manifest_may_not_weaken_its_governance(lint) -> None:
    """manifest.prod.yaml turning encryption, audit and the coverage gate down passed: the
    strengthen-only rules compare levels, and an overlay is none. A value the base does not
    write (data_retention_days) is not compared."""
    run = lint(
        {
            "manifest.yaml": GOVERNED,
            "manifest.prod.yaml": "governance:\n  pii_encryption: optional\n"
            "  audit_logging: disabled\n  quality_gates: {minimum_test_coverage: 0}\n"
            "  data_retention_days: 1\n",
        }
    )
    assert found(run) == [
        (
            "manifest.prod.yaml",
            2,
            19,
            "a per-environment file sets governance.pii_encryption to 'optional', weaker than "
            f"'required' set by the base manifest.yaml; {WHY} ('optional' < 'required')",
            [("manifest.yaml", 3)],
        ),
        (
            "manifest.prod.yaml",
            3,
            18,
            "a per-environment file sets governance.audit_logging to 'disabled', weaker than "
            f"'enabled' set by the base manifest.yaml; {WHY} ('disabled' < 'enabled')",
            [("manifest.yaml", 4)],
        ),
        (
            "manifest.prod.yaml",
            4,
            42,
            "a per-environment file sets governance.quality_gates.minimum_test_coverage to 0, "
            f"weaker than 90 set by the base manifest.yaml; {WHY} (a whole number, higher is "
            "stricter)",
            [("manifest.yaml", 5)],
        ),
    ]
    assert run.code == 1


def test_an_upstream_overlay_may_not_lower_the_enforcement_level(lint) -> None:
    run = lint(
        {
            "manifest.yaml": ENTERPRISE + "governance: {policy_enforcement_level: strict}\n",
            "manifest.dev.yaml": "governance:\n  policy_enforcement_level: 'off'\n",
        }
    )
    assert [(f[0], f[1], f[2], f[4]) for f in found(run)] == [
        ("manifest.dev.yaml", 2, 29, [("manifest.yaml", 7)])
    ]
    assert found(run)[0][3].startswith(
        "a per-environment file sets governance.policy_enforcement_level to 'off', weaker than "
        "'strict' set by the base manifest.yaml"
    )


def test_an_overlay_keeping_or_strengthening_its_governance_passes(lint) -> None:
    run = lint(
        {
            "manifest.yaml": GOVERNED,
            "manifest.prod.yaml": "governance: {pii_encryption: required, audit_logging: enabled, "
            "quality_gates: {minimum_test_coverage: 95}, data_retention_days: 30}\n",
        }
    )
    assert found(run) == []


def test_an_environments_block_may_not_weaken_the_governance_either(lint) -> None:
    run = lint(
        {
            "manifest.yaml": GOVERNED
            + "environments:\n  prod:\n    governance: {audit_logging: disabled}\n",
        }
    )
    assert found(run) == [
        (
            "manifest.yaml",
            8,
            33,
            "'environments' sets governance.audit_logging to 'disabled', weaker than 'enabled' "
            f"set by the base manifest.yaml; {WHY} ('disabled' < 'enabled')",
            [("manifest.yaml", 4)],
        )
    ]
