"""floe-lint against floe-core 0.1.0a1 on documents drawn from floe-core's own models
(tests/floe_core_models.py): every field, alias and field name, optional block, null, enum value
and bound the models define, some values written as pydantic's lax mode reads them. floe-core
accepts a document -> floe-lint reports no schema error on it; floe-core refuses it -> floe-lint
reports it (tests/test_floe_core_oracle.py `agree`). Derandomized and bounded: it bites when a
new floe-core or a schema edit makes the two drift.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from floe_core.schemas.floe_spec import DestinationConfig, FloeSpec, ProductIngestionSpec
from floe_core.schemas.manifest import PlatformManifest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.floe_core_models import HTTP_URLS, document, laxed, repeated
from tests.floe_core_oracle import MANIFEST, PRODUCT, floe_lint, upstream_refusal, write
from tests.test_floe_core_oracle import agree

PROFILE = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@PROFILE
@given(laxed(repeated(document(FloeSpec))))
def test_products_drawn_from_floe_spec_agree_with_floe_core(data: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder), "manifest.yaml", MANIFEST)
        agree(write(Path(folder), "floe.yaml", data))


def _without_empty_names(data: Any) -> Any:
    """`data` without the empty names in its approved lists, which floe-lint refuses on purpose
    (`approved_products: [""]`: floe-core accepts it; README "Deliberate differences")."""
    for key in ("approved_products", "approved_sinks", "approved_plugins"):
        value = data.get(key) if isinstance(data, dict) else None
        if isinstance(value, list):
            data[key] = [name for name in value if name != ""]
        elif isinstance(value, dict):
            for names in value.values():
                if isinstance(names, list):
                    names[:] = [name for name in names if name != ""]
    return data


@PROFILE
@given(laxed(repeated(document(PlatformManifest)).map(_without_empty_names)))
def test_manifests_drawn_from_platform_manifest_agree_with_floe_core(data: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        agree(write(Path(folder), "manifest.yaml", data))


@settings(PROFILE, max_examples=80)
@given(HTTP_URLS, st.sampled_from(["issuer", "oidc_issuer", "rekor_url"]))
def test_urls_are_read_as_pydantics_http_url_reads_them(url: str, field: str) -> None:
    """A URL where floe-core wants an HttpUrl: floe-lint refused a tab or line break inside one
    (pydantic drops them: a false error) and passed a space in the host, a port past 65535 and
    one past 2,083 characters (pydantic refuses them: a forged pass)."""
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(MANIFEST))
    if field == "issuer":
        block = {"verification": {"trusted_issuers": [{"issuer": url, "subject": "repo:a"}]}}
    else:
        block = {"signing": {"mode": "keyless", "oidc_issuer": "https://token.example"}}
        block["signing"][field] = url
    data["artifacts"]["registry"].update(block)
    with tempfile.TemporaryDirectory() as folder:
        agree(write(Path(folder), "manifest.yaml", data))


def _by_field_name(base: dict[str, Any], value: str = "floe.dev/v1") -> dict[str, Any]:
    """`base` with `api_version:` (the field's name) first, in place of `apiVersion:`."""
    return {"api_version": value, **{k: v for k, v in base.items() if k != "apiVersion"}}


@pytest.mark.parametrize(("name", "base"), [("floe.yaml", PRODUCT), ("manifest.yaml", MANIFEST)])
def test_api_version_by_its_field_name_is_read_as_upstream_reads_it(
    tmp_path: Path, name: str, base: dict[str, Any]
) -> None:
    """floe-core's models validate by name too (`populate_by_name`): `api_version:` is
    `apiVersion:`. floe-lint called it an unknown key (FL101 at 1:1) and, without the marker,
    read the manifest as ADR-0010's (FL103 'compute' ... `approved`)."""
    write(tmp_path, "manifest.yaml", MANIFEST)
    path = write(tmp_path, name, _by_field_name(base))
    assert upstream_refusal(path) is None
    assert floe_lint(path).on(path) == []
    wrong = write(tmp_path, name, _by_field_name(base, "floe.dev/v2"))
    assert upstream_refusal(wrong) is not None
    found = [(f["line"], f["column"], f["message"]) for f in floe_lint(wrong).on(wrong)]
    assert (
        1,
        14,
        "'api_version' must be one of floe.dev/v1, not 'floe.dev/v2'; did you mean 'floe.dev/v1'?",
    ) in found


def test_a_manifest_with_both_spellings_reads_apiversion_and_ignores_the_other(
    tmp_path: Path,
) -> None:
    """PlatformManifest allows unknown keys: the alias wins, `api_version` is ignored (a
    warning upstream too)."""
    path = write(tmp_path, "manifest.yaml", {**MANIFEST, "api_version": "anything"})
    assert upstream_refusal(path) is None
    line = path.read_text("utf-8").splitlines().index("api_version: anything") + 1
    found = [(f["rule"], f["line"], f["column"]) for f in floe_lint(path).on(path)]
    assert found == [("FL107", line, 1)]


PRODUCT_TEXT = """\
apiVersion: floe.dev/v1
kind: FloeSpec
metadata: {name: orders, version: 1.0.0}
platform: {manifest: manifest.yaml}
transforms:
  - name: stg_orders
  - {name: fct_orders, %s}
"""
BOTH = [
    ("apiVersion", "api_version: floe.dev/v1\n", 1, 1, "the document"),
    ("outputPorts", "outputPorts: null\noutput_ports: null\n", 1, 1, "the document"),
    ("dependsOn", "dependsOn: [stg_orders], depends_on: [stg_orders]", 7, 5, "'transforms[1]'"),
    ("qualityChecks", "qualityChecks: [], quality_checks: []", 7, 5, "'transforms[1]'"),
]


@pytest.mark.parametrize(("alias", "text", "line", "column", "where"), BOTH)
def test_an_alias_and_its_field_name_together_are_refused(
    tmp_path: Path, alias: str, text: str, line: int, column: int, where: str
) -> None:
    """FloeSpec forbids extra keys: given both spellings it reads one and refuses the other as
    an extra input, so `floe platform compile` fails. floe-lint passed such a product."""
    body = PRODUCT_TEXT % ("compute: duckdb" if "\n" in text else text)
    if "\n" in text:
        body += text
    write(tmp_path, "manifest.yaml", MANIFEST)
    path = tmp_path / "floe.yaml"
    path.write_text(body, "utf-8")
    assert "Extra inputs are not permitted" in (upstream_refusal(path) or "")
    other = {"apiVersion": "api_version", "outputPorts": "output_ports"}.get(alias)
    other = other or {"dependsOn": "depends_on", "qualityChecks": "quality_checks"}[alias]
    message = (
        f"{where} must not be given both {alias} and {other} "
        "(two spellings of one field: floe-core refuses the second)"
    )
    found = [(f["line"], f["column"], f["message"]) for f in floe_lint(path).on(path)]
    assert (line, column, message) in found, found


def test_an_ingestion_source_with_both_spellings_is_refused(tmp_path: Path) -> None:
    source = {
        "name": "raw",
        "sourceType": "filesystem",
        "source_type": "filesystem",
        "format": "csv",
        "path": "data/orders.csv",
        "destinationTable": "raw.orders",
    }
    write(tmp_path, "manifest.yaml", MANIFEST)
    path = tmp_path / "floe.yaml"
    path.write_text(yaml.safe_dump({**PRODUCT, "ingestion": {"sources": [source]}}), "utf-8")
    assert upstream_refusal(path) is not None
    found = [(f["rule"], f["message"]) for f in floe_lint(path).on(path)]
    assert (
        "FL106",
        "'ingestion.sources[0]' must not be given both sourceType and source_type "
        "(two spellings of one field: floe-core refuses the second)",
    ) in found, found


QUALITY = [
    # floe-core's QualityConfig has `enabled`: floe-lint called it an unknown key (FL101)
    ("provider: great_expectations\n    enabled: false", None),
    # `provider` is required there: floe-lint passed a block without it
    ("enabled: true", (13, 3, "missing required key 'provider' in 'plugins.quality'")),
    # check_timeout_seconds is 1 to 3600 there: floe-lint passed 0
    (
        "provider: great_expectations\n    check_timeout_seconds: 0",
        (
            15,
            28,
            "'plugins.quality.check_timeout_seconds' is invalid: 0 is less than the minimum of 1",
        ),
    ),
]


@pytest.mark.parametrize(("block", "expected"), QUALITY)
def test_the_quality_plugin_block_is_read_as_floe_core_reads_it(
    tmp_path: Path, block: str, expected: tuple[int, int, str] | None
) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(
        "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}\n"
        "plugins:\n  compute: {type: duckdb}\n  orchestrator: {type: dagster}\n"
        + "\n" * 6
        + f"  quality:\n    {block}\n",
        "utf-8",
    )
    verdict = floe_lint(path)
    found = [(f["line"], f["column"], f["message"]) for f in verdict.schema_errors(path)]
    if expected is None:
        assert upstream_refusal(path) is None
        assert found == []
    else:
        assert upstream_refusal(path) is not None
        assert [f[:2] for f in found] == [expected[:2]], found
        assert found[0][2].startswith(expected[2]), found


def _manifest_with(path: Path, block: str, value: Any) -> Path:
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(MANIFEST))
    if block == "auth":
        data["artifacts"]["registry"]["auth"] = value
    else:
        data["governance"]["policy_overrides"] = [
            {"pattern": "legacy_*", "action": "downgrade", "reason": "r", "policy_types": value}
        ]
    return write(path, "manifest.yaml", data)


MANIFEST_VALIDATORS = [
    # a field validator that runs on a written null: floe-core requires the secret
    (
        "auth",
        {"type": "basic", "credentials_ref": None},
        "'artifacts.registry.auth.credentials_ref' must be a mapping, not null",
    ),
    ("auth", {"type": "basic"}, None),  # absent: the validator does not run
    ("auth", {"type": "token", "credentials_ref": {"name": "registry-creds"}}, None),
    (
        "policy_overrides",
        ["naming", "nope"],
        "'governance.policy_overrides[0].policy_types[1]' must be one of naming, coverage, "
        "documentation, semantic, custom, data_contract, rbac, secret_scanning, network_policy, "
        "not 'nope'",
    ),
    ("policy_overrides", ["naming", "network_policy"], None),
]


@pytest.mark.parametrize(("block", "value", "message"), MANIFEST_VALIDATORS)
def test_what_floe_core_validators_refuse_in_registry_auth_and_policy_overrides(
    tmp_path: Path, block: str, value: Any, message: str | None
) -> None:
    """Both passed floe-lint while floe-core refused them (its `validate_credentials_ref`,
    `validate_policy_types`)."""
    path = _manifest_with(tmp_path, block, value)
    errors = [f for f in floe_lint(path).on(path) if f["severity"] == "error"]
    if message is None:
        assert upstream_refusal(path) is None
        assert errors == []
        return
    assert upstream_refusal(path) is not None
    text = path.read_text("utf-8").splitlines()
    key = "credentials_ref:" if block == "auth" else "- nope"
    line = next(n for n, row in enumerate(text, 1) if row.strip().startswith(key))
    column = text[line - 1].index("null" if block == "auth" else "nope") + 1
    assert [(f["line"], f["column"], f["message"]) for f in errors] == [(line, column, message)]


def _registry_blocks() -> Any:
    from floe_core.schemas.promotion import PromotionConfig
    from floe_core.schemas.signing import SigningConfig, VerificationPolicy

    return st.fixed_dictionaries(
        {},
        optional={
            "signing": document(SigningConfig),
            "verification": document(VerificationPolicy),
            "promotion": repeated(document(PromotionConfig)),
        },
    )


@PROFILE
@given(laxed(_registry_blocks()))
def test_signing_verification_and_promotion_drawn_from_their_models_agree(blocks: Any) -> None:
    """The blocks whose model validators floe-lint passed (keyless signing without an issuer,
    a verification that trusts nobody, a promotion environment named twice), drawn from the
    models alone: in a whole manifest they are drawn too seldom to bite."""
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(MANIFEST))
    promotion = blocks.pop("promotion", None)
    data["artifacts"]["registry"].update(blocks)
    if promotion is not None:
        data["artifacts"]["promotion"] = promotion
    with tempfile.TemporaryDirectory() as folder:
        agree(write(Path(folder), "manifest.yaml", data))


@PROFILE
@given(
    repeated(
        st.fixed_dictionaries(
            {},
            optional={
                "destinations": st.lists(document(DestinationConfig), min_size=1, max_size=3),
                "ingestion": document(ProductIngestionSpec),
            },
        )
    )
)
def test_product_lists_drawn_from_their_models_agree(lists: Any) -> None:
    """Destinations and ingestion sources, an entry or a name of one repeated one time in
    two: floe-core refuses a repeated name or destination table."""
    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder), "manifest.yaml", MANIFEST)
        agree(write(Path(folder), "floe.yaml", {**PRODUCT, **lists}))
