"""The dependents search finds a ref however YAML spells it: plain, single-quoted with `''`,
double-quoted with `\\x`, `\\u` and `\\"` escapes, folded over lines, literal, in flow, through
folders whose names hold a space, a quote or other odd characters (a ref the search could not
read was a missed dependent: `check` of the manifest passed while the product broke)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from floe_lint.load.walk import Beside
from floe_lint.load.workspace import Workspace
from floe_lint.model.ref_spelling import spelled_otherwise
from floe_lint.model.reverse_index import ReverseIndex
from tests.conftest import run_cli, write_files
from tests.test_reverse_index_random import _fields, straightforward

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
BODY = "transforms: [{type: dbt, path: models/a/, compute: spark}]\n"


@pytest.mark.parametrize(
    ("folder", "platform"),
    [
        ("o'brien", "platform: {ref: '../o''brien/manifest.yaml'}"),
        ("o'brien", "platform:\n  ref: '../o''brien/manifest.yaml'"),
        ("data platform", "platform:\n  ref: ../data\n    platform/manifest.yaml"),
        ("data platform", "platform: {ref: ../data\n  platform/manifest.yaml}"),
        ("data platform", 'platform:\n  ref: "../data\n    platform/manifest.yaml"'),
        ("data platform", "platform:\n  ref: >-\n    ../data\n    platform/manifest.yaml"),
        ("o'brien/sales", "platform:\n  ref: '../o''brien/sales/manifest.yaml'"),
        ("data platform/sales", "platform:\n  ref: ../data\n    platform/sales/manifest.yaml"),
    ],
)
def test_a_ref_spelled_otherwise_than_its_value_is_a_dependent(
    folder: str, platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`''` for a quote, a line break folded to a space: the ref's text on its line is not its
    value (here through the folder it names or one it passes through)."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            f"{folder}/manifest.yaml": MANIFEST,
            "o'brien/x": "",
            "data platform/x": "",
            "p/floe.yaml": f"name: p\n{platform}\n{BODY}",
        },
    )
    line = platform.count("\n") + 3
    run = run_cli("check", "--no-cache", "--workspace", ".", f"{folder}/manifest.yaml")
    assert run.stdout.splitlines()[:2] == [
        f"p/floe.yaml:{line}:52: ERROR FL201 [compute-not-approved] transform 'models/a/' "
        "selects compute 'spark', which platform manifest manifest.yaml does not approve (no "
        "level of the hierarchy approves it); approved: duckdb",
        f"      note: a dependent of the changed manifest {folder}/manifest.yaml",
    ]
    assert run.stderr.splitlines()[-1] == (
        "floe-lint: 1 error (2 files checked, 1 of them dependent of the changed manifests)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "a: ''\n",
        "a: |\n  x\n",
        "a: >-\n  x\n",
        "a: 'x\n  y'\n",
        'a: "x\n  y"\n',
        "a: x\n  y\n",
        "- x\n  y\n",
        "- - x\n    y\n",
        "a:\n  x\n  y\n",
        "a: {b: x\ny}\n",
        "a: [x,\n  y\n  z]\n",
        "a: team's data\n",
        "a: !!str 'x'\n",
    ],
)
def test_text_that_may_fold_or_escape_a_scalar_is_parsed(text: str) -> None:
    assert spelled_otherwise(text, set(text) - {"\n"})


@pytest.mark.parametrize(
    "text",
    [
        "name: p\nplatform:\n  ref: ../platform/sales/manifest.yaml\ntransforms: []\n",
        "platform: {ref: '../platform/sales'}  # it's here\n",
        "transforms:\n  - name: a\n    type: dbt\n  - {name: b}\n",
        "tags: [\n  a,\n  b]\n",
        "a: \"x: y\"\n'b': [\"c\", 'd']\n",
        "---\na: b\n...\n",
        "a: b  # c |\nd: e\n",
    ],
)
def test_text_whose_scalars_each_lie_on_one_line_is_read_as_text(text: str) -> None:
    assert not spelled_otherwise(text, set(text) - {"\n"})


#: folder names with characters YAML escapes, quotes or folds
NAMES = ("o'brien", "data platform", 'say "hi"', "a#b", "x: y", "ünï", "it''s", "a  b", "p,q")


def _double(value: str, escapes: list[int]) -> str:
    out = []
    for index, char in enumerate(value):
        way = escapes[index % len(escapes)] if escapes else 0
        if char in '"\\':
            out.append("\\" + char)
        elif way == 1:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}")
        elif way == 2:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _folded(value: str, breaks: int, indent: str) -> str:
    """`value` with its first `breaks` single spaces as line breaks (folded back to spaces)."""
    parts = value.split(" ")
    out = parts[0]
    for index, part in enumerate(parts[1:]):
        out += ("\n" + indent if index < breaks else " ") + part
    return out


def _spell(value: str, style: int, breaks: int, escapes: list[int]) -> tuple[str, bool]:
    """(the platform ref written in one YAML style, whether in flow)."""
    single = "'" + value.replace("'", "''") + "'"
    forms = [
        (value, False),  # plain
        (_folded(value, breaks, "    "), False),  # plain over lines
        (single, False),
        (_folded(single, breaks, "    "), False),
        (_double(value, escapes), False),
        (_folded(_double(value, escapes), breaks, "    "), False),
        (">-\n    " + _folded(value, breaks, "    "), False),  # folded block
        ("|-\n    " + value, False),  # literal block
        (value, True),  # flow, plain
        (_folded(value, breaks, "  "), True),
        (single, True),
        (_double(value, escapes), True),
    ]
    return forms[style % len(forms)]


def _product(number: int, ref: str, style: int, breaks: int, escapes: list[int]) -> str:
    scalar, flow = _spell(ref, style, breaks, escapes)
    platform = "platform: {ref: " + scalar + "}" if flow else "platform:\n  ref: " + scalar
    return f"name: p{number}\n{platform}\n{BODY}"


PRODUCTS = st.lists(
    st.tuples(
        st.sampled_from(NAMES),  # the group folder the ref passes through
        st.sampled_from(NAMES),  # the domain it names
        st.booleans(),  # by its folder, not its manifest
        st.integers(0, 11),  # the style
        st.integers(0, 3),  # line breaks in place of spaces
        st.lists(st.integers(0, 2), max_size=4),  # how each character is escaped
    ),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(products=PRODUCTS, pick=st.integers(0, 4))
def test_every_scalar_style_finds_what_parsing_every_file_finds(
    tmp_path_factory: pytest.TempPathFactory,
    products: list[tuple[str, str, bool, int, int, list[int]]],
    pick: int,
) -> None:
    """Property: the search (bytes tested, few files parsed) equals parsing every file, for
    refs in every scalar style through folders with odd names; and each product whose ref
    (read back by YAML) names the changed manifest is one of them."""
    root = tmp_path_factory.mktemp("styles") / "ws"
    files = {f"{group}/{name}/manifest.yaml": MANIFEST for group in NAMES for name in NAMES}
    via, pick_name = products[pick % len(products)][:2]
    named = 0
    for number, (group, name, folder, style, breaks, escapes) in enumerate(products):
        ref = f"../../{group}/{name}" + ("" if folder else "/manifest.yaml")
        text = _product(number, ref, style, breaks, escapes)
        try:
            read = yaml.safe_load(text)
        except yaml.YAMLError:
            read = None
        assume(read is not None and read["platform"]["ref"] == ref)
        files[f"products/p{number}/floe.yaml"] = text
        named += (group, name) == (via, pick_name)
    write_files(root, files)
    changed = root / via / pick_name / "manifest.yaml"
    old = os.getcwd()
    os.chdir(root)
    try:
        expected = _fields(straightforward(root, changed))
        assert len(expected) == named
        for listing in (None, Beside()):
            index = ReverseIndex(root, Workspace(), {}, listing=listing)
            assert _fields(index.dependents([changed])) == expected
    finally:
        os.chdir(old)
