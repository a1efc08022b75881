"""`check --hook` finds every file that named a manifest the commit deletes, however its ref is
spelled and wherever a symbolic link puts it (lint/removals.py). Before, a file was parsed only
when its bytes held the manifest's folder or file name as written, and a ref was resolved as
text from the folder of the path the walk met: a ref to the folder spelled with a `''`, an
escape or a folded line, and a linked product whose `..` leads elsewhere from its target's
folder, were missed, so the commit passed while a product still named the removed manifest."""

from __future__ import annotations

import os
import string
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.config import Config
from floe_lint.lint.removals import Removal, former_dependents
from tests.conftest import run_cli

MANIFEST = "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
PRODUCT = "name: o\nplatform:\n  ref: {ref}\ntransforms: [{{type: dbt, path: m/}}]\n"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=ENV)


def _committed(repo: Path, files: dict[str, str], links: dict[str, str] | None = None) -> None:
    _git(repo, "init", "-q")
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    for name, target in (links or {}).items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, repo / name)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "init")


@pytest.mark.parametrize(
    ("folder", "ref", "line"),
    [
        ("o'brien", "'../o''brien'", "3:8"),  # a single-quoted `''`
        ("o'brien", '"../o\\x27brien"', "3:8"),  # a double-quoted escape
        ("finance", '"../\\u0066inance"', "3:8"),
        ("data platform", "../data\n    platform", "3:8"),  # a plain scalar folded
        ("data platform", '"../data\n    platform"', "3:8"),  # a double-quoted one
        ("data platform", "'../data\n    platform'", "3:8"),  # a single-quoted one
        ("data platform", ">-\n    ../data\n    platform", "3:8"),  # a folded block scalar
    ],
)
def test_a_ref_spelled_otherwise_names_the_deleted_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str, ref: str, line: str
) -> None:
    _committed(
        tmp_path, {f"{folder}/manifest.yaml": MANIFEST, "p/floe.yaml": PRODUCT.format(ref=ref)}
    )
    _git(tmp_path, "rm", "-q", f"{folder}/manifest.yaml")
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--hook")
    assert run.code == 1, (run.stdout, run.stderr)
    assert run.stdout.startswith(
        f"p/floe.yaml:{line}: ERROR FL301 [unresolved-ref] cannot resolve platform.ref "
        f"'../{folder}': '../{folder}' points to a file that does not exist"
    ), run.stdout
    assert (
        f"floe-lint: {folder}/manifest.yaml is deleted in this commit; checking the files that "
        "named it: p/floe.yaml\n"
    ) in run.stderr


def test_a_linked_product_names_the_manifest_from_its_targets_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`c/floe.yaml -> ../.shared/x/floe.yaml` (its target in a folder the walk skips): its
    `../../platform` leads from `.shared/x`, to the root's platform, not above the root."""
    product = PRODUCT.format(ref="../../platform/manifest.yaml")
    _committed(
        tmp_path,
        {"platform/manifest.yaml": MANIFEST, ".shared/x/floe.yaml": product},
        {"c/floe.yaml": "../.shared/x/floe.yaml"},
    )
    _git(tmp_path, "rm", "-q", "platform/manifest.yaml")
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--hook")
    assert run.code == 1, (run.stdout, run.stderr)
    assert run.stdout.startswith(
        ".shared/x/floe.yaml:3:8: ERROR FL301 [unresolved-ref] cannot resolve platform.ref "
        "'../../platform/manifest.yaml'"
    ), run.stdout
    assert (
        "floe-lint: platform/manifest.yaml is deleted in this commit; checking the files that "
        "named it: .shared/x/floe.yaml\n"
    ) in run.stderr


def test_a_ref_through_a_linked_folder_takes_its_dots_from_the_links_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`../link/../../platform` with `link -> .shared/a`: the system takes `..` from
    `.shared/a`, so the ref names the root's platform (as text it would name one above)."""
    product = PRODUCT.format(ref="../link/../../platform/manifest.yaml")
    _committed(
        tmp_path,
        {"platform/manifest.yaml": MANIFEST, ".shared/a/keep": "", "p/floe.yaml": product},
        {"link": ".shared/a"},
    )
    _git(tmp_path, "rm", "-q", "platform/manifest.yaml")
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--hook")
    assert run.code == 1, (run.stdout, run.stderr)
    assert run.stdout.startswith(
        "p/floe.yaml:3:8: ERROR FL301 [unresolved-ref] cannot resolve platform.ref "
        "'../link/../../platform/manifest.yaml'"
    ), run.stdout
    assert (
        "floe-lint: platform/manifest.yaml is deleted in this commit; checking the files that "
        "named it: p/floe.yaml\n"
    ) in run.stderr


def test_a_ref_through_a_link_of_another_name_names_the_deleted_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`../shop` with `shop -> platform/sales`: the ref holds no name of the manifest's path."""
    product = PRODUCT.format(ref="../shop")
    _committed(
        tmp_path,
        {"platform/sales/manifest.yaml": MANIFEST, "p/floe.yaml": product},
        {"shop": "platform/sales"},
    )
    _git(tmp_path, "rm", "-q", "platform/sales/manifest.yaml")
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--hook")
    assert run.code == 1, (run.stdout, run.stderr)
    assert run.stdout.startswith(
        "p/floe.yaml:3:8: ERROR FL301 [unresolved-ref] cannot resolve platform.ref '../shop'"
    ), run.stdout
    assert (
        "floe-lint: platform/sales/manifest.yaml is deleted in this commit; checking the files "
        "that named it: p/floe.yaml\n"
    ) in run.stderr


# --- property: random spellings of random refs, found iff a parse of the file finds them ---

_NAME = st.text(string.ascii_lowercase[:4] + " '\"#", min_size=1, max_size=6).filter(
    lambda n: n.strip() == n and n not in (".", "..") and not n.startswith("#")
)


def _escaped(char: str, how: int) -> str:
    if how == 0 or char.isspace():
        return {"\\": "\\\\", '"': '\\"'}.get(char, char)
    return f"\\x{ord(char):02x}" if how == 1 else f"\\u{ord(char):04x}"


@st.composite
def _spelling(draw: st.DrawFn, value: str) -> str:
    """`value` as one of YAML's scalars, its spaces folded over lines at random."""
    style = draw(st.sampled_from(["plain", "single", "double", "folded", "literal"]))
    breaks = [draw(st.booleans()) for _ in value]
    if style == "double":
        text = "".join(_escaped(c, draw(st.integers(0, 2))) for c in value)
    elif style == "single":
        text = value.replace("'", "''")
    else:
        text = value
    if style in ("plain", "single", "double"):  # a space, unless first or last, may fold
        folded = "".join(
            "\n    " if c == " " and b and 0 < i < len(text) - 1 else c
            for i, (c, b) in enumerate(zip(text, breaks + [False] * len(text), strict=False))
        )
        quote = {"plain": "", "single": "'", "double": '"'}[style]
        return f"{quote}{folded}{quote}"
    return (">-" if style == "folded" else "|-") + "\n    " + text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), names=st.lists(_NAME, min_size=2, max_size=3, unique=True))
def test_a_removal_is_found_iff_a_parse_of_the_file_names_it(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, names: list[str]
) -> None:
    root = tmp_path_factory.mktemp("tree")
    removed = root / names[0] / "manifest.yaml"
    expected = []
    for index, name in enumerate(names):
        (root / name).mkdir()
        (root / name / "manifest.yaml").write_text(MANIFEST)
        suffix = data.draw(st.sampled_from(["", "/", "/manifest.yaml"]))
        value = f"../{name}{suffix}"
        spelled = data.draw(_spelling(value))
        text = PRODUCT.format(ref=spelled)
        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        if not isinstance(parsed, dict) or parsed["platform"]["ref"] != value:
            continue  # (a spelling YAML reads otherwise: a plain `#`, a `'` starting one)
        product = root / f"p{index}/floe.yaml"
        product.parent.mkdir()
        product.write_text(text)
        if index == 0:
            expected.append(product)
    removed.unlink()
    found = former_dependents([Removal(removed)], root, Config())
    assert [path for path, _ in found] == expected, [p.read_text() for p in expected]
