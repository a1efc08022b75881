"""How the dependents search finds ref text in a file it has not parsed (reverse_index's
_ref_texts): a ref starts after a stop character or at the start of its line, never on the
line above (issue 20: a mutation run found the line start unguarded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"


@pytest.mark.parametrize(
    "platform",
    [
        "platform: {ref: ../platform/manifest.yaml}",
        "platform: {ref:\n../platform/manifest.yaml}",  # a flow mapping's next line, at column 0
        'platform: {ref: "../platform/manifest.yaml"}',
    ],
)
def test_a_product_is_found_as_a_dependent_wherever_its_ref_text_starts(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    product = f"name: p\n{platform}\ntransforms: [{{type: dbt, path: models/a/, compute: spark}}]\n"
    write_files(tmp_path, {"platform/manifest.yaml": MANIFEST, "p/floe.yaml": product})
    line = product.count("\n")
    run = run_cli("check", "--no-cache", "--workspace", ".", "platform/manifest.yaml")
    assert run.stdout.splitlines()[0] == (
        f"p/floe.yaml:{line}:52: ERROR FL201 [compute-not-approved] transform 'models/a/' "
        "selects compute 'spark', which platform manifest manifest.yaml does not approve (no "
        "level of the hierarchy approves it); approved: duckdb"
    )
    assert run.stderr.splitlines()[-1] == (
        "floe-lint: 1 error (2 files checked, 1 of them dependent of the changed manifests)"
    )


def test_a_ref_to_a_folder_finds_its_manifest_yml_as_a_dependent_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    product = "name: p\nplatform: {ref: ../platform}\n"
    product += "transforms: [{type: dbt, path: models/a/, compute: spark}]\n"
    write_files(tmp_path, {"platform/manifest.yml": MANIFEST, "p/floe.yaml": product})
    run = run_cli("check", "--no-cache", "--workspace", ".", "platform/manifest.yml")
    assert run.stdout.splitlines()[0] == (
        "p/floe.yaml:3:52: ERROR FL201 [compute-not-approved] transform 'models/a/' selects "
        "compute 'spark', which platform manifest manifest.yml does not approve (no level of "
        "the hierarchy approves it); approved: duckdb"
    )
    assert "1 of them dependent of the changed manifests" in run.stderr


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\x85", "\u2028", "\u2029"])
def test_a_product_with_other_line_breaks_is_found_as_a_dependent(
    newline: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """YAML ends a line at CR, NEL, LS and PS as well as LF: a ref's text ends there too (a
    product saved with classic Mac line ends was not searched, its errors not reported)."""
    monkeypatch.chdir(tmp_path)
    product = newline.join(
        [
            "name: p",
            "platform:",
            "  ref: ../platform/manifest.yaml",
            "transforms: [{type: dbt, path: models/a/, compute: spark}]",
            "",
        ]
    )
    (tmp_path / "p").mkdir()
    (tmp_path / "p/floe.yaml").write_bytes(product.encode())
    write_files(tmp_path, {"platform/manifest.yaml": MANIFEST})
    run = run_cli("check", "--no-cache", "--workspace", ".", "platform/manifest.yaml")
    assert run.stdout.splitlines()[0] == (
        "p/floe.yaml:4:52: ERROR FL201 [compute-not-approved] transform 'models/a/' selects "
        "compute 'spark', which platform manifest manifest.yaml does not approve (no level of "
        "the hierarchy approves it); approved: duckdb"
    )
    assert run.stderr.splitlines()[-1] == (
        "floe-lint: 1 error (2 files checked, 1 of them dependent of the changed manifests)"
    )


@pytest.mark.parametrize(
    "platform",
    [
        'platform: {ref: "../data platform/sales/manifest.yaml"}',
        "platform: {ref: '../data platform/sales/manifest.yaml'}",
        "platform: {ref: ../data platform/sales/manifest.yaml}",
        'platform: {ref: "../data platform/sales"}  # sales, it says',
        'platform: {\n  ref: "../data platform/sales/manifest.yaml" }',
    ],
)
def test_a_flow_style_ref_through_a_folder_with_a_space_is_a_dependent(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ref in a flow mapping whose path holds a space: the line's value after `key: ` is the
    whole flow mapping, and its runs split at the space, so the product was not searched
    (`check` of the manifest passed while the product broke); a twin beside it is not named."""
    monkeypatch.chdir(tmp_path)
    twin = platform.replace("data platform", "data platform twin")
    body = "transforms: [{type: dbt, path: models/a/, compute: spark}]\n"
    write_files(
        tmp_path,
        {
            "data platform/sales/manifest.yaml": MANIFEST,
            "data platform twin/sales/manifest.yaml": MANIFEST,
            "p/floe.yaml": f"name: p\n{platform}\n{body}",
            "twin/floe.yaml": f"name: t\n{twin}\n{body}",
        },
    )
    line = platform.count("\n") + 3
    run = run_cli("check", "--no-cache", "--workspace", ".", "data platform/sales/manifest.yaml")
    assert run.stdout.splitlines()[0] == (
        f"p/floe.yaml:{line}:52: ERROR FL201 [compute-not-approved] transform 'models/a/' "
        "selects compute 'spark', which platform manifest manifest.yaml does not approve (no "
        "level of the hierarchy approves it); approved: duckdb"
    )
    assert "twin/" not in run.stdout
    assert run.stderr.splitlines()[-1] == (
        "floe-lint: 1 error (2 files checked, 1 of them dependent of the changed manifests)"
    )
