"""A per-environment file whose base is JSON (`floe.prod.yaml` beside `floe.json`) is governed
and checked as one beside `floe.yaml`: the rules pair it with the JSON base, so the lookups of
a base must find that base too. Before, a strict platform's policy finding in such an overlay
was silenced by a disable comment (the overlay was not taken as governed strictly), and the
overlay given alone (the pre-commit hook's staged floe.prod.yaml) was checked against no base:
both exited 0 on a compute Floe would run in prod only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

ENTERPRISE = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
governance: {policy_enforcement_level: LEVEL}
approved_plugins: {compute: [duckdb]}
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
"""
PRODUCT = {
    "apiVersion": "floe.dev/v1",
    "kind": "FloeSpec",
    "metadata": {"name": "orders", "version": "1.0.0"},
    "platform": {"manifest": "../../platform/manifest.yaml"},
    "transforms": [{"name": "stg_orders", "compute": "duckdb"}],
}
OVERLAY = "transforms:\n  - {name: stg_orders, compute: spark}\n"
FINDING = (
    "products/orders/floe.prod.yaml:2:33: ERROR FL401 [environment-override] a "
    "per-environment file changes the compute; a transform must run on the same compute in "
    "every environment (ADR-0010)\n"
)
REFUSED = (
    "products/orders/floe.prod.yaml:2:62: ERROR FL902 [suppression-not-allowed] suppression "
    "of 'FL401' is not allowed: its platform enforces policy strictly "
    "(governance.policy_enforcement_level: strict); the finding stays (only the config's "
    "exceptions can excuse it)\n"
)


def tree(root: Path, level: str, overlay: str) -> None:
    write_files(
        root,
        {
            "platform/manifest.yaml": ENTERPRISE.replace("LEVEL", level),
            "products/orders/floe.json": json.dumps(PRODUCT, indent=1) + "\n",
            "products/orders/floe.prod.yaml": overlay,
            ".floe-lint.yaml": "{}\n",
        },
    )


def test_a_strict_platform_refuses_a_disable_comment_in_the_overlay_of_a_json_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    comment = OVERLAY.replace("}\n", "}  # floe-lint: disable=FL401 -- pilot\n")
    tree(tmp_path, "strict", comment)
    run = run_cli("check", ".")
    assert (run.code, run.stdout) == (1, FINDING + REFUSED), run.stdout
    tree(tmp_path, "warn", comment)  # not strict: the comment silences it, as in floe.yaml's
    run = run_cli("check", ".")
    assert (run.code, run.stdout) == (0, ""), run.stdout


@pytest.mark.parametrize("hook", [[], ["--hook"]])
def test_an_overlay_given_alone_is_checked_against_its_json_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hook: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, "warn", OVERLAY)
    assert (run_cli("check", ".").stdout) == FINDING
    run = run_cli("check", *hook, "products/orders/floe.prod.yaml")
    assert (run.code, run.stdout) == (1, FINDING), run.stdout
