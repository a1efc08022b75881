"""An enterprise whose own compute lies outside its own approved_plugins.compute is an error
at that compute, and a domain that names no compute does not inherit it (issue 16)."""

from __future__ import annotations

HEAD = "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: %s, version: 1.0.0, owner: a@b.example}\n"
ENTERPRISE = HEAD % "acme" + (
    "scope: enterprise\n"
    "plugins: {compute: {type: spark}, orchestrator: {type: dagster}}\n"
    "approved_plugins: {compute: [duckdb]}\n"
)
DOMAIN = HEAD % "sales" + (
    "scope: domain\nparent_manifest: ../enterprise/manifest.yaml\n"
    "plugins: {orchestrator: {type: dagster}}\n"
)
PRODUCT = (
    "apiVersion: floe.dev/v1\nkind: FloeSpec\nmetadata: {name: orders, version: 1.0.0}\n"
    "platform: {manifest: ../sales/manifest.yaml}\n"
    "transforms: [{name: stg, compute: spark}]\n"
)


def test_an_enterprise_compute_outside_its_own_whitelist_is_an_error_at_the_type(lint) -> None:
    run = lint({"enterprise/manifest.yaml": ENTERPRISE})
    [found] = run.named("own-plugin-not-approved")
    assert (found["file"], found["line"], found["column"]) == ("enterprise/manifest.yaml", 5, 27)
    assert found["message"] == (
        "enterprise 'acme' selects compute 'spark', which its own approved_plugins.compute "
        "(duckdb) does not list; its products, and every domain that selects no compute, "
        "would use a plugin its policy excludes"
    )
    assert [(r["line"], r["column"]) for r in found["related"]] == [(6, 20)]
    assert run.code == 1


def test_a_domain_that_names_no_compute_does_not_inherit_one_the_whitelist_excludes(
    lint,
) -> None:
    run = lint(
        {
            "enterprise/manifest.yaml": ENTERPRISE,
            "sales/manifest.yaml": DOMAIN,
            "orders/floe.yaml": PRODUCT,
        }
    )
    [default] = run.named("default-not-approved")
    assert (default["file"], default["line"], default["column"]) == ("sales/manifest.yaml", 6, 1)
    assert default["message"].startswith(
        "domain 'sales' inherits default compute 'spark' from enterprise 'acme', but its "
        "approved list (none) excludes it"
    )
    [denied] = run.named("compute-not-approved")
    assert (denied["file"], denied["line"], denied["column"]) == ("orders/floe.yaml", 5, 35)
    assert "selects compute 'spark', which domain 'sales' does not approve" in denied["message"]


def test_an_enterprise_compute_inside_its_whitelist_passes(lint) -> None:
    run = lint(
        {
            "enterprise/manifest.yaml": ENTERPRISE.replace("[duckdb]", "[duckdb, spark]"),
            "sales/manifest.yaml": DOMAIN,
            "orders/floe.yaml": PRODUCT,
        }
    )
    # only the warning that upstream's compile, given the domain alone, finds no compute
    assert [f["rule"] for f in run.findings] == ["FL706"] and run.code == 0
