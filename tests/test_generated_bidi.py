"""A transform path holding a bidi control (U+202E) reaches the generated files only through
their serializers, escaped: compiled_artifacts.json wrote it raw (`"dbt_select":
"path:models/<U+202E>fdp.exe"`, which an editor or a diff shows as `path:models/exe.pdf`:
Trojan Source), and PyYAML wrote it raw in profiles.yml. The data read back is unchanged (dbt
selects the same folder). The output of `check` escapes it too (reporters.printable, and
reporters.json_text for SARIF).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.compute import artifacts
from tests.conftest import run_cli, write_files

RLO = "\u202e"
ZWSP = "\u200b"  # a zero-width space: Cf, shows nothing, not a bidi control
PRODUCT = (
    "name: orders\nplatform: {{ref: ../../manifest.yaml}}\n"
    'transforms:\n  - {{type: dbt, path: "models/{odd}fdp.exe/", compute: duckdb}}\n'
)


# every bidi control in a transform path is FL106's error (check refuses them,
# tests/test_transform_path_bidi.py; the marks U+200E, U+200F, U+061C too since 5238aeb);
# other characters that show nothing still pass and must still be escaped
@pytest.mark.parametrize("odd", ["\u200b", "\u2060"])
def test_compiled_artifacts_write_it_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "products/p/floe.yaml": PRODUCT.format(odd=odd),
        },
    )
    run = run_cli("compile", "products/p/floe.yaml", "--out", "out")
    assert run.code == 0, run.stderr
    text = (tmp_path / "out/compiled_artifacts.json").read_text("utf-8")
    assert text.isascii()
    escaped = json.dumps(odd)[1:-1]  # \u202e
    assert f'"dbt_select": "path:models/{escaped}fdp.exe"' in text
    data = json.loads(text)
    assert data["transforms"][0]["dbt_select"] == f"path:models/{odd}fdp.exe"
    profiles = (tmp_path / "out/profiles.yml").read_text("utf-8")
    assert all(c.isprintable() or c == "\n" for c in profiles)


def test_check_shows_it_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": PRODUCT.replace("../../", "").replace("duckdb}", "spark}").format(odd=ZWSP),
        },
    )
    run = run_cli("check", "floe.yaml")
    assert run.stdout.startswith(
        "floe.yaml:4:52: ERROR FL201 [compute-not-approved] transform 'models/\\u200bfdp.exe/'"
    ), run.stdout
    run = run_cli("check", "floe.yaml", "--format", "sarif")
    # a SARIF viewer shows the decoded message: escaped as the text format shows it (1e95bea)
    assert ZWSP not in run.stdout and "models/\\\\u200bfdp.exe/" in run.stdout


def test_profiles_yml_escapes_it() -> None:
    document = {f"orders{RLO}gpj": {"target": "duckdb", "outputs": {"duckdb": {"path": "é"}}}}
    text = artifacts.profiles_text(document)
    assert RLO not in text and "orders\\u202Egpj" in text
    assert artifacts.yaml.safe_load(text) == document
    # printable text keeps its characters: only what shows nothing is escaped
    plain = {"orders": {"target": "duckdb", "outputs": {"duckdb": {"path": "é"}}}}
    assert "é" in artifacts.profiles_text(plain)


@given(st.recursive(st.text(), lambda inner: st.dictionaries(st.text(), inner, max_size=3)))
def test_profiles_yml_reads_back_and_shows_every_character(data: object) -> None:
    document = {"p": {"target": "duckdb", "outputs": {"duckdb": data}}}
    text = artifacts.profiles_text(document)
    assert artifacts.yaml.safe_load(text) == document
    assert all(c.isprintable() or c == "\n" for c in text)
