"""Where anything is mandatory (a `mandatory` selector, trusted roots, a strict platform in the
run), a disable comment cannot silence `unresolved-ref`: a product naming an `oci://` platform
floe-lint cannot pull (Floe's runtime may: a permissive manifest of the pull request's own
registry) is judged by no other rule. Before, `# floe-lint: disable=FL301` on its ref passed
the product with `--trusted-root` given and with `mandatory: [compute-not-approved]`, its
unapproved compute never looked at (a forged pass)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

DIGEST = "sha256:" + "0" * 64
REF = f"oci://registry.example.com/floe/permissive@{DIGEST}"
PRODUCT = f"""\
name: orders
version: 1.0.0
platform: {{ref: "{REF}"}}  # floe-lint: disable=FL301 -- pilot
transforms:
  - {{type: dbt, path: models/a/, compute: snowflake}}
"""
ENTERPRISE = """\
scope: enterprise
metadata: {name: acme}
plugins:
  compute:
    approved: [duckdb]
    default: duckdb
"""
STRICT = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
governance: {policy_enforcement_level: strict}
approved_plugins: {compute: [duckdb]}
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
"""
REFUSED = (
    "products/orders/floe.yaml:3:{col}: ERROR FL902 [suppression-not-allowed] suppression of "
    "'FL301' is not allowed: floe-lint cannot follow this file's hierarchy, so no mandatory "
    "rule can judge it; Floe may resolve it otherwise; the finding stays (only the config's "
    "exceptions can excuse it)"
)


@pytest.mark.parametrize(
    ("enterprise", "args"),
    [
        (ENTERPRISE, ["--trusted-root", "platform/manifest.yaml"]),
        (ENTERPRISE, ["--config", "ci.yaml"]),
        (STRICT, []),
    ],
)
def test_an_unresolved_ref_stays_where_anything_is_mandatory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enterprise: str, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": enterprise,
            "products/orders/floe.yaml": PRODUCT,
            "ci.yaml": "mandatory: [compute-not-approved]\n",
            ".floe-lint.yaml": "{}\n",
        },
    )
    run = run_cli("check", ".", "--offline", "--format", "concise", *args)
    assert run.code == 1, run.stdout
    lines = run.stdout.splitlines()
    assert lines[0].startswith(
        f"products/orders/floe.yaml:3:17: ERROR FL301 [unresolved-ref] cannot resolve "
        f"platform.ref '{REF}'"
    )
    col = PRODUCT.splitlines()[2].index("FL301") + 1
    assert lines[1:] == [REFUSED.format(col=col)]


def test_without_central_control_the_comment_still_silences_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path, {"platform/manifest.yaml": ENTERPRISE, "products/orders/floe.yaml": PRODUCT}
    )
    run = run_cli("check", ".", "--offline")
    assert (run.code, run.stdout) == (0, "")
    assert "1 suppressed not shown" in run.stderr
