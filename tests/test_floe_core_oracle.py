"""floe-lint against the published floe-core (0.1.0a1), the real models and no mock.

For every code-dialect example, every upstream-style fixture written in the suite's tests, and
a fixed, derandomized set of mutations of valid manifests and products:
- floe-core refuses the file -> floe-lint reports it (an error, or the `upstream-refuses`
  warning where floe-lint deliberately accepts it; README "Deliberate differences");
- floe-core accepts the file -> floe-lint reports no schema error on it (a value pydantic's lax
  mode converts, `"30"` or `true` for a number, is the `schema-coerced` warning).
"""

from __future__ import annotations

import ast
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from floe_lint.load.dialect import read
from floe_lint.load.document import load
from tests.floe_core_oracle import (
    DOMAIN,
    ENTERPRISE,
    MANIFEST,
    PRODUCT,
    Verdict,
    floe_lint,
    mutated,
    upstream_refusal,
    write,
)

ROOT = Path(__file__).resolve().parents[1]
PROFILE = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def agree(path: Path, verdict: Verdict | None = None) -> None:
    refusal = upstream_refusal(path)
    verdict = verdict or floe_lint(path)
    if refusal is not None:
        assert verdict.reports(path), (
            f"floe-core refuses {path} ({refusal}) but floe-lint is silent:\n{path.read_text()}"
        )
        return
    wrong = verdict.schema_errors(path)
    assert not wrong, (
        f"floe-core accepts {path} but floe-lint reports {[f['message'] for f in wrong]}:\n"
        f"{path.read_text()}"
    )


def _code_dialect_files() -> list[Path]:
    found = []
    for path in sorted((ROOT / "examples").rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or "oci-cache" in path.parts:
            continue
        if path.name not in ("manifest.yaml", "manifest.json", "floe.yaml"):
            continue
        for doc in load(path).documents:
            if doc.kind is not None and read(doc.data, doc.kind)[0] == "floe":
                found.append(path)
                break
    return found


EXAMPLES = _code_dialect_files()


def test_the_examples_cover_both_kinds_of_document() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"manifest.yaml", "manifest.json", "floe.yaml"} <= names
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_code_dialect_example_agrees_with_floe_core(path: Path) -> None:
    agree(path)


def _suite_fixtures() -> list[tuple[str, str]]:
    """Every YAML text in the tests that is one upstream-style Manifest or FloeSpec."""
    found: dict[str, tuple[str, str]] = {}
    for test in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(test.read_text("utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = textwrap.dedent(node.value).lstrip("\n")
            if "apiVersion: floe.dev/v1" not in text:
                continue
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError:
                continue
            if isinstance(data, dict) and data.get("kind") in ("Manifest", "FloeSpec"):
                name = "floe.yaml" if data["kind"] == "FloeSpec" else "manifest.yaml"
                found.setdefault(text, (name, text))
    return list(found.values())


FIXTURES = _suite_fixtures()


def test_the_suite_has_upstream_style_fixtures() -> None:
    assert len(FIXTURES) >= 20


def test_every_upstream_style_fixture_of_the_suite_agrees_with_floe_core(
    tmp_path: Path,
) -> None:
    for number, (name, text) in enumerate(FIXTURES):
        folder = tmp_path / str(number)
        folder.mkdir()
        if name == "floe.yaml":
            write(folder, "manifest.yaml", MANIFEST)
        path = folder / name
        path.write_text(text, "utf-8")
        agree(path)


def _mutants(base: dict[str, Any], name: str) -> Any:
    @PROFILE
    @given(mutated(base))
    def run(data: dict[str, Any]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            if name == "floe.yaml":
                write(Path(folder), "manifest.yaml", MANIFEST)
            agree(write(Path(folder), name, data))

    return run


def test_mutated_platform_manifests_agree_with_floe_core() -> None:
    _mutants(MANIFEST, "manifest.yaml")()


def test_mutated_enterprise_manifests_agree_with_floe_core() -> None:
    _mutants(ENTERPRISE, "manifest.yaml")()


def test_mutated_domain_manifests_agree_with_floe_core() -> None:
    _mutants(DOMAIN, "manifest.yaml")()


def test_mutated_products_agree_with_floe_core() -> None:
    _mutants(PRODUCT, "floe.yaml")()


def test_the_valid_documents_are_valid_to_both() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, data in (("manifest.yaml", MANIFEST), ("floe.yaml", PRODUCT)):
            path = write(Path(folder), name, data)
            assert upstream_refusal(path) is None
            assert floe_lint(path).schema_errors(path) == []


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        (
            "artifacts:\n  registry:\n    uri: oci://registry.acme.example/floe\n",
            11,
            3,
            "missing required key 'auth' in 'artifacts.registry'",
        ),
        (
            "artifacts:\n  registry:\n    uri: https://registry.acme.example/floe\n"
            "    auth: {type: anonymous}\n",
            12,
            10,
            "'artifacts.registry.uri' 'https://registry.acme.example/floe' must be an "
            "oci://host[:port]/path URI",
        ),
        (
            "artifacts:\n  registry:\n    uri: oci://r.example/floe\n    auth: {type: anonymous}\n"
            "    tls: false\n",
            14,
            5,
            "unknown key 'tls' in 'artifacts.registry'",
        ),
        ("governance:\n  data_retention_days: -1\n", 11, 24, "'governance.data_retention_days'"),
        (
            "governance:\n  quality_gates:\n    minimum_test_coverage: 150\n",
            12,
            28,
            "'governance.quality_gates.minimum_test_coverage'",
        ),
    ],
)
def test_what_floe_core_refuses_in_a_manifest_is_an_error_at_its_place(
    tmp_path: Path, text: str, line: int, col: int, message: str
) -> None:
    head = (
        "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata:\n  name: acme\n  version: 1.0.0\n"
        "  owner: platform@acme.example\nplugins:\n  compute: {type: duckdb}\n"
    )
    path = tmp_path / "manifest.yaml"
    path.write_text(head + "\n" + text, "utf-8")
    assert upstream_refusal(path) is not None
    errors = [f for f in floe_lint(path).on(path) if f["severity"] == "error"]
    assert [(f["line"], f["column"]) for f in errors] == [(line, col)], errors
    assert message in errors[0]["message"]


def test_an_unknown_yaml_tag_is_an_error_at_the_tag(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\n"
        "plugins:\n  compute: {type: !custom duckdb}\n",
        "utf-8",
    )
    assert upstream_refusal(path) is not None
    (error,) = floe_lint(path).on(path)
    assert (error["rule"], error["line"], error["column"]) == ("FL001", 5, 19)
    assert error["message"].startswith("unknown YAML tag '!custom': a safe YAML loader")


@pytest.mark.parametrize(
    "key",
    [
        "governance",
        "defaults",
        "observability",
        "artifacts",
        "resource_presets",
        "approved_plugins",
        "parent_manifest",
        "scope",
    ],
)
def test_an_explicit_null_for_an_optional_manifest_field_is_accepted(
    tmp_path: Path, key: str
) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\n"
        f"plugins:\n  compute: {{type: duckdb}}\n{key}:\n",
        "utf-8",
    )
    assert upstream_refusal(path) is None
    assert floe_lint(path).on(path) == []


def test_a_governance_block_with_every_setting_commented_out_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\n"
        "plugins:\n  compute: {type: duckdb}\n"
        "governance:\n  # pii_encryption: required\n  # data_retention_days: 90\n",
        "utf-8",
    )
    assert upstream_refusal(path) is None
    assert floe_lint(path).on(path) == []


def test_the_ingestion_block_floe_core_accepts_is_accepted(tmp_path: Path) -> None:
    write(tmp_path, "manifest.yaml", MANIFEST)
    path = write(tmp_path, "floe.yaml", PRODUCT)
    assert "ingestion" in PRODUCT
    assert upstream_refusal(path) is None
    assert floe_lint(path).on(path) == []


#: (document, path, value): single changes of a valid document, each where floe-core's models
#: check more than a key's type (endpoints, bounds, discriminated rules, ingestion paths)
PROBES: list[tuple[str, tuple[str | int, ...], Any]] = [
    ("manifest", ("observability", "tracing", "endpoint"), "http://localhost:4317"),
    ("manifest", ("observability", "tracing", "endpoint"), "ftp://otel.example"),
    ("manifest", ("observability", "lineage", "endpoint"), "http://10.0.0.1/api"),
    ("manifest", ("observability", "lineage", "endpoint"), "https://marquez.acme.example"),
    ("manifest", ("plugins", "compute", "version"), "1.0"),
    ("manifest", ("plugins", "catalog", "connection_secret_ref"), "Bad_Ref"),
    ("manifest", ("metadata", "name"), "Acme"),
    ("manifest", ("resource_presets", "small", "requests", "cpu"), ""),
    (
        "manifest",
        ("governance", "custom_rules"),
        [{"type": "require_tags_for_prefix", "prefix": "x", "required_tags": []}],
    ),
    (
        "manifest",
        ("governance", "policies"),
        [{"name": "p", "type": "bogus", "action": "warn", "message": "m"}],
    ),
    ("manifest", ("governance", "rbac"), {"enabled": "maybe"}),
    ("manifest", ("governance", "secret_scanning"), {"enabled": True, "severity": "fatal"}),
    (
        "manifest",
        ("governance", "policy_overrides"),
        [{"pattern": "legacy_*", "action": "exclude"}],
    ),
    ("manifest", ("artifacts", "registry", "auth"), {"type": "basic"}),
    (
        "manifest",
        ("artifacts", "registry", "auth"),
        {"type": "aws-irsa", "credentials_ref": {"name": "x"}},
    ),
    ("manifest", ("artifacts", "registry", "cache"), {"max_size_gb": 0}),
    ("manifest", ("artifacts", "registry", "resilience"), {"retry": {"max_attempts": 11}}),
    ("manifest", ("artifacts", "promotion"), {"environments": []}),
    ("product", ("destinations", 0, "batch_size"), 0),
    ("product", ("destinations", 0, "batch_size"), 100_001),
    ("product", ("destinations", 0, "config"), {f"k{i}": i for i in range(51)}),
    ("product", ("transforms", 1, "qualityChecks", 0, "custom_weight"), 50),
    ("product", ("ingestion", "sources", 0, "path"), "/abs/orders.csv"),
    ("product", ("ingestion", "sources", 0, "path"), "s3://"),
    ("product", ("ingestion", "sources", 0, "path"), "s3://lake/raw/orders.csv"),
    ("product", ("ingestion", "sources", 0, "path"), "https://example.com/orders.csv"),
    ("product", ("ingestion", "sources", 0, "writeMode"), "merge"),
    ("product", ("ingestion", "sources", 0, "name"), "bad name"),
    ("product", ("ingestion", "sources", 0, "destinationTable"), "orders"),
]


@pytest.mark.parametrize(("kind", "where", "value"), PROBES, ids=lambda x: str(x)[:40])
def test_each_probe_agrees_with_floe_core(
    tmp_path: Path, kind: str, where: tuple[str | int, ...], value: Any
) -> None:
    import copy

    data = copy.deepcopy(MANIFEST if kind == "manifest" else PRODUCT)
    node: Any = data
    for step in where[:-1]:
        node = node.setdefault(step, {}) if isinstance(step, str) else node[step]
    node[where[-1]] = value
    if kind == "product":
        write(tmp_path, "manifest.yaml", MANIFEST)
    agree(write(tmp_path, "floe.yaml" if kind == "product" else "manifest.yaml", data))


def test_a_file_of_several_documents_is_refused_by_both(tmp_path: Path) -> None:
    """floe-core's yaml.safe_load expects a single document; multiple-documents (FL004)."""
    one = yaml.safe_dump(MANIFEST, sort_keys=False)
    path = tmp_path / "manifest.yaml"
    path.write_text(one + "---\n" + one, "utf-8")
    assert upstream_refusal(path) is not None
    errors = [f for f in floe_lint(path).on(path) if f["severity"] == "error"]
    assert [(f["rule"], f["line"]) for f in errors] == [("FL004", one.count("\n") + 2)]
    agree(path)


_HEAD = (
    "apiVersion: floe.dev/v1\nkind: Manifest\n"
    "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\n"
    "plugins:\n  compute: {type: duckdb}\n"
)


@pytest.mark.parametrize(
    ("text", "col", "message"),
    [
        (
            'governance: {data_retention_days: "30"}',
            35,
            "'governance.data_retention_days': floe-core reads '30' as the integer 30",
        ),
        (
            "governance: {data_retention_days: true}",
            35,
            "'governance.data_retention_days': floe-core reads true as the integer 1",
        ),
        (
            'governance: {quality_gates: {require_descriptions: "yes"}}',
            52,
            "'governance.quality_gates.require_descriptions': floe-core reads 'yes' as true",
        ),
        (
            "governance: {rbac: {enabled: 0}}",
            30,
            "'governance.rbac.enabled': floe-core reads 0 as false",
        ),
        (
            'artifacts: {registry: {uri: "oci://r.example/floe", auth: {type: anonymous},'
            ' resilience: {retry: {backoff_multiplier: "2.5"}}}}',
            119,
            "'artifacts.registry.resilience.retry.backoff_multiplier': floe-core reads '2.5' as "
            "the number 2.5",
        ),
    ],
)
def test_a_value_floe_core_coerces_is_a_warning_naming_what_it_reads(
    tmp_path: Path, text: str, col: int, message: str
) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(_HEAD + text + "\n", "utf-8")
    assert upstream_refusal(path) is None
    (finding,) = floe_lint(path).on(path)
    assert (finding["rule"], finding["severity"], finding["line"], finding["column"]) == (
        "FL708",
        "warning",
        6,
        col,
    )
    assert (
        finding["message"]
        == message + " (pydantic's lax mode); write " + (message.rsplit(" ", 1)[-1]) + " to say so"
    )


def test_a_coerced_value_out_of_bounds_is_still_refused_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(_HEAD + 'governance: {data_retention_days: "0"}\n', "utf-8")
    assert upstream_refusal(path) is not None
    errors = [f for f in floe_lint(path).on(path) if f["severity"] == "error"]
    assert [(f["rule"], f["line"], f["column"]) for f in errors] == [("FL106", 6, 35)]
    assert errors[0]["message"] == (
        "'governance.data_retention_days' is invalid: 0 is less than the minimum of 1"
    )


@pytest.mark.parametrize("value", ['"30.5"', '"ten"', "2", '"maybe"'])
def test_a_value_floe_core_cannot_read_stays_a_type_error(tmp_path: Path, value: str) -> None:
    field = "data_retention_days" if value in ('"30.5"', '"ten"') else "rbac: {enabled"
    text = f"governance: {{{field}: {value}}}" + ("}" if "rbac" in field else "")
    path = tmp_path / "manifest.yaml"
    path.write_text(_HEAD + text + "\n", "utf-8")
    assert upstream_refusal(path) is not None
    errors = [f for f in floe_lint(path).on(path) if f["severity"] == "error"]
    assert [f["rule"] for f in errors] == ["FL102"]
    assert not [f for f in floe_lint(path).on(path) if f["rule"] == "FL708"]


def test_floe_lints_own_dialect_reads_a_quoted_number_strictly(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(
        "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
        'governance: {data_retention_days: "30"}\n',
        "utf-8",
    )
    (error,) = floe_lint(path).on(path)
    assert (error["rule"], error["line"], error["column"]) == ("FL102", 2, 35)
    assert error["message"] == (
        "'governance.data_retention_days' must be an integer or null, not a string"
    )


@pytest.mark.parametrize(
    ("field", "value", "reading"),
    [
        ("data_retention_days", '" 30 "', "' 30 ' as the integer 30"),
        ("data_retention_days", '"1_000"', "'1_000' as the integer 1000"),
        ("data_retention_days", '"30.0"', "'30.0' as the integer 30"),
        ("rbac: {enabled", '"off"', "'off' as false"),
        ("rbac: {enabled", '"t"', "'t' as true"),
        ("rbac: {enabled", '"1"', "'1' as true"),
        ("rbac: {enabled", "1", "1 as true"),
    ],
)
def test_the_lax_readings_the_readme_names(
    tmp_path: Path, field: str, value: str, reading: str
) -> None:
    close = "}" if "{" in field else ""
    path = tmp_path / "manifest.yaml"
    path.write_text(_HEAD + f"governance: {{{field}: {value}}}{close}\n", "utf-8")
    assert upstream_refusal(path) is None
    (finding,) = floe_lint(path).on(path)
    assert finding["rule"] == "FL708"
    assert f"floe-core reads {reading} (pydantic's lax mode)" in finding["message"]


_RETRY = (
    'artifacts: {registry: {uri: "oci://r.example/floe", auth: {type: anonymous},'
    " resilience: {retry: {backoff_multiplier: VALUE}}}}\n"
)


def test_a_number_in_exponent_form_is_read_as_a_number(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(_HEAD + _RETRY.replace("VALUE", '"2e0"'), "utf-8")
    assert upstream_refusal(path) is None
    (finding,) = floe_lint(path).on(path)
    assert (finding["rule"], finding["line"], finding["column"]) == ("FL708", 6, 119)
    assert "floe-core reads '2e0' as the number 2.0 (pydantic's lax mode)" in finding["message"]


def test_inf_is_read_as_a_number_and_refused_by_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(_HEAD + _RETRY.replace("VALUE", '"inf"'), "utf-8")
    assert upstream_refusal(path) is not None
    findings = floe_lint(path).on(path)
    assert [(f["rule"], f["severity"], f["column"]) for f in findings] == [
        ("FL106", "error", 119),
        ("FL708", "warning", 119),
    ]
    assert "floe-core reads 'inf' as the number inf" in findings[1]["message"]


def test_a_coerced_governance_value_is_compared_as_floe_core_reads_it(tmp_path: Path) -> None:
    (tmp_path / "enterprise").mkdir()
    (tmp_path / "sales").mkdir()
    (tmp_path / "enterprise/manifest.yaml").write_text(
        _HEAD.replace("acme", "acme-enterprise") + "scope: enterprise\n"
        "governance: {data_retention_days: 90}\n",
        "utf-8",
    )
    domain = tmp_path / "sales/manifest.yaml"
    domain.write_text(
        _HEAD.replace("acme", "sales")
        + "scope: domain\nparent_manifest: ../enterprise/manifest.yaml\n"
        'governance: {data_retention_days: "30"}\n',
        "utf-8",
    )
    assert upstream_refusal(domain) is None
    errors = [f for f in floe_lint(domain).on(domain) if f["severity"] == "error"]
    assert [(f["rule"], f["line"], f["column"]) for f in errors] == [("FL604", 8, 35)]
    assert errors[0]["message"].startswith(
        "domain 'sales' sets governance.data_retention_days to 30, weaker than 90 set by "
        "enterprise 'acme-enterprise'"
    )


#: blanks on which Python's `str.strip` (floe-core's ingestion validators) and ECMA-262's
#: `\s` disagree: Python strips U+001C to U+001F and U+0085, ECMA's `\s` has U+FEFF
_BLANKS_PYTHON_AND_ECMA_READ_OTHERWISE = ("\x1c", "\x1f", "\x85", "\ufeff", "\xa0", " ")


@pytest.mark.parametrize("blank", _BLANKS_PYTHON_AND_ECMA_READ_OTHERWISE, ids=ascii)
@pytest.mark.parametrize(
    ("field", "spelled"),
    [
        ("destinationTable", "{b}raw.orders"),
        ("destinationTable", "raw{b}.orders"),
        ("destinationTable", "raw.{b}orders"),
        ("destinationTable", "raw.orders{b}"),
        ("destinationTable", "raw.or{b}ders"),
        ("path", "{b}data/orders.csv"),
        ("path", "data/orders.csv{b}"),
        ("path", "data/or{b}ders.csv"),
        ("path", "s3://bucket/orders.csv{b}"),
        ("path", "s3://buc{b}ket/orders.csv"),
    ],
)
def test_blanks_in_ingestion_values_are_read_as_floe_core_reads_them(
    tmp_path: Path, field: str, spelled: str, blank: str
) -> None:
    """The code dialect's ingestion `path` and `destinationTable` are judged by floe-core's
    validators, which strip Python's blanks (`str.strip`), not by ECMA-262's `\\s`: U+FEFF is
    text to floe-core, U+001C and U+0085 are blanks."""
    data: Any = yaml.safe_load(yaml.safe_dump(PRODUCT))
    data["ingestion"]["sources"][0][field] = spelled.format(b=blank)
    agree(write(tmp_path, "floe.yaml", data))
