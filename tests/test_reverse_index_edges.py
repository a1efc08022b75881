"""The dependents search (floe_lint.model.reverse_index) on edges a mutation run found
unguarded (issue 20): a ref through a symlinked folder, a file that only mentions the changed
manifest while its ref names another, and a ref with a scheme where a folder is named like the
scheme (never read as a local path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
TRANSFORMS = "transforms: [{type: dbt, path: models/a/, compute: spark}]\n"
FINDING = (
    "p/floe.yaml:3:52: ERROR FL201 [compute-not-approved] transform 'models/a/' selects "
    "compute 'spark', which platform manifest manifest.yaml does not approve (no level of the "
    "hierarchy approves it); approved: duckdb"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "real/platform/manifest.yaml": MANIFEST,
            "other/manifest.yaml": MANIFEST,
            "p/floe.yaml": "name: p\nplatform: {ref: ../platform/manifest.yaml}\n" + TRANSFORMS,
            "q/floe.yaml": "name: q\ndescription: moved off ../platform/manifest.yaml\n"
            "platform: {ref: ../other/manifest.yaml}\n" + TRANSFORMS,
            "F/manifest.yaml": MANIFEST,
            "F/sub/floe.yaml": 'name: t\nplatform: {ref: "https://../../manifest.yaml"}\n'
            + TRANSFORMS,
        },
    )
    (tmp_path / "platform").symlink_to("real/platform", target_is_directory=True)
    (tmp_path / "F/sub/https:").mkdir()
    return tmp_path


def test_a_ref_through_a_symlinked_folder_is_a_dependent_and_a_mention_is_not(
    tree: Path,
) -> None:
    run = run_cli("check", "--no-cache", "--workspace", ".", "platform/manifest.yaml")
    assert (run.code, run.stdout.splitlines()) == (
        1,
        [FINDING, "      note: a dependent of the changed manifest real/platform/manifest.yaml"],
    )
    assert run.stderr.splitlines()[-1] == (
        "floe-lint: 1 error (2 files checked, 1 of them dependent of the changed manifests)"
    )


def test_a_ref_with_a_scheme_is_no_local_path_even_where_a_folder_has_its_name(
    tree: Path,
) -> None:
    run = run_cli("check", "--no-cache", "--workspace", ".", "F/manifest.yaml")
    assert (run.code, run.stdout, run.stderr.splitlines()) == (
        0,
        "",
        ["floe-lint: no problems (1 file checked)"],
    )
