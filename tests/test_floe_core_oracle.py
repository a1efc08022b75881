"""floe-lint against the published floe-core (0.1.0a1), the real models and no mock.

For every code-dialect example, every upstream-style fixture written in the suite's tests, and
a fixed, derandomized set of mutations of valid manifests and products:
- floe-core refuses the file -> floe-lint reports it (an error, or the `upstream-refuses`
  warning where floe-lint deliberately accepts it; README "Deliberate differences");
- floe-core accepts the file -> floe-lint reports no schema error on it, except where a value
  is one pydantic's lax mode converts (`true` or `"30"` for a number), also listed there.
"""

from __future__ import annotations

import ast
import re
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
_WHOLE_NUMBER = re.compile(r"\s*[+-]?[0-9]+\s*")


def _coerced(data: Any, finding: dict[str, Any]) -> bool:
    """A type error on a value pydantic's lax mode reads as a number (true, "30")."""
    if finding["rule"] != "FL102":
        return False
    node = data
    for token in finding["pointer"].split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node.get(key)
    return isinstance(node, bool) or (
        isinstance(node, str) and _WHOLE_NUMBER.fullmatch(node) is not None
    )


def agree(path: Path, verdict: Verdict | None = None) -> None:
    refusal = upstream_refusal(path)
    verdict = verdict or floe_lint(path)
    if refusal is not None:
        assert verdict.reports(path), (
            f"floe-core refuses {path} ({refusal}) but floe-lint is silent:\n{path.read_text()}"
        )
        return
    data = yaml.safe_load(path.read_text("utf-8"))
    wrong = [f for f in verdict.schema_errors(path) if not _coerced(data, f)]
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
