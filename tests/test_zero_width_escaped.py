"""Invisible format characters (U+200B zero-width space, U+200C, U+200D, U+2060 word joiner,
U+FEFF, U+00AD, U+180E, U+2061-U+2064) in user text are shown as escapes by every report and in
the generated compiled_artifacts.json, as bidi controls are (tests/test_generated_bidi.py): a
compute 'spa<U+200B>rk' printed raw reads as 'spark', and a transform path
'models/<U+200B>x/' (which FL106 lets through) reached compiled_artifacts.json raw, where a
reviewer reads models/x/ while dbt selects another folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from floe_lint.reporters import json_text, printable
from tests.conftest import run_cli, write_files

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u2063"]


@pytest.mark.parametrize("odd", INVISIBLE)
def test_printable_and_json_text_escape_it(odd: str) -> None:
    escaped = f"\\u{ord(odd):04x}"
    assert printable(f"spa{odd}rk") == f"spa{escaped}rk"
    text = json_text({"dbt_select": f"path:models/{odd}x/", "é": "é"})
    assert odd not in text and f'"path:models/{escaped}x/"' in text and "é" in text
    assert json.loads(text) == {"dbt_select": f"path:models/{odd}x/", "é": "é"}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "gitlab", "junit"])
def test_check_shows_a_zero_width_space_in_a_compute_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n",
            "floe.yaml": "name: orders\nplatform: {ref: manifest.yaml}\n"
            'transforms:\n  - {path: models/x/, compute: "spa\u200brk"}\n',
        },
    )
    run = run_cli("check", "floe.yaml", "--format", fmt)
    assert run.code == 1
    assert "\u200b" not in run.stdout
    if fmt == "text":
        assert run.stdout.startswith(
            "floe.yaml:4:32: ERROR FL201 [compute-not-approved] transform 'models/x/' selects "
            "compute 'spa\\u200brk', which platform manifest manifest.yaml does not approve"
        ), run.stdout
    else:  # escaped once more inside JSON or XML text: the message reads spa\u200brk
        assert "spa\\\\u200brk" in run.stdout or "spa\\u200brk" in run.stdout, run.stdout


def test_compiled_artifacts_json_shows_it_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "products/p/floe.yaml": "name: orders\nplatform: {ref: ../../manifest.yaml}\n"
            'transforms:\n  - {type: dbt, path: "models/\u200bx/", compute: duckdb}\n',
        },
    )
    run = run_cli("compile", "products/p/floe.yaml", "--out", "out")
    assert run.code == 0, run.stderr
    text = (tmp_path / "out/compiled_artifacts.json").read_text(encoding="utf-8")
    assert "\u200b" not in text and "models/\\u200bx" in text
