"""environment-override (FL401) compares a per-environment manifest's governance with what is in
force at its base, inherited values included: a domain that writes no governance of its own
inherits its enterprise's, and manifest.prod.yaml beside it turning encryption off passed (the
rule compared with the base file's own values only). Its findings then depend on the parents,
so neither the result cache's local findings nor impact's other run serve them there."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from floe_lint.cli import main
from floe_lint.lint import cache
from tests.conftest import write_files

UPSTREAM = "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: %s, version: 1.0.0, owner: a@b.example}\n"
ENTERPRISE = UPSTREAM % "acme" + (
    "scope: enterprise\nplugins: {compute: {type: duckdb}}\napproved_plugins: {compute: [duckdb]}\n"
)
GOVERNED = ENTERPRISE + "governance:\n  pii_encryption: required\n  audit_logging: enabled\n"
DOMAIN = UPSTREAM % "sales" + (
    "scope: domain\nparent_manifest: ../enterprise/manifest.yaml\n"
    "plugins: {compute: {type: duckdb}}\ndefaults: {compute: duckdb}\n"
)
WEAKER = "governance:\n  pii_encryption: optional\n  audit_logging: disabled\n"
WHY = "an environment may keep or strengthen its platform's governance, never weaken it"


def found(run) -> list[tuple[str, int, int, str, list[tuple[str, int, str]]]]:  # type: ignore[no-untyped-def]
    return [
        (
            f["file"],
            f["line"],
            f["column"],
            f["message"],
            [(r["file"], r["line"], r["message"]) for r in f["related"]],
        )
        for f in run.named("environment-override")
    ]


def test_a_domains_overlay_may_not_weaken_what_it_inherits(lint) -> None:  # type: ignore[no-untyped-def]
    run = lint(
        {
            "enterprise/manifest.yaml": GOVERNED,
            "sales/manifest.yaml": DOMAIN,
            "sales/manifest.prod.yaml": WEAKER,
        }
    )
    assert found(run) == [
        (
            "sales/manifest.prod.yaml",
            2,
            19,
            "a per-environment file sets governance.pii_encryption to 'optional', weaker than "
            f"'required' set by enterprise 'acme'; {WHY} ('optional' < 'required')",
            [
                (
                    "enterprise/manifest.yaml",
                    8,
                    "governance.pii_encryption 'required' of enterprise 'acme', which the base "
                    "inherits",
                )
            ],
        ),
        (
            "sales/manifest.prod.yaml",
            3,
            18,
            "a per-environment file sets governance.audit_logging to 'disabled', weaker than "
            f"'enabled' set by enterprise 'acme'; {WHY} ('disabled' < 'enabled')",
            [
                (
                    "enterprise/manifest.yaml",
                    9,
                    "governance.audit_logging 'enabled' of enterprise 'acme', which the base "
                    "inherits",
                )
            ],
        ),
    ]
    assert run.code == 1


def test_an_environments_block_may_not_weaken_what_it_inherits_either(lint) -> None:  # type: ignore[no-untyped-def]
    """(ADR-0010's dialect: upstream's has no environments: block.)"""
    run = lint(
        {
            "ent/manifest.yaml": "scope: enterprise\n"
            "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
            "governance:\n  pii_encryption: required\n",
            "sales/manifest.yaml": "scope: domain\nparent_manifest: ../ent/manifest.yaml\n"
            "plugins: {compute: {approved: [duckdb]}}\n"
            "environments:\n  prod:\n    governance: {pii_encryption: optional}\n",
        }
    )
    assert found(run) == [
        (
            "sales/manifest.yaml",
            6,
            34,
            "'environments' sets governance.pii_encryption to 'optional', weaker than 'required' "
            f"set by enterprise manifest manifest.yaml; {WHY} ('optional' < 'required')",
            [
                (
                    "ent/manifest.yaml",
                    4,
                    "governance.pii_encryption 'required' of enterprise manifest manifest.yaml, "
                    "which the base inherits",
                )
            ],
        )
    ]


def test_the_base_files_own_stronger_value_is_the_one_named(lint) -> None:  # type: ignore[no-untyped-def]
    run = lint(
        {
            "enterprise/manifest.yaml": ENTERPRISE + "governance: {audit_logging: enabled}\n",
            "sales/manifest.yaml": DOMAIN + "governance: {pii_encryption: required}\n",
            "sales/manifest.prod.yaml": WEAKER,
        }
    )
    assert [(f[0], f[1], f[4]) for f in found(run)] == [
        (
            "sales/manifest.prod.yaml",
            2,
            [("sales/manifest.yaml", 8, "governance.pii_encryption in the base file")],
        ),
        (
            "sales/manifest.prod.yaml",
            3,
            [
                (
                    "enterprise/manifest.yaml",
                    7,
                    "governance.audit_logging 'enabled' of enterprise 'acme', which the base "
                    "inherits",
                )
            ],
        ),
    ]


def test_keeping_what_it_inherits_passes(lint) -> None:  # type: ignore[no-untyped-def]
    run = lint(
        {
            "enterprise/manifest.yaml": GOVERNED,
            "sales/manifest.yaml": DOMAIN,
            "sales/manifest.prod.yaml": "governance: {pii_encryption: required}\n",
        }
    )
    assert found(run) == []
    assert run.code == 0


def _check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("first, then", [(ENTERPRISE, GOVERNED), (GOVERNED, ENTERPRISE)])
def test_a_cached_run_after_a_parent_edit_prints_what_a_cold_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str, then: str
) -> None:
    """Only the enterprise changes: the domain and its overlay are the same files, so the
    domain's local findings were served from the store, keyed by it and its overlays only."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    files = {
        "enterprise/manifest.yaml": first,
        "sales/manifest.yaml": DOMAIN,
        "sales/manifest.prod.yaml": WEAKER,
    }
    write_files(tmp_path / "ws", files)
    monkeypatch.chdir(tmp_path / "ws")
    _check(".")  # fills the store
    (tmp_path / "ws/enterprise/manifest.yaml").write_text(then)
    cold = _check(".", "--no-cache")
    assert cold[0] == (1 if then == GOVERNED else 0)
    assert _check(".") == cold
    assert _check(".") == cold  # and replayed whole
