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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.compute import artifacts
from tests.conftest import run_cli, write_files

RLO = "\u202e"
RLM = "\u200f"
PRODUCT = (
    "name: orders\nplatform: {{ref: ../../manifest.yaml}}\n"
    'transforms:\n  - {{type: dbt, path: "models/{odd}fdp.exe/", compute: duckdb}}\n'
)


# Every bidi control in a transform path is FL106's error (tests/test_transform_path_bidi.py;
# the marks U+200E, U+200F and U+061C too since 5238aeb): compile refuses such a product and
# writes nothing, and what reaches the generated files otherwise goes through `json_text`
@pytest.mark.parametrize("odd", ["\u200f", "\u061c", RLO])
def test_compile_refuses_it_and_writes_nothing(
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
    assert run.code == 1 and "compile refused: 1 error in products/p/floe.yaml" in run.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("odd", ["\u200f", "\u061c", RLO])
def test_compiled_artifacts_json_escapes_it(odd: str) -> None:
    from floe_lint.reporters import json_text

    text = json_text({"dbt_select": f"path:models/{odd}fdp.exe"}, indent=2)
    escaped = json.dumps(odd)[1:-1]  # \u200f
    assert text.isascii() and f'"dbt_select": "path:models/{escaped}fdp.exe"' in text
    assert json.loads(text) == {"dbt_select": f"path:models/{odd}fdp.exe"}


def test_check_shows_it_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": PRODUCT.replace("../../", "").replace("duckdb}", "spark}").format(odd=RLM),
        },
    )
    run = run_cli("check", "floe.yaml")
    assert run.stdout.startswith(
        "floe.yaml:4:23: ERROR FL106 [schema-invalid] 'transforms[0].path' "
        "'models/\\u200ffdp.exe/' must be a dbt path selector"
    ), run.stdout
    assert RLM not in run.stdout
    run = run_cli("check", "floe.yaml", "--format", "sarif")
    # a SARIF viewer shows the decoded message: escaped as the text format shows it (1e95bea)
    assert RLM not in run.stdout and "models/\\\\u200ffdp.exe/" in run.stdout


def test_profiles_yml_escapes_it() -> None:
    document = {f"orders{RLO}gpj": {"target": "duckdb", "outputs": {"duckdb": {"path": "é"}}}}
    text = artifacts.profiles_text(document)
    assert RLO not in text and "orders\\u202Egpj" in text
    assert artifacts.yaml.safe_load(text) == document
    # printable text keeps its characters: only what shows nothing is escaped
    plain = {"orders": {"target": "duckdb", "outputs": {"duckdb": {"path": "é"}}}}
    assert "é" in artifacts.profiles_text(plain)


# (no deadline: an example dumps and reads back YAML twice, past 200 ms on a loaded CI core)
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(st.text(), lambda inner: st.dictionaries(st.text(), inner, max_size=3)))
def test_profiles_yml_reads_back_and_shows_every_character(data: object) -> None:
    document = {"p": {"target": "duckdb", "outputs": {"duckdb": data}}}
    text = artifacts.profiles_text(document)
    assert artifacts.yaml.safe_load(text) == document
    assert all(c.isprintable() or c == "\n" for c in text)
