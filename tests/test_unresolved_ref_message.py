"""FL301's message names a missing file as findings name files (from the working directory),
whatever spelling reached the file holding the ref (`a/../b/floe.yaml`, `./b/floe.yaml`, an
absolute path, a walk), and its "did you mean" never names that file itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = "name: orders\nplatform: {ref: ../platform/manifst.yaml}\ntransforms: [{path: m/}]\n"
EXPECTED = (
    "b/floe.yaml:2:17: ERROR FL301 [unresolved-ref] cannot resolve platform.ref "
    "'../platform/manifst.yaml': '../platform/manifst.yaml' points to a file that does not "
    "exist: platform/manifst.yaml; did you mean '../platform/manifest.yaml'?"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_files(tmp_path, {"platform/manifest.yaml": MANIFEST, "b/floe.yaml": PRODUCT})
    (tmp_path / "a").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _fl301(*args: str) -> list[str]:
    out = run_cli("check", "--no-cache", *args).stdout
    return [line for line in out.splitlines() if "FL301" in line]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    detours=st.lists(st.sampled_from(["a/..", ".", "b/..", "platform/.."]), max_size=3),
    absolute=st.booleans(),
)
def test_the_missing_file_is_named_the_same_whatever_spelling_reached_the_product(
    tree: Path, detours: list[str], absolute: bool
) -> None:
    spelled = "/".join([*detours, "b", "floe.yaml"])
    if absolute:
        spelled = str(tree / spelled)
    assert _fl301(spelled) == [EXPECTED], spelled


@pytest.mark.parametrize(
    "args", [["a/../b/floe.yaml", "b/floe.yaml"], ["b/floe.yaml", "a/../b/floe.yaml"], ["."]]
)
def test_two_spellings_or_a_walk_give_one_message(tree: Path, args: list[str]) -> None:
    assert _fl301(*args) == [EXPECTED]


def test_the_suggestion_is_never_the_manifest_holding_the_ref(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`parent_manifest: manifst.yaml` in platform/manifest.yaml suggested 'manifest.yaml', the
    manifest itself; `../platfrm` suggested '.', its own folder."""
    head = "scope: domain\n" + MANIFEST
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": head + "parent_manifest: manifst.yaml\n",
            "other/manifest.yaml": head + "parent_manifest: ../othr\n",
            "zeta/manifest.yaml": head + "parent_manifest: manifest.yml\n",
            "zeta/manifests.yaml": MANIFEST,
        },
    )
    monkeypatch.chdir(tmp_path)
    assert _fl301("platform/manifest.yaml", "other/manifest.yaml", "zeta/manifest.yaml") == [
        "other/manifest.yaml:3:18: ERROR FL301 [unresolved-ref] cannot resolve parent_manifest "
        "'../othr': '../othr' points to a file that does not exist: othr",
        "platform/manifest.yaml:3:18: ERROR FL301 [unresolved-ref] cannot resolve "
        "parent_manifest 'manifst.yaml': 'manifst.yaml' points to a file that does not exist: "
        "platform/manifst.yaml",
        "zeta/manifest.yaml:3:18: ERROR FL301 [unresolved-ref] cannot resolve parent_manifest "
        "'manifest.yml': 'manifest.yml' points to a file that does not exist: "
        "zeta/manifest.yml; did you mean 'manifests.yaml'?",
    ]
