"""The JSON formats (json, sarif, gitlab) write each control character that the text format
escapes as a JSON `\\u` escape: json.dumps(ensure_ascii=False) left C1 controls (U+009B is a
terminal's control sequence introducer), DEL, U+2028 and bidi controls of a key raw, so
`check --format json` shown in a terminal or a review could be driven by the file's text. The
data is unchanged: the escape reads back as the same character. A SARIF message is text a
viewer (GitHub code scanning) decodes and shows a reviewer: it is escaped as the text format
escapes it, so a bidi control cannot reorder what the reviewer reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

MANIFEST = "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
PRODUCT = (
    "name: orders\nversion: '1.0.0'\nplatform: {ref: manifest.yaml}\ntransforms:\n"
    "  - {type: dbt, path: models/a/}\n"
)
KEY = "z\x9b2J\x7f\x85\u2028\u202eü"
RAW = ("\x9b", "\x7f", "\x85", "\u2028", "\u202e")


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_a_key_s_control_characters_are_escaped_in_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    with (tmp_path / "floe.yaml").open("a", encoding="utf-8") as out:
        out.write('"z\\x9b2J\\x7f\\N\\L\\u202eü": 1\n')
    run = run_cli("check", "floe.yaml", "--format", fmt)
    assert run.code == 1
    assert [c for c in RAW if c in run.stdout] == []
    decoded = json.dumps(json.loads(run.stdout), ensure_ascii=False)
    if fmt == "sarif":  # a viewer shows the decoded message: escaped as the text format does
        assert (
            "Unknown key 'z\\x9b2J\\x7f\\x85\\u2028\\u202eü' in the document."
            in (json.loads(run.stdout)["runs"][0]["results"][0]["message"]["text"])
        )
        assert not any(c in decoded for c in RAW)
    else:
        assert "\\u009b2J\\u007f\\u0085\\u2028\\u202eü" in run.stdout  # (ü kept as it is)
        assert f"nown key '{KEY}'" in decoded
