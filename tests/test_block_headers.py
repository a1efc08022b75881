"""A block scalar header (`description: |`) that PyYAML's own parser refuses and libyaml reads:
a tab after the `|`, or a `#` straight after it. Upstream Floe's `yaml.safe_load` refuses the
file, so it is a `yaml-syntax` finding at the character; and a `# floe-lint: disable` there is
no comment for Floe, so it silences nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.load import divergence
from floe_lint.load.comments import Comments
from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = (
    "name: orders\n"
    "description: |{header}\n"
    "  the orders\n"
    "platform: {{ref: manifest.yaml}}\n"
    "transforms: [{{type: dbt, path: models/x/, compute: spark}}]\n"
)
SUPPRESS = "# floe-lint: disable-file=FL201 -- pilot"


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    product = PRODUCT.format(header=header)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": product})
    yaml.load(product, Loader=yaml.CSafeLoader)  # libyaml reads it
    run = run_cli("check", ".", "--format", "concise")
    return run.stdout.splitlines()


@pytest.mark.parametrize(
    ("header", "col", "message"),
    [
        ("\t" + SUPPRESS, 15, "a tab after a block scalar's '|': "),
        ("-\t" + SUPPRESS, 16, "a tab after a block scalar's '|': "),
        (" \t" + SUPPRESS, 16, "a tab after a block scalar's '|': "),
        (SUPPRESS, 15, "a '#' with no space before it after a block scalar's '|': "),
    ],
)
def test_a_header_pyyaml_refuses_is_a_finding_and_its_comment_silences_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str, col: int, message: str
) -> None:
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(PRODUCT.format(header=header))  # upstream Floe refuses the file
    lines = _check(tmp_path, monkeypatch, header)
    assert lines[0].startswith(f"floe.yaml:2:{col}: ERROR FL001 [yaml-syntax] {message}")
    assert "upstream Floe's yaml.safe_load (PyYAML's own parser) refuses the file" in lines[0]
    # the disable comment is text for Floe: the finding it names is not silenced
    assert lines[1].startswith("floe.yaml:5:52: ERROR FL201 [compute-not-approved] transform")
    assert len(lines) == 2


def test_a_header_with_a_space_before_the_comment_is_a_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    yaml.safe_load(PRODUCT.format(header=" " + SUPPRESS))
    assert _check(tmp_path, monkeypatch, " " + SUPPRESS) == []
    yaml.safe_load(PRODUCT.format(header="-  #\tnote"))  # a tab inside the comment is fine
    [only] = _check(tmp_path, monkeypatch, "-  #\tnote")
    assert only.startswith("floe.yaml:5:52: ERROR FL201 [compute-not-approved]")


def test_the_comment_scanner_agrees_with_pyyaml_on_the_header_line() -> None:
    for header, comment in (("| # x", True), ("|\t# x", False), ("|# x", False), ("|- # x", True)):
        text = f"k: {header}\n  body\n"
        hash_at = text.index("#")
        assert Comments(text).at(0, hash_at) is comment, header


_HEADER = ["|", ">"]
_AFTER = ["", "-", "+", "2", " ", "  ", "\t", "#", "#c", " #c", "\t#c", "x"]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.sampled_from(_HEADER), st.lists(st.sampled_from(_AFTER), max_size=4))
def test_a_header_finding_exactly_when_pyyaml_refuses_what_libyaml_reads(
    indicator: str, after: list[str]
) -> None:
    text = "k: " + indicator + "".join(after) + "\n  body\n"
    try:
        yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return  # libyaml refuses it too: a syntax finding of its own
    try:
        yaml.load(text, Loader=yaml.SafeLoader)
        refused = False
    except yaml.YAMLError:
        refused = True
    found = [p for p in divergence.problems(text) if "block scalar" in p.message]
    assert bool(found) == refused, repr(text)
