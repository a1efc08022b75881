"""A dependent whose ref YAML spells otherwise than the path it names is still found by `check
MANIFEST` (a dependent missed is a false pass): a folder name with a space folded across lines
(plain, quoted and `>` scalars), a `'` written `''` in single quotes, a `#` inside a plain
scalar, node properties (`&anchor`, `!!str`) before a ref with a space, a block scalar's text
holding `: `, files whose lines end in CR, NEL or LS instead of LF, and a quoted ref with a
space inside its quotes (the ref is read without it).

The property compares the search's test (`holds_ref`) with what `yaml.safe_load` reads, on
random folder names and spellings: a file whose ref resolves to the target must pass it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from floe_lint.model.dependents_scan import holds_ref
from floe_lint.model.ref_needles import _Targets
from tests.conftest import run_cli, write_files

ENTERPRISE = "scope: enterprise\nmetadata: {name: acme}\n"
ENTERPRISE += "plugins: {compute: {approved: [duckdb, spark]}}\n"
DOMAIN = "scope: domain\nmetadata: {name: dom}\nparent_manifest: ENT\n"
DOMAIN += "plugins: {compute: {approved: [duckdb]}}\n"
TRANSFORMS = "transforms:\n  - type: dbt\n    path: models/a/\n    compute: spark\n"
MESSAGE = (
    "ERROR FL201 [compute-not-approved] transform 'models/a/' selects compute 'spark', which "
    "domain 'dom' does not approve (enterprise 'acme' approves it, but domain 'dom' removed it); "
    "approved: duckdb"
)

#: (folder of the domain manifest, the ref as YAML writes it, line break, line of the finding)
SPELLINGS = [
    ("platform/o'brien", "'../../platform/o''brien/manifest.yaml'", "\n", 7),
    ("platform/data team", "../../platform/data\n    team/manifest.yaml", "\n", 8),
    ("platform/data team", "'../../platform/data\n    team/manifest.yaml'", "\n", 8),
    ("platform/data team", '"../../platform/data\n    team/manifest.yaml"', "\n", 8),
    ("platform/data team", ">-\n    ../../platform/data\n    team/manifest.yaml", "\n", 9),
    ("my team/dom", "../../my\n    team/dom/manifest.yaml", "\n", 8),
    ("my#1/dom", "../../my#1/dom/manifest.yaml", "\n", 7),
    ("my team/dom", "&a ../../my team/dom/manifest.yaml", "\n", 7),
    ("my team/dom", "!!str ../../my team/dom/manifest.yaml", "\n", 7),
    ("a: b/dom", "|-\n    ../../a: b/dom/manifest.yaml", "\n", 8),
    ("my team/dom", "../../my team/dom/manifest.yaml", "\r", 7),
    ("my team/dom", "../../my team/dom/manifest.yaml", "\x85", 7),
    ("my team/dom", "../../my team/dom/manifest.yaml", "\u2028", 7),
    ("o'brien/dom", '"../../o\'brien/dom/manifest.yaml "', "\n", 7),
    ("o'brien/dom", '" ../../o\'brien/dom/manifest.yaml"', "\n", 7),
]


@pytest.mark.parametrize(("folder", "ref", "brk", "line"), SPELLINGS)
def test_check_of_a_manifest_finds_a_dependent_whose_ref_yaml_spells_otherwise(
    folder: str, ref: str, brk: str, line: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    parent = os.path.relpath("platform/ent/manifest.yaml", folder)
    product = f"name: p\nplatform:\n  ref: {ref}\n{TRANSFORMS}".replace("\n", brk)
    write_files(
        tmp_path,
        {
            "platform/ent/manifest.yaml": ENTERPRISE,
            f"{folder}/manifest.yaml": DOMAIN.replace("ENT", parent),
        },
    )
    (tmp_path / "products/p").mkdir(parents=True)
    (tmp_path / "products/p/floe.yaml").write_bytes(product.encode())
    expected = f"products/p/floe.yaml:{line}:14: {MESSAGE}"
    whole = run_cli("check", "--no-cache", "--format", "concise", ".")
    assert whole.stdout.splitlines() == [expected]  # what the hierarchy resolves
    changed = f"{folder}/manifest.yaml"
    run = run_cli("check", "--no-cache", "--format", "concise", changed)
    assert run.stdout.splitlines() == [
        f"{expected} (a dependent of the changed manifest {changed})"
    ]
    assert run.code == 1


_NAME = st.text(st.sampled_from("ab x'#&!:-.\t"), min_size=1, max_size=8).filter(
    lambda name: name not in (".", "..") and name.strip() == name
)
_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"])


def _spelled(ref: str, style: str, fold: bool, prefix: str) -> str:
    """`ref` as a YAML value of `ref:` at indentation 2 (its continuation lines at 4)."""
    text = ref.replace(" ", "\n    ") if fold else ref
    if style == "single":
        text = "'" + text.replace("'", "''") + "'"
    elif style == "double":
        text = '"' + text + '"'
    elif style in ("|-", ">-"):
        return f"{prefix}{style}\n    {text}"
    return prefix + text


@settings(max_examples=400, deadline=None)
@given(
    grand=_NAME,
    domain=_NAME,
    tail=st.sampled_from(["/manifest.yaml", "", "/", "/."]),
    style=st.sampled_from(["plain", "single", "double", "|-", ">-"]),
    fold=st.booleans(),
    prefix=st.sampled_from(["", "&a ", "!!str ", "&a !!str "]),
    brk=_BREAKS,
    comment=st.sampled_from(["", ' # it\'s "x"', "\n# a 'note"]),
    flow=st.booleans(),
)
def test_a_file_whose_ref_resolves_to_the_target_passes_the_search_test(
    grand: str,
    domain: str,
    tail: str,
    style: str,
    fold: bool,
    prefix: str,
    brk: str,
    comment: str,
    flow: bool,
) -> None:
    target = f"/ws/{grand}/{domain}/manifest.yaml"
    ref = f"../../{grand}/{domain}{tail}"
    value = _spelled(ref, style, fold, prefix)
    body = f"platform: {{ref: {value}}}" if flow else f"platform:\n  ref: {value}"
    text = f"{comment.lstrip(' ')}\nname: p\n{body}\nx: 1\n".replace("\n", brk)
    try:
        read = yaml.safe_load(text)
    except yaml.YAMLError:
        read = None
    assume(isinstance(read, dict) and isinstance(read.get("platform"), dict))
    written = read["platform"]["ref"]
    assume(isinstance(written, str))
    joined = os.path.normpath(os.path.join("/ws/products/p", written))
    assume(joined in (target, os.path.dirname(target)))
    targets = _Targets({Path(target)}, top="/ws")
    assert holds_ref(text.encode(), "/ws/products/p/floe.yaml", (), targets, False), text
