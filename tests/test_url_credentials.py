"""A password in an `oci://user:password@host` ref is a finding (ref-credential) and is starred
in every output: text (with source), json, sarif, github, gitlab, junit, explain, stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.secrets import mask_url_credentials
from tests.conftest import run_cli, write_files

PASSWORD = "Hunter2-Pw"
REF = f"oci://ci:{PASSWORD}@registry.example.com/floe/platform:1.0"
PRODUCT = f"name: orders\nplatform: {{ref: '{REF}'}}\ntransforms: [{{type: dbt, path: m/}}]\n"


@pytest.fixture(autouse=True)
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    write_files(tmp_path, {"floe.yaml": PRODUCT})


def test_it_is_a_ref_credential_finding_at_the_ref() -> None:
    run = run_cli("check", ".", "--format", "json", "--offline")
    [finding] = run.named("ref-credential")
    assert (finding["file"], finding["line"], finding["column"]) == ("floe.yaml", 2, 17)
    assert finding["message"].startswith(
        "holds a password (oci://ci:**********@registry.example.com/floe/platform:1.0): remove it"
    )


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "gitlab", "junit"])
def test_no_output_format_prints_it(fmt: str) -> None:
    run = run_cli(
        "check", ".", "--format", fmt, "--show-source", "--include-suppressed", "--offline"
    )
    assert run.code == 1
    assert PASSWORD not in run.stdout + run.stderr
    assert "oci://ci:**********@registry.example.com" in run.stdout


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_explain_does_not_print_it(fmt: str) -> None:
    run = run_cli("explain", "floe.yaml", "--format", fmt)
    assert PASSWORD not in run.stdout + run.stderr
    assert "oci://ci:**********@registry.example.com" in run.stdout
    if fmt == "json":
        assert json.loads(run.stdout)["platform_ref"]["text"].startswith("oci://ci:***")


def test_error_lines_do_not_print_it(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "ok/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "ok/floe.yaml": PRODUCT.replace(REF, "manifest.yaml"),
        },
    )
    run = run_cli("check", "ok", f"--trusted-root={REF}", "--offline")
    assert run.code == 2
    assert PASSWORD not in run.stderr
    assert "trusted root 'oci://ci:**********@registry.example.com" in run.stderr


@given(
    st.text(max_size=40),
    st.text(alphabet=st.characters(blacklist_characters="/@ \t\r\n\"'"), min_size=1, max_size=20),
)
def test_masking_keeps_the_length_and_hides_the_password(prefix: str, password: str) -> None:
    text = f"{prefix} https://user:{password}@host/x"
    masked = mask_url_credentials(text)
    assert len(masked) == len(text)
    assert masked.endswith(f"https://user:{'*' * len(password)}@host/x")


def test_the_effective_config_does_not_print_it(tmp_path: Path) -> None:
    write_files(tmp_path, {"ci.yaml": f"trusted-roots: ['{REF}']\nrefs: {{'{REF}': floe.yaml}}\n"})
    run = run_cli("config", "--config=ci.yaml")
    assert run.code == 0, run.stderr
    assert PASSWORD not in run.stdout
    assert run.stdout.count("oci://ci:**********@registry.example.com") == 2
