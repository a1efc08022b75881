"""Central control of silencing: `mandatory`, strict enforcement, `exceptions`, `--isolated`.

A mandatory finding stays whatever a file or a discovered config says: suppression comments
(each one is a suppression-not-allowed error at the code it names), per-path-ignores, ignore
and select, a lowered severity, a baseline. Only the config's exceptions excuse it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = """\
name: orders
platform: {ref: manifest.yaml}
transforms:
  - {type: dbt, path: models/a/, compute: spark}  # floe-lint: disable=FL201 -- pilot
"""
REFUSED = (
    "suppression of 'FL201' is not allowed: the config makes this rule mandatory; the finding "
    "stays (only the config's exceptions can excuse it)"
)


@pytest.fixture(autouse=True)
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def lint(tmp_path: Path, config: str, *args: str, product: str = PRODUCT) -> Run:
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": product, "ci.yaml": config})
    return run_cli("check", ".", "--format", "json", "--config=ci.yaml", *args)


def places(run: Run, name: str) -> list[tuple[str, int, int, str]]:
    return [(f["file"], f["line"], f["column"], f["severity"]) for f in run.named(name)]


def test_without_mandatory_the_suppression_silences(tmp_path: Path) -> None:
    run = lint(tmp_path, "{}\n")
    assert run.code == 0
    assert run.findings == []


def test_a_suppression_of_a_mandatory_rule_is_an_error_and_silences_nothing(
    tmp_path: Path,
) -> None:
    run = lint(tmp_path, "mandatory: [compute-not-approved]\n")
    assert run.code == 1
    assert places(run, "compute-not-approved") == [("floe.yaml", 4, 43, "error")]
    [refused] = run.named("suppression-not-allowed")
    assert (refused["file"], refused["line"], refused["column"]) == ("floe.yaml", 4, 72)
    assert refused["message"] == REFUSED.replace("'FL201'", "'FL201'")
    assert run.named("unused-suppression") == []


@pytest.mark.parametrize(
    "config",
    [
        "mandatory: [FL2]\nper-path-ignores: {'*.yaml': [FL201]}\n",
        "mandatory: [FL201]\nignore: [FL201]\n",
        "mandatory: [FL201]\nselect: [FL1]\n",
        "mandatory: [FL201]\nseverity: {FL201: note}\n",
    ],
)
def test_ignores_selections_and_severity_do_not_touch_a_mandatory_rule(
    tmp_path: Path, config: str
) -> None:
    product = PRODUCT.replace("  # floe-lint: disable=FL201 -- pilot", "")
    run = lint(tmp_path, config, product=product)
    assert run.code == 1
    assert places(run, "compute-not-approved") == [("floe.yaml", 4, 43, "error")]


def test_a_baseline_cannot_accept_a_mandatory_finding(tmp_path: Path) -> None:
    product = PRODUCT.replace("  # floe-lint: disable=FL201 -- pilot", "")
    assert lint(tmp_path, "{}\n", "--write-baseline=b.json", product=product).code == 0
    assert lint(tmp_path, "{}\n", "--baseline=b.json", product=product).code == 0
    run = lint(tmp_path, "mandatory: [FL201]\n", "--baseline=b.json", product=product)
    assert run.code == 1
    assert places(run, "compute-not-approved") == [("floe.yaml", 4, 43, "error")]


def test_an_exception_excuses_a_mandatory_finding_until_it_expires(tmp_path: Path) -> None:
    config = (
        "mandatory: [FL201]\n"
        "exceptions:\n"
        "  - {path: 'floe.yaml', rule: FL201, reason: 'pilot, OPS-7', expires: 2999-12-31}\n"
    )
    product = PRODUCT.replace("  # floe-lint: disable=FL201 -- pilot", "")
    excused = lint(tmp_path, config, product=product)
    assert excused.code == 0, excused.stdout
    assert excused.findings == []
    expired = lint(tmp_path, config.replace("2999-12-31", "2001-02-03"), product=product)
    assert expired.code == 1
    assert places(expired, "compute-not-approved") == [("floe.yaml", 4, 43, "error")]
    assert places(expired, "exception-expired") == [("ci.yaml", 3, 5, "warning")]
    [warning] = expired.named("exception-expired")
    assert warning["message"] == (
        "the exception for 'FL201' on 'floe.yaml' (pilot, OPS-7) expired on 2001-02-03: "
        "it excuses nothing now; renew it with a new date or fix its findings"
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{path: a, rule: FL201, expires: 2030-01-01}",
            "ci.yaml:2:5: missing required key 'reason'",
        ),
        ("{path: a, rule: FL201, reason: x}", "ci.yaml:2:5: missing required key 'expires'"),
        (
            "{path: a, rule: FL201, reason: x, expires: 2030-02-30}",
            "ci.yaml:2:48: the value reads as !!timestamp but is not a date that exists: "
            "upstream Floe's yaml.safe_load refuses the file; quote it",
        ),
        (
            "{path: a, rule: FL201, reason: x, expires: soon}",
            "ci.yaml:2:39: 'exceptions[0].expires'",
        ),
        (
            "{path: a, rule: FL2O1, reason: x, expires: 2030-01-01}",
            "ci.yaml:2:15: unknown rule 'FL2O1'; did you mean 'FL201'?",
        ),
    ],
)
def test_an_exception_needs_a_reason_and_a_real_date(
    tmp_path: Path, entry: str, message: str
) -> None:
    run = lint(tmp_path, f"exceptions:\n  - {entry}\n")
    assert run.code == 2
    assert message in run.stderr, run.stderr


def test_isolated_ignores_every_discovered_config(tmp_path: Path) -> None:
    product = PRODUCT.replace("  # floe-lint: disable=FL201 -- pilot", "")
    write_files(
        tmp_path,
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": product,
            ".floe-lint.yaml": "ignore: [ALL]\n",
            "ci.yaml": "mandatory: [FL5]\n",
        },
    )
    assert run_cli("check", ".").code == 0, "the discovered config silences everything"
    isolated = run_cli("check", ".", "--format", "json", "--isolated")
    assert places(isolated, "compute-not-approved") == [("floe.yaml", 4, 43, "error")]
    protected = run_cli("check", ".", "--format", "json", "--isolated", "--config=ci.yaml")
    assert places(protected, "compute-not-approved") == [("floe.yaml", 4, 43, "error")]
    shown = run_cli("config", "--isolated")
    assert "defaults: no config file found" in shown.stdout


ENTERPRISE = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
governance: {policy_enforcement_level: LEVEL}
approved_plugins: {compute: [duckdb]}
plugins: {compute: {type: duckdb}}
"""
DOMAIN = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}
scope: domain
parent_manifest: ../enterprise/manifest.yaml
governance: {policy_enforcement_level: warn}
plugins: {compute: {type: duckdb}}
"""
FLOE = """\
apiVersion: floe.dev/v1
kind: FloeSpec
metadata: {name: orders, version: 1.0.0}
platform: {manifest: ../../platform/sales/manifest.yaml}
transforms:
  - {name: stg_orders, compute: spark}  # floe-lint: disable=FL201 -- pilot
"""


def strict_tree(root: Path, level: str, config: str = "{}\n") -> Run:
    write_files(
        root,
        {
            "platform/enterprise/manifest.yaml": ENTERPRISE.replace("LEVEL", level),
            "platform/sales/manifest.yaml": DOMAIN,
            "products/orders/floe.yaml": FLOE,
            ".floe-lint.yaml": config,
        },
    )
    return run_cli("check", ".", "--format", "json")


def test_a_strict_enterprise_makes_policy_rules_mandatory_below_it(tmp_path: Path) -> None:
    run = strict_tree(tmp_path, "strict", "ignore: [FL2]\n")
    assert run.code == 1
    assert places(run, "compute-not-approved") == [("products/orders/floe.yaml", 6, 33, "error")]
    [refused] = run.named("suppression-not-allowed")
    assert (refused["file"], refused["line"], refused["column"]) == (
        "products/orders/floe.yaml",
        6,
        62,
    )
    assert (
        "its platform enforces policy strictly (governance.policy_enforcement_level: strict)"
        in (refused["message"])
    )


@pytest.mark.parametrize("level", ["warn", "off"])
def test_a_weaker_enforcement_level_leaves_silencing_to_the_files(
    tmp_path: Path, level: str
) -> None:
    run = strict_tree(tmp_path, level)
    assert run.named("compute-not-approved") == []
    assert run.named("suppression-not-allowed") == []


def test_a_domain_may_make_its_own_products_strict(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "platform/enterprise/manifest.yaml": ENTERPRISE.replace("LEVEL", "warn"),
            "platform/sales/manifest.yaml": DOMAIN.replace("level: warn", "level: strict"),
            "products/orders/floe.yaml": FLOE,
            ".floe-lint.yaml": "{}\n",
        },
    )
    run = run_cli("check", ".", "--format", "json")
    assert places(run, "compute-not-approved") == [("products/orders/floe.yaml", 6, 33, "error")]
    assert len(run.named("suppression-not-allowed")) == 1
