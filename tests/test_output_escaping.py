"""Output: user text cannot forge lines, workflow commands or terminal codes, and positions in
odd input (NUL, invalid UTF-8) are the real line and the code-point column.

Cases of the security reproducer (issue 12): control_chars_in_text, nul_location.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_lint.reporters import printable
from tests.conftest import run_cli, write_files

MANIFEST = "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
PRODUCT = (
    "name: orders\nversion: '1.0.0'\nplatform: {ref: manifest.yaml}\ntransforms:\n"
    "  - {type: dbt, path: models/a/}\n"
)
FORGED = '"z\\n::error file=README.md,line=1::forged annotation\\e[2K\\r\\u2028\\x9b": 1\n'


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_printable_escapes_every_control_character_but_tab() -> None:
    assert printable("a\nb\rc\x1b[2K\x00\x7f\x9b\u2028\u202e\td") == (
        "a\\nb\\rc\\x1b[2K\\x00\\x7f\\x9b\\u2028\\u202e\td"
    )
    assert printable("plain: ünïcode ✓") == "plain: ünïcode ✓"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_key_with_control_characters_forges_nothing(workdir: Path, fmt: str) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT + FORGED})
    run = run_cli("check", "floe.yaml", "--show-source", "--format", fmt)
    assert run.code == 1
    output = run.stdout + run.stderr
    for forbidden in ("\x1b", "\r", "\x9b", "\u2028"):
        assert forbidden not in output
    lines = output.splitlines()
    assert not any(line.startswith("::error file=README.md") for line in lines)
    if fmt == "text":
        assert "unknown key 'z\\n::error file=README.md" in output
        assert len(lines) == 4  # the finding, its source line, the caret, the summary
    else:
        assert [line[:8] for line in lines if line.startswith("::")] == ["::error "]


def test_the_caret_sits_under_escaped_text(workdir: Path) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST})
    (workdir / "floe.yaml").write_text(PRODUCT + "\x1b: 1\n", encoding="utf-8")
    run = run_cli("check", "floe.yaml", "--show-source")
    source, caret = run.stdout.splitlines()[1:3]
    assert source.endswith("| \\x1b: 1")
    assert caret.endswith("| ^^^^")


def test_a_nul_byte_is_reported_at_its_line_and_column(workdir: Path) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST})
    text = PRODUCT.replace("  - {type", "  - {type\x00", 1)  # line 5, column 10
    (workdir / "floe.yaml").write_text(text, encoding="utf-8")
    [finding] = run_cli("check", "floe.yaml", "--format", "json").findings
    assert (finding["line"], finding["column"]) == (5, 10)
    assert finding["message"] == "invalid YAML: control characters are not allowed (U+0000)"


def test_the_reproducers_nul_is_reported_on_its_own_line(workdir: Path) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST})
    text = "é: 1\n" + PRODUCT.replace("transforms:", "transforms: \x00")  # NUL on line 5
    (workdir / "floe.yaml").write_text(text, encoding="utf-8")
    [finding] = run_cli("check", "floe.yaml", "--format", "json").findings
    assert (finding["line"], finding["column"]) == (5, 13)


def test_invalid_utf8_is_reported_at_its_code_point_column(workdir: Path) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST})
    (workdir / "floe.yaml").write_bytes(b"name: x\nowner: \xc3\xa9\xe2\x9c\x93 \xff\n")
    [finding] = run_cli("check", "floe.yaml", "--format", "json").findings
    assert finding["message"] == "file is not valid UTF-8"
    assert (finding["line"], finding["column"]) == (2, 11)  # bytes would say 14


def test_a_byte_order_mark_is_not_a_column(workdir: Path) -> None:
    (workdir / "floe.yaml").write_bytes(b"\xef\xbb\xbfname: \xff\n")
    [finding] = run_cli("check", "floe.yaml", "--format", "json").findings
    assert (finding["line"], finding["column"]) == (1, 7)
