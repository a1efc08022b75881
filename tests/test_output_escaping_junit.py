"""`--format junit` writes a key's C1 controls (U+009B starts a terminal's control sequence),
DEL, NEL, U+2028 and bidi controls as the text format shows them: XML 1.0 carries them, so a
CI page (Jenkins, GitLab) showed them raw; what XML cannot carry at all stays `\\xNN`."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import run_cli, write_files
from tests.test_output_escaping_json import MANIFEST, PRODUCT, RAW


def test_a_key_s_control_characters_are_escaped_in_junit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    with (tmp_path / "floe.yaml").open("a", encoding="utf-8") as out:
        out.write('"z\\x9b2J\\x7f\\N\\L\\u202eü": 1\n')
    run = run_cli("check", "floe.yaml", "--format", "junit")
    assert run.code == 1
    failure = ET.fromstring(run.stdout).find("testsuite/testcase/failure")
    assert failure is not None
    shown = "unknown key 'z\\x9b2J\\x7f\\x85\\u2028\\u202eü' in the document"
    assert failure.get("message") == f"FL101 {shown}"
    assert failure.text == f"floe.yaml:6:1: ERROR FL101 [schema-unknown-key] {shown}"
    assert [c for c in RAW if c in run.stdout] == []
