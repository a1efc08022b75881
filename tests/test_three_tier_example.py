"""examples/floe-upstream-style/three-tier: an enterprise, two domains and three products in
upstream Floe's dialect, with governance at every manifest level (strengthened only),
`approved_plugins` for every category upstream defines and a secrets plugin. It lints clean,
floe-core's own models and hierarchy checks accept it, and a weakening in it is caught."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import EXAMPLES, run_cli

TIER = EXAMPLES / "floe-upstream-style" / "three-tier"
DOMAINS = ("sales", "marketing")


def data(path: str) -> Any:
    return yaml.safe_load((TIER / path).read_text("utf-8"))


def test_the_three_tier_example_lints_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TIER)
    run = run_cli("check", ".", "--format", "json")
    assert run.findings == []
    assert run.code == 0
    assert run.report["summary"]["files"] == 6  # an enterprise, two domains, three products


def test_it_whitelists_every_upstream_category_and_selects_a_secrets_plugin() -> None:
    from floe_core.schemas.plugins import PLUGIN_REGISTRY, PluginsConfig

    enterprise = data("enterprise/manifest.yaml")
    assert (
        set(enterprise["approved_plugins"])
        == set(PLUGIN_REGISTRY)
        == set(PluginsConfig.model_fields)
    )
    assert enterprise["plugins"]["secrets"] == {"type": "kubernetes"}
    assert data("sales/manifest.yaml")["plugins"]["secrets"]["type"] == "external-secrets"
    assert all("governance" in data(f"{level}/manifest.yaml") for level in ("enterprise", *DOMAINS))


def test_floe_core_accepts_every_file_and_its_hierarchy() -> None:
    from floe_core.schemas.floe_spec import FloeSpec
    from floe_core.schemas.manifest import PlatformManifest
    from floe_core.schemas.plugins import validate_domain_plugin_whitelist
    from floe_core.schemas.validation import validate_security_policy_not_weakened

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even an unknown-field warning
        for path in sorted(TIER.rglob("floe.yaml")):
            FloeSpec.model_validate(yaml.safe_load(path.read_text("utf-8")))
        enterprise = PlatformManifest.model_validate(data("enterprise/manifest.yaml"))
        for name in DOMAINS:
            domain = PlatformManifest.model_validate(data(f"{name}/manifest.yaml"))
            assert enterprise.governance is not None and domain.governance is not None
            validate_security_policy_not_weakened(enterprise.governance, domain.governance)
            assert enterprise.approved_plugins is not None
            for category, selected in domain.plugins.model_dump(exclude_none=True).items():
                name_of = selected.get("provider") or selected["type"]
                validate_domain_plugin_whitelist(category, name_of, enterprise.approved_plugins)


def test_a_domain_weakening_the_enterprise_is_caught_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "three-tier"
    shutil.copytree(TIER, tree)
    sales = tree / "sales/manifest.yaml"
    sales.write_text(
        sales.read_text("utf-8").replace(
            "  # pii_encryption, audit_logging: inherited (required, enabled)\n",
            "  pii_encryption: optional\n",
        ),
        "utf-8",
    )
    monkeypatch.chdir(tree)
    run = run_cli("check", ".", "--format", "json")
    assert [(f["rule"], f["file"], f["line"], f["column"]) for f in run.findings] == [
        ("FL601", "sales/manifest.yaml", 38, 19)
    ]
    assert run.findings[0]["related"][0]["file"] == "enterprise/manifest.yaml"
    assert run.findings[0]["related"][0]["line"] == 54
