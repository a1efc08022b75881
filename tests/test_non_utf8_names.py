"""Every output format survives a folder whose name is not UTF-8 (Linux allows any bytes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from floe_lint.cli import main

MANIFEST = b"plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = b"name: p\nplatform: {ref: manifest.yaml}\ntransforms: [{path: m/, compute: spark}]\n"

#: how each format names the folder b"dom\xff\xfe"
SHOWN = {
    "text": "dom\\xff\\xfe/floe.yaml:3:34: ERROR FL201",
    "json": '"file": "dom\\\\xff\\\\xfe/floe.yaml"',
    "sarif": '"uri":"dom%FF%FE/floe.yaml"',
    "github": "file=dom\\xff\\xfe/floe.yaml,line=3",
    "gitlab": '"path": "dom\\\\xff\\\\xfe/floe.yaml"',
    "junit": 'name="dom\\xff\\xfe/floe.yaml"',
}


@pytest.mark.parametrize("fmt", sorted(SHOWN))
def test_every_format_names_a_non_utf8_folder_in_valid_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    folder = os.fsencode(tmp_path) + b"/dom\xff\xfe"
    os.mkdir(folder)
    with open(folder + b"/manifest.yaml", "wb") as f:
        f.write(MANIFEST)
    with open(folder + b"/floe.yaml", "wb") as f:
        f.write(PRODUCT)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    out = tmp_path / "report"
    code = main(["check", ".", "--format", fmt, "--output", str(out)])
    assert code == 1
    text = out.read_bytes().decode("utf-8")  # strict: no lone surrogate, no raw 0xff
    assert SHOWN[fmt] in text
