"""Policy lines that a mutation run found unguarded (issue 20): each test fails when the line
it names is flipped, dropped or forced true, and asserts the place and the message."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.lint import selectors
from tests.conftest import run_cli, write_files


class _Rule(NamedTuple):
    id: str
    name: str


FL201 = _Rule("FL201", "compute-not-approved")


@pytest.mark.parametrize(
    "table",
    [
        {"FL2": "warning", "FL201": "error"},
        {"FL201": "error", "FL2": "warning"},
        {"ALL": "note", "compute": "warning", "compute-not-approved": "error", "FL20": "note"},
        {"FL20": "note", "compute-not-approved": "error", "compute": "warning", "ALL": "note"},
    ],
)
def test_the_most_specific_severity_selector_wins_in_any_order(table: dict[str, str]) -> None:
    for order in itertools.permutations(table.items()):
        assert selectors.most_specific(dict(order), FL201) == "error", order


def test_a_longer_prefix_beats_a_shorter_one_and_all_comes_last() -> None:
    for order in itertools.permutations([("ALL", "a"), ("FL2", "b"), ("FL20", "c")]):
        assert selectors.most_specific(dict(order), FL201) == "c"
    for order in itertools.permutations([("ALL", "a"), ("compute-*", "b"), ("compute-not", "c")]):
        assert selectors.most_specific(dict(order), FL201) == "c"
    assert selectors.most_specific({"FL3": "x", "secret": "y"}, FL201) is None


PLATFORM = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
UNAPPROVED = "name: p\nplatform: {ref: manifest.yaml}\ntransforms:\n  - {type: dbt, path: m/, compute: spark}\n"
FINDING = (
    "floe.yaml:4:36: {} FL201 [compute-not-approved] transform 'm/' selects compute 'spark', "
    "which platform manifest manifest.yaml does not approve (no level of the hierarchy "
    "approves it); approved: duckdb"
)


@pytest.mark.parametrize(
    "severity", ["{FL2: warning, FL201: error}", "{FL201: error, FL2: warning}"]
)
def test_a_general_severity_listed_first_cannot_demote_an_unapproved_compute(
    severity: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": PLATFORM,
            "floe.yaml": UNAPPROVED,
            ".floe-lint.yaml": f"severity: {severity}\n",
        },
    )
    run = run_cli("check", ".")
    assert (run.code, run.stdout.splitlines()) == (1, [FINDING.format("ERROR")])


def test_a_production_file_that_only_changes_the_default_is_an_environment_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
            "manifest.prod.yaml": "plugins: {compute: {default: spark}}\n",
        },
    )
    assert run_cli("check", ".").stdout.splitlines() == [
        "manifest.prod.yaml:1:30: ERROR FL401 [environment-override] a per-environment file "
        "changes the default compute; a transform must run on the same compute in every "
        "environment (ADR-0010)"
    ]
    (tmp_path / "manifest.prod.yaml").write_text("plugins: {compute: {default: duckdb}}\n")
    assert run_cli("check", ".").stdout == ""  # restating the same default changes nothing


@pytest.mark.parametrize(
    ("overlay", "expected"),
    [
        ("plugins: {compute: {approved: [duckdb, spark]}}\n", []),
        ("plugins: {compute: {approved: [duckdb, {name: spark, config: {threads: 2}}]}}\n", []),
        (
            "plugins: {compute: {approved: [spark, duckdb]}}\n",
            [
                "manifest.dev.yaml:1:31: ERROR FL401 [environment-override] a per-environment "
                "file changes the approved computes; a transform must run on the same compute "
                "in every environment (ADR-0010)"
            ],
        ),
        (
            "plugins: {compute: {approved: [duckdb]}}\n",
            [
                "manifest.dev.yaml:1:31: ERROR FL401 [environment-override] a per-environment "
                "file changes the approved computes; a transform must run on the same compute "
                "in every environment (ADR-0010)"
            ],
        ),
    ],
)
def test_an_overlay_restating_the_approved_list_unchanged_is_no_override(
    overlay: str, expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
            "manifest.dev.yaml": overlay,
        },
    )
    assert run_cli("check", ".").stdout.splitlines() == expected


def test_a_product_overlay_restating_a_transforms_compute_is_no_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    product = "name: p\nplatform: {ref: manifest.yaml}\ntransforms:\n  - {type: dbt, path: m/, compute: spark}\n"
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
            "floe.yaml": product,
            "floe.prod.yaml": "transforms:\n  - {path: ./m, compute: spark}\n",
        },
    )
    assert run_cli("check", ".").stdout == ""
    (tmp_path / "floe.prod.yaml").write_text("transforms:\n  - {path: ./m, compute: duckdb}\n")
    assert run_cli("check", ".").stdout.splitlines() == [
        "floe.prod.yaml:2:26: ERROR FL401 [environment-override] a per-environment file changes "
        "the compute; a transform must run on the same compute in every environment (ADR-0010)"
    ]


def test_only_the_level_that_excluded_the_inherited_default_is_blamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "enterprise.yaml": "scope: enterprise\n"
            "plugins: {compute: {approved: [duckdb, spark], default: spark}}\n",
            "sales.yaml": "scope: domain\nparent_manifest: enterprise.yaml\n"
            "plugins: {compute: {approved: [duckdb]}}\n",
            "emea.yaml": "scope: domain\nparent_manifest: sales.yaml\n"
            "plugins: {compute: {approved: [duckdb]}}\n",
        },
    )
    assert run_cli("check", ".").stdout.splitlines() == [
        "sales.yaml:3:21: ERROR FL203 [default-not-approved] domain manifest sales.yaml inherits "
        "default compute 'spark' from enterprise manifest enterprise.yaml, but its approved list "
        "(duckdb) excludes it; set plugins.compute.default"
    ]


TWO_DOCUMENTS = """\
scope: enterprise
plugins:
  compute:
    approved: [duckdb]
    default: duckdb
---
scope: enterprise
plugins:
  compute:
    approved:
      - duckdb
      - name: spark
        config: {host: spark.example, password: hunter2}
    default: duckdb
"""


def test_a_baseline_names_a_finding_of_the_second_document_by_its_own_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The node identity (`[name="spark"]`) is read from the document that holds the finding,
    so inserting an item before it in that document brings nothing back."""
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": TWO_DOCUMENTS})
    args = ("check", "manifest.yaml", "--select", "FL501")
    assert run_cli(*args, "--write-baseline", "b.json").code == 0
    text = (tmp_path / "b.json").read_text("utf-8")
    assert '"node": "/plugins/compute/approved/[name=\\"spark\\"]/config/password"' in text
    moved = TWO_DOCUMENTS.replace("      - duckdb\n", "      - duckdb\n      - postgres\n")
    (tmp_path / "manifest.yaml").write_text(moved, "utf-8")
    run = run_cli(*args, "--baseline", "b.json")
    assert (run.code, run.stdout) == (0, "")
    assert "1 baselined not shown" in run.stderr
    changed = moved.replace("name: spark", "name: databricks").replace(
        "spark.example", "dbc.example"
    )
    (tmp_path / "manifest.yaml").write_text(changed, "utf-8")
    back = run_cli(*args, "--baseline", "b.json")
    assert back.stdout.startswith("manifest.yaml:14:47: ERROR FL501 [secret-literal] 'password'")


def test_metadata_is_not_scanned_for_credentials_but_everything_else_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    manifest = (
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example, "
        "labels: {token: rotation-team}}\n"
        "plugins:\n  compute: {type: duckdb}\n"
        "observability: {labels: {token: abc123}}\n"
    )
    write_files(tmp_path, {"manifest.yaml": manifest})
    assert run_cli("check", ".", "--select", "FL501").stdout.splitlines() == [
        "manifest.yaml:6:33: ERROR FL501 [secret-literal] 'token' holds a literal credential; "
        "use \"{{ env_var('TOKEN') }}\" or the compute's connection_secret_ref"
    ]


@pytest.mark.parametrize(
    ("ref", "column", "what"),
    [
        ("oci://registry.example.com/platform:latest", 17, "the mutable tag 'latest'"),
        ("oci://registry.example.com/platform", 17, "no tag (implicitly 'latest')"),
    ],
)
def test_an_unpinned_ref_says_what_moves_and_how_to_pin_it(
    ref: str, column: int, what: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    product = f'name: p\nplatform: {{ref: "{ref}"}}\ntransforms: [{{path: m/}}]\n'
    write_files(tmp_path, {"floe.yaml": product})
    run = run_cli("check", ".", "--select", "FL304", "--offline")
    assert run.stdout.splitlines() == [
        f"floe.yaml:2:{column}: WARNING FL304 [unpinned-ref] '{ref}' uses {what}; pin it by "
        "digest (oci://registry.example.com/platform@sha256:...) so every run checks the same "
        "manifest"
    ]


def test_a_look_alike_typo_suggests_the_rule_it_spells() -> None:
    """With FL221 beside FL201, `FL2O1` (letter O) is equally far from both; it spells FL201."""
    from floe_lint.suggest import closest

    assert closest("FL2O1", ["FL221", "FL201"]) == "FL201"
    assert closest("fl2o1", ["FL221", "FL201"]) == "FL201"
    assert closest("FLl02", ["FL102", "FL112"]) == "FL102"


UPSTREAM_ENTERPRISE = (
    "apiVersion: floe.dev/v1\nkind: Manifest\n"
    "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\nscope: enterprise\n"
    "plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}\n"
)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (  # an empty approved list is the schema's one finding, not also a default's
            {"manifest.yaml": "plugins: {compute: {approved: [], default: duckdb}}\n"},
            [
                "manifest.yaml:1:31: ERROR FL105 [schema-empty-list] 'plugins.compute.approved' "
                "is empty: list at least one item"
            ],
        ),
        (  # a templated default is environment-override's finding alone
            {
                "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: \"{{ env_var('C') }}\"}}\n"
            },
            [
                "manifest.yaml:1:50: ERROR FL401 [environment-override] the default compute "
                "varies by environment; a transform must run on the same compute in every "
                "environment (ADR-0010)"
            ],
        ),
        (  # nothing of the domain's own list survives: the list is named 'none'
            {
                "e.yaml": "scope: enterprise\n"
                "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
                "manifest.yaml": "scope: domain\nparent_manifest: e.yaml\n"
                "plugins: {compute: {approved: [snowflake], default: duckdb}}\n",
            },
            [
                "manifest.yaml:3:32: ERROR FL202 [approved-not-subset] domain manifest "
                "manifest.yaml approves 'snowflake', which its parent enterprise manifest e.yaml "
                "does not approve; parent approves: duckdb, spark",
                "manifest.yaml:3:53: ERROR FL203 [default-not-approved] default compute 'duckdb' "
                "is not in the effective approved list of domain manifest manifest.yaml (none)",
            ],
        ),
        (  # an upstream domain keeping its parent's compute, with a default it does not have
            {
                "e.yaml": UPSTREAM_ENTERPRISE,
                "manifest.yaml": "apiVersion: floe.dev/v1\nkind: Manifest\n"
                "metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}\n"
                "scope: domain\nparent_manifest: e.yaml\nplugins: {catalog: {type: polaris}}\n"
                "defaults: {compute: spark}\n",
            },
            [
                "manifest.yaml:7:21: ERROR FL203 [default-not-approved] default compute 'spark' "
                "is not in the effective approved list of domain 'sales' (duckdb)"
            ],
        ),
    ],
)
def test_default_not_approved_judges_only_a_default_it_owns(
    files: dict[str, str], expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    assert run_cli("check", ".").stdout.splitlines() == expected


@given(
    st.sampled_from(["bronze", "silver", "gold", "dim", "fact", "stg", "Gold", ""]),
    st.text(alphabet="az09_-XÉ", max_size=8),
    st.sampled_from(["medallion", "kimball", "custom"]),
)
def test_upstream_naming_is_a_known_prefix_then_snake_case(
    prefix: str, rest: str, pattern: str
) -> None:
    """matches_naming agrees with upstream's regex: `<prefix>_[a-z][a-z0-9_]*` to the end."""
    from floe_lint.model.upstream_enforcement import NAMING_PATTERNS, matches_naming

    name = f"{prefix}_{rest}"
    prefixes = "|".join(NAMING_PATTERNS.get(pattern, ())) or "(?!)"
    expected = re.fullmatch(rf"(?:{prefixes})_[a-z][a-z0-9_]*", name, re.ASCII) is not None
    assert matches_naming(name, pattern) is expected, name


def test_a_registry_host_name_is_at_most_253_characters() -> None:
    from floe_lint.model.refs import RefError, parse_oci

    longest = ".".join(["a" * 63] * 3 + ["b" * 61])  # 253
    assert parse_oci(f"oci://{longest}/x:1").host == longest
    with pytest.raises(RefError, match="is not a host name"):
        parse_oci(f"oci://{longest}c/x:1")
    for host in ("-reg.example", "reg-.example", "reg..example", f"{'a' * 64}.example"):
        with pytest.raises(RefError, match="is not a host name"):
            parse_oci(f"oci://{host}/x:1")
    assert parse_oci(f"oci://{'a' * 63}.example/x:1").host == f"{'a' * 63}.example"


def test_a_product_without_a_name_is_not_judged_against_approved_products(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The missing name is the schema's finding; product-not-approved needs a name to judge."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "e.yaml": UPSTREAM_ENTERPRISE,
            "manifest.yaml": "apiVersion: floe.dev/v1\nkind: Manifest\n"
            "metadata: {name: sales, version: 1.0.0, owner: sales@acme.example}\n"
            "scope: domain\nparent_manifest: e.yaml\nplugins: {catalog: {type: polaris}}\n"
            "approved_products: [invoices]\n",
            "floe.yaml": "apiVersion: floe.dev/v1\nkind: FloeSpec\nmetadata: {version: 1.0.0}\n"
            "platform: {manifest: manifest.yaml}\ntransforms: [{name: stg_orders}]\n",
        },
    )
    names = [f["name"] for f in run_cli("check", ".", "--format", "json").findings]
    assert "schema-required" in names and "product-not-approved" not in names


def test_per_path_ignores_drop_only_the_rules_they_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins:\n  compute:\n    approved:\n"
            "      - {name: duckdb, config: {memory_limt: 4GB}}\n      - duckdb\n"
            "    default: duckdb\n",
            ".floe-lint.yaml": "per-path-ignores: {'manifest.yaml': [compute-config]}\n",
        },
    )
    assert run_cli("check", ".").stdout.splitlines() == [
        "manifest.yaml:5:9: ERROR FL206 [duplicate-compute] compute 'duckdb' is approved twice; "
        "only the first entry is used"
    ]


def test_a_missing_parent_is_unresolved_ref_only_never_ref_integrity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {"manifest.yaml": "scope: domain\nparent_manifest: gone.yaml\n" + PLATFORM},
    )
    names = [f["name"] for f in run_cli("check", ".", "--format", "json").findings]
    assert names == ["unresolved-ref"] and "ref-integrity" not in names


def test_an_upstream_domain_passes_its_enterprise_whitelist_on_to_nested_domains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A domain without approved_plugins of its own restricts nothing: a nested domain may
    select any compute the enterprise whitelists, not only the one its parent selected."""
    monkeypatch.chdir(tmp_path)

    def domain(name: str, parent: str, compute: str) -> str:
        return (
            f"apiVersion: floe.dev/v1\nkind: Manifest\n"
            f"metadata: {{name: {name}, version: 1.0.0, owner: {name}@acme.example}}\n"
            f"scope: domain\nparent_manifest: {parent}\nplugins: {{compute: {{type: {compute}}}}}\n"
        )

    write_files(
        tmp_path,
        {
            "e.yaml": UPSTREAM_ENTERPRISE + "approved_plugins: {compute: [duckdb, spark]}\n",
            "sales.yaml": domain("sales", "e.yaml", "duckdb"),
            "emea.yaml": domain("emea", "sales.yaml", "spark"),
        },
    )
    assert run_cli("check", ".").stdout == ""
    (tmp_path / "emea.yaml").write_text(domain("emea", "sales.yaml", "snowflake"))
    assert run_cli("check", ".").stdout.splitlines() == [
        "emea.yaml:6:27: ERROR FL202 [approved-not-subset] domain 'emea' approves 'snowflake', "
        "which enterprise 'acme', above it, does not approve; enterprise 'acme' approves: "
        "duckdb, spark"
    ]


def test_the_configs_require_suppression_reason_holds_without_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    product = UNAPPROVED.replace("compute: spark}", "compute: spark}  # floe-lint: disable=FL201")
    write_files(
        tmp_path,
        {
            "manifest.yaml": PLATFORM,
            "floe.yaml": product,
            ".floe-lint.yaml": "require-suppression-reason: true\n",
        },
    )
    run = run_cli("check", ".", "--select", "FL201")
    assert run.stdout.splitlines()[0] == FINDING.format("ERROR") + (
        " (the suppression at line 4 is ignored: it gives no reason after '--', and reasons are "
        "required)"
    )
